"""Exercises of lesson 09 (music genres), checked by ``check()``; made from the notebook's settings::

    >>> from cnnkit.exercises import lesson09
    >>> lesson09.slice_count(n_frames=431, width=64, slice_hop=32).check((12, 15))
    ✓ Correct.
    True
    >>> lesson09.sibling_share(slices_per_song=6, test=0.25).check(0.999)
    ✓ Correct.
    True
"""
from cnnkit._checks import check_fraction, check_int
from cnnkit.exercises._core import Exercise

__all__ = ["sibling_share", "slice_count"]


def slice_count(*, n_frames, width, slice_hop=None):
    """Exercise: how many slices a spectrogram of ``n_frames`` frames gives, and how many frames are dropped."""
    n_frames, width = check_int(n_frames, "n_frames", low=1), check_int(width, "width", low=1)
    hop = width if slice_hop is None else check_int(slice_hop, "slice_hop", low=1)
    n = 0 if n_frames < width else (n_frames - width) // hop + 1
    dropped = n_frames - ((n - 1) * hop + width) if n else n_frames
    return Exercise(
        f"A song's mel spectrogram has {n_frames} frames. You cut slices of WIDTH = {width} frames, a new one every "
        f"{hop} frames. How many slices do you get, and how many frames at the end belong to no slice? "
        f"Answer (slices, dropped frames) and check with audio.slice_spectrogram.",
        expected=(n, dropped),
        hint="Slice i starts at frame i · hop and must end by the last frame: i · hop + width ≤ n_frames.",
        solution=(f"S = np.zeros((8, {n_frames}))\n"
                  f"print(len(audio.slice_spectrogram(S, width={width}, hop={hop})))   # {n}\n"
                  f"# dropped: {n_frames} − ((n − 1) · {hop} + {width}) = {dropped}"),
    )


def sibling_share(*, slices_per_song, test=0.25):
    """Exercise: the share of test slices with a sibling in training, when slices are split at random."""
    s = check_int(slices_per_song, "slices_per_song", low=2)
    test = check_fraction(test, "test", allow_zero=False)
    expected = 1 - test ** (s - 1)
    return Exercise(
        f"Every song gives {s} slices, and you send each slice to test with probability {test} (a slice-wise "
        f"split). What share of the test slices come from a song with at least one slice in training? "
        f"(Treat the slices as independent; answer to three decimals.)",
        expected=expected, rtol=0, atol=6e-4,
        hint=f"A test slice has no sibling in training only if all {s - 1} other slices of its song went to test too.",
        solution=f"print(round(1 - {test} ** ({s} - 1), 3))   # {expected:.3f}: section 4 measured the same",
    )
