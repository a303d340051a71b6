"""How fast is cnnkit's audio → slices path, against a sox → PNG → PIL-crop style pipeline?

Both pipelines start from the same 44.1 kHz 16-bit WAV files (synthetic songs written to a temporary
folder) and end with mel-spectrogram slices as NumPy arrays:

- **cnnkit**: ``load_audio`` (libsndfile read, soxr resample to 22,050 Hz, mono) → ``spectrogram``
  (librosa mel, dB) → ``slice_spectrogram`` — all in memory.
- **baseline** (DeepAudioClassification's pipeline: ``sox`` mono MP3 copy on disk → ``sox … spectrogram -o
  song.png`` → PIL crops saved as slice PNGs → slices loaded back): a mono MP3 encoded and decoded, a slow
  resample (``scipy.signal.resample``, one FFT over the whole song), the mel spectrogram drawn to a PNG with
  matplotlib, reloaded with PIL, each slice cropped and saved as a PNG, then every slice PNG loaded.

Run::

    python benchmarks/music_slicer.py              # 12 songs of 30 s
    python benchmarks/music_slicer.py --songs 24 --repeat 3

It prints the real-time factor of each (seconds of audio processed per second of wall time) and the
speed-up. The figures are recorded in benchmarks/README.md.
"""
import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SR_FILE, SR = 44100, 22050
N_FFT, HOP, N_MELS, WIDTH = 2048, 512, 128, 128


def cnnkit_slices(path):
    from cnnkit.music import audio

    y, sr = audio.load_audio(path, sr=SR)
    S = audio.spectrogram(y, sr, n_fft=N_FFT, hop=HOP, n_mels=N_MELS)
    return audio.slice_spectrogram(S, width=WIDTH)


def baseline_slices(path, folder):
    """The DeepAudioClassification pipeline, step for step, with Python stand-ins for sox.

    1. ``sox song.mp3 /tmp/song.mp3 remix 1,2``: a mono MP3 copy encoded to disk;
    2. ``sox /tmp/song.mp3 -n spectrogram … -o song.png``: decoded again, resampled (slow path: one FFT over the
       whole song, ``scipy.signal.resample``), the spectrogram drawn to a grayscale PNG (matplotlib);
    3. PIL opens the PNG, crops each slice and saves it as its own PNG;
    4. the dataset builder loads every slice PNG back into a NumPy array.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import soundfile as sf
    from PIL import Image
    from scipy.signal import resample

    from cnnkit.music import audio

    folder, stem = Path(folder), Path(path).stem
    y, sr = sf.read(str(path), dtype="float32", always_2d=True)
    mono = folder / f"{stem}.mono.mp3"               # DeepAudioClassification: sox song.mp3 /tmp/song.mp3 remix 1,2
    sf.write(str(mono), y.mean(axis=1), sr, format="MP3", subtype="MPEG_LAYER_III")
    y, sr = sf.read(str(mono), dtype="float32")
    y = resample(y, int(round(len(y) * SR / sr))).astype(np.float32)
    S = audio.spectrogram(y, SR, n_fft=N_FFT, hop=HOP, n_mels=N_MELS)
    png = folder / f"{stem}.png"
    fig = plt.figure(figsize=(S.shape[1] / 100, S.shape[0] / 100), dpi=100)
    fig.figimage(S, cmap="gray", origin="lower", resize=True)
    fig.savefig(png, dpi=100)
    plt.close(fig)
    image = Image.open(png).convert("L")
    slice_paths = []
    for i in range(image.size[0] // WIDTH):
        slice_path = folder / f"{stem}_{i}.png"
        image.crop((i * WIDTH, 0, (i + 1) * WIDTH, N_MELS)).save(slice_path)
        slice_paths.append(slice_path)
    return np.stack([np.asarray(Image.open(p), dtype=np.float32) / 255.0 for p in slice_paths])


def timed(fn, paths, repeat):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        out = [fn(p) for p in paths]
        best = min(best, time.perf_counter() - start)
    return best, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--songs", type=int, default=12)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs (first one warms caches)")
    args = parser.parse_args(argv)

    import cnnkit  # noqa: F401
    from cnnkit.music import make_songs

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        songs = make_songs(args.songs, seed=0, duration=args.duration, sr=SR)
        synth_s = time.perf_counter() - start
        songs = make_songs(args.songs, seed=0, duration=args.duration, sr=SR_FILE)
        paths = songs.to_wav(Path(tmp) / "wav", subtype="PCM_16")
        cnnkit_slices(paths[0])                               # warm up librosa's caches once
        fast_s, fast = timed(cnnkit_slices, paths, args.repeat)
        png_dir = Path(tmp) / "png"
        png_dir.mkdir()
        slow_s, slow = timed(lambda p: baseline_slices(p, png_dir), paths, args.repeat)

    seconds = args.songs * args.duration
    for a, b in zip(fast, slow):   # MP3's encoder delay may add a few frames to the baseline's songs
        assert a.shape[1:] == b.shape[1:] and abs(len(a) - len(b)) <= 1, (a.shape, b.shape)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {load:.1f} at the end")
    print(f"audio: {args.songs} songs × {args.duration:.0f} s at {SR_FILE} Hz (16-bit WAV) → {SR} Hz, "
          f"mel {N_MELS} × slices of {WIDTH} frames ({len(fast[0])} per song); best of {args.repeat}")
    print(f"{'pipeline':10s} {'seconds':>8s} {'× real time':>12s}")
    print(f"{'cnnkit':10s} {fast_s:8.2f} {seconds / fast_s:12.0f}")
    print(f"{'baseline':10s} {slow_s:8.2f} {seconds / slow_s:12.0f}")
    print(f"speed-up: {slow_s / fast_s:.1f}×")
    print(f"(synthesising the songs at {SR} Hz: {synth_s:.2f} s, {seconds / synth_s:.0f}× real time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
