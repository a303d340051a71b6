"""Lesson 04's playground (ipywidgets, after TensorFlow Playground): watch a small dense network learn a 2-D problem.

Pick the data set, its noise, the neurons per layer, the hidden layers and Adam's learning rate; press play (or
move the epoch slider) and the network trains a few epochs per frame. Each frame shows the plane shaded by
p(class 1), the decision boundary (p = 0.5) and each hidden ReLU neuron's fold, next to the training and test loss
so far. Frames are shown with the idiom every widget manager honours (JupyterLab, Colab, Kaggle):
``with output: clear_output(wait=True); display(...)``::

    >>> from cnnkit import viz
    >>> w = viz.playground(frames=2, epochs_per_frame=1, points=60)
    >>> w.epoch.max, w.text.value.split(" · ")[1]
    (2, 'epoch 0 of 2')
    >>> w.epoch.value = 1                               # trains one epoch: the loss curves get a point
    >>> len(w.history["loss"]), w.frame[:4] == b"\\x89PNG"
    (2, True)
"""
import io

import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import Choice, Int, Number, Seed, check_seed, contract, int_seed

DATASETS = ("circles", "xor", "gaussians", "spiral")
FRAME_DPI = 70
PLAY_INTERVAL_MS = 2000   # one frame per 2 s: training a few epochs and drawing take about a second on a slow CPU


@contract(name=Choice(*DATASETS), n=Int(low=8), noise=Number(low=0, high=1), seed=Seed())
def make_plane(name, n, *, noise=0.1, seed=0):
    """``n`` labelled points in the plane (about [−1.5, 1.5]²): ``(X float32 (n, 2), y int (n,))``, half per class.

    Args:
        name: ``"circles"`` (a ring around a disc), ``"xor"`` (the four quadrants), ``"gaussians"`` (two blobs)
            or ``"spiral"`` (two interleaved arms), TensorFlow Playground's four sets.
        n: how many points.
        noise: how far the points scatter, in the plane's units.
        seed: an int, ``SeedSequence`` or ``Generator``.

    Returns:
        ``(X, y)``.

    Example:
        >>> X, y = make_plane("xor", 100, seed=0)
        >>> X.shape, np.bincount(y).tolist()
        ((100, 2), [50, 50])
    """
    rng = check_seed(seed)
    y = np.arange(n) % 2
    if name == "circles":
        radius = np.where(y == 1, rng.uniform(0, 0.45, n), rng.uniform(0.75, 1.0, n))
        angle = rng.uniform(0, 2 * np.pi, n)
        X = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    elif name == "xor":
        sx = rng.choice([-1.0, 1.0], n)
        sy = np.where(y == 1, sx, -sx)                           # class 1: x₁ and x₂ of one sign, class 0: opposite
        X = np.c_[sx, sy] * rng.uniform(0.1, 1.1, (n, 2))        # a gap along the axes, as in TF Playground
    elif name == "gaussians":
        X = np.where(y[:, None] == 1, 0.6, -0.6) + rng.normal(0, 0.3, (n, 2))
    else:                                                        # spiral: two arms, half a turn apart
        t = rng.uniform(0, 1, n)
        angle = 3.5 * np.pi * t + np.pi * y
        X = np.c_[1.2 * t * np.cos(angle), 1.2 * t * np.sin(angle)]
    X = X + rng.normal(0, noise, X.shape)
    return X.astype(np.float32), y.astype(np.int64)


def _in_kernel():
    """Whether a Jupyter kernel is there to route ``display`` into an Output widget."""
    try:
        from IPython import get_ipython
    except ImportError:                                          # pragma: no cover - ipywidgets needs IPython
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _show(output, png, label):
    """Show one frame in ``output``: through the kernel where there is one, else straight into its outputs."""
    if _in_kernel():
        from IPython.display import Image, clear_output, display

        with output:
            clear_output(wait=True)
            display(Image(data=png, format="png"))
    else:                       # a script or a test: no kernel routes display() into the widget
        import base64

        output.outputs = ({"output_type": "display_data", "metadata": {},
                           "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": label}},)


def _draw_frame(net, X, y, history, *, epoch, max_epoch, train, title=""):
    """One playground frame: the boundary with its folds (left) and the losses so far (right); returns the Figure.

    Args:
        net: the Keras MLP (``models.mlp`` on 2 inputs).
        X: all the points, N×2.
        y: their classes.
        history: ``{"loss": [...], "val_loss": [...]}``, one value per epoch from epoch 0.
        epoch: the epoch shown.
        max_epoch: the loss axis runs to this epoch.
        train: a boolean mask of the training points (the rest are the test points, drawn hollow).
        title: the boundary panel's title.
    """
    from cnnkit.viz.learning import plot_decision_boundary

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.2, 4.0), gridspec_kw={"width_ratios": [1.15, 1]})
    plot_decision_boundary(net, X[train], y[train], ax=left, resolution=70, margin=0.3, folds=True, title=title,
                           colorbar=True)
    test = ~train
    left.scatter(X[test, 0], X[test, 1], facecolors="none", edgecolors=plt.get_cmap("RdBu_r")(
        np.where(y[test] == 1, 0.85, 0.15)), s=10, linewidths=0.6)
    epochs = np.arange(len(history["loss"]))
    right.plot(epochs, history["loss"], label="training loss")
    right.plot(epochs, history["val_loss"], label="test loss")
    right.axvline(epoch, color="gray", ls=":")
    right.set(xlim=(0, max(max_epoch, 1)), ylim=(0, max(1.0, 1.05 * max(max(history["loss"]),
                                                                         max(history["val_loss"])))),
              xlabel="epoch", ylabel="cross-entropy")
    right.grid(alpha=0.3)
    right.legend(fontsize=8)
    right.set_title(f"epoch {epoch}: training {history['loss'][epoch]:.3f}, test {history['val_loss'][epoch]:.3f}",
                    fontsize=9)
    fig.tight_layout()
    return fig


@contract(dataset=Choice(*DATASETS), neurons=Int(low=1, high=8), layers=Int(low=1, high=3),
          learning_rate=Number(low=1e-4, high=1.0), noise=Number(low=0, high=0.5), frames=Int(low=1, high=200),
          epochs_per_frame=Int(low=1, high=100), points=Int(low=20, high=5000), batch_size=Int(low=1), seed=Seed())
def playground(*, dataset="circles", neurons=3, layers=1, learning_rate=0.03, noise=0.1, frames=20,
               epochs_per_frame=5, points=400, batch_size=10, seed=0):
    """A TensorFlow-Playground-style widget: a dense network learns a 2-D problem as you watch.

    Half the points train (filled), half test (hollow). Moving any setting builds a new network and data
    (epoch 0); moving the epoch slider forward, or pressing play, trains ``epochs_per_frame`` epochs per step
    (Adam, mini-batches of ``batch_size``), and moving it back shows the weights that epoch had. Under the
    controls, one line says the settings, the epoch and the two losses and the test accuracy.

    Args:
        dataset: the data set it starts with, one of ``DATASETS``.
        neurons: ReLU neurons per hidden layer to start with (1–8).
        layers: hidden layers to start with (1–3).
        learning_rate: Adam's learning rate to start with.
        noise: the points' scatter to start with.
        frames: steps of the epoch slider.
        epochs_per_frame: epochs trained per step.
        points: how many points (half train, half test).
        batch_size: the mini-batch size.
        seed: the data's and the weights' seed (an int, ``SeedSequence`` or ``Generator``).

    Returns:
        An ``ipywidgets.VBox`` with the controls ``.dataset``, ``.noise``, ``.neurons``, ``.layers``,
        ``.learning_rate``, ``.play`` and ``.epoch`` (the epoch shown, in steps of ``epochs_per_frame``), the
        line ``.text`` (``HTML``), the figure ``.output``
        (``Output``), and ``.frame`` (the PNG bytes shown), ``.net`` (the Keras model) and ``.history``
        (``{"loss": [...], "val_loss": [...], "val_accuracy": [...]}`` from epoch 0).

    Example:
        >>> w = playground(dataset="xor", neurons=4, frames=3, epochs_per_frame=2, points=40)   # built, not shown
        >>> w.epoch.max, w.epoch.step, len(w.history["loss"]), w.frame[:4] == b"\\x89PNG"
        (6, 2, 1, True)
        >>> w.text.value.split(" · ")[0]
        'xor, noise 0.1: 1 × 4 ReLU neurons, Adam 0.03'
    """
    import ipywidgets as widgets

    from cnnkit.device import set_seed
    from cnnkit.models import compile_model, mlp

    seed = int_seed(seed)
    slow = {"continuous_update": False}
    dataset_box = widgets.Dropdown(options=DATASETS, value=dataset, description="data")
    noise_slider = widgets.FloatSlider(value=noise, min=0.0, max=0.5, step=0.05, description="noise", **slow)
    neuron_slider = widgets.IntSlider(value=neurons, min=1, max=8, description="neurons", **slow)
    layer_slider = widgets.IntSlider(value=layers, min=1, max=3, description="layers", **slow)
    rate_slider = widgets.FloatLogSlider(value=learning_rate, base=10, min=-3, max=0, step=0.25,
                                         description="learning rate", readout_format=".3g", **slow)
    last = frames * epochs_per_frame
    epoch_slider = widgets.IntSlider(value=0, min=0, max=last, step=epochs_per_frame, description="epoch", **slow)
    play = widgets.Play(value=0, min=0, max=last, step=epochs_per_frame, interval=PLAY_INTERVAL_MS,
                        description="train")
    link = widgets.jslink((play, "value"), (epoch_slider, "value"))
    text, output = widgets.HTML(), widgets.Output()
    box = widgets.VBox([widgets.HBox([dataset_box, noise_slider]), widgets.HBox([neuron_slider, layer_slider]),
                        rate_slider, widgets.HBox([play, epoch_slider]), text, output])
    state = {"quiet": False}

    def evaluate(net):
        X, y, train = state["X"], state["y"], state["train"]
        loss = net.evaluate(X[train], y[train], verbose=0, return_dict=True)["loss"]
        scores = net.evaluate(X[~train], y[~train], verbose=0, return_dict=True)
        return loss, scores["loss"], scores["accuracy"]

    def rebuild(change=None):
        X, y = make_plane(dataset_box.value, points, noise=noise_slider.value, seed=seed)
        train = np.zeros(points, bool)
        train[np.random.default_rng(seed).permutation(points)[: points // 2]] = True
        state.update(X=X, y=y, train=train)
        set_seed(seed)
        net = compile_model(mlp((2,), 2, hidden=(neuron_slider.value,) * layer_slider.value),
                            learning_rate=rate_slider.value)
        box.net = net
        loss, val_loss, val_acc = evaluate(net)
        box.history = {"loss": [loss], "val_loss": [val_loss], "val_accuracy": [val_acc]}
        state["snapshots"] = [net.get_weights()]
        state["quiet"] = True                                   # one redraw, at epoch 0
        epoch_slider.value = play.value = 0
        state["quiet"] = False
        draw()

    def train_to(frame):
        net, X, y, train = box.net, state["X"], state["y"], state["train"]
        net.set_weights(state["snapshots"][-1])
        while len(state["snapshots"]) <= frame:
            for _ in range(epochs_per_frame):                    # one epoch at a time, so each gets its losses
                net.fit(X[train], y[train], epochs=1, batch_size=batch_size, verbose=0, shuffle=True)
                loss, val_loss, val_acc = evaluate(net)
                box.history["loss"].append(loss)
                box.history["val_loss"].append(val_loss)
                box.history["val_accuracy"].append(val_acc)
            state["snapshots"].append(net.get_weights())
        net.set_weights(state["snapshots"][frame])

    def draw(change=None):
        if state["quiet"]:
            return
        frame = epoch_slider.value // epochs_per_frame
        train_to(frame)
        epoch = frame * epochs_per_frame
        shown = {k: v[: epoch + 1] for k, v in box.history.items()}
        settings = (f"{dataset_box.value}, noise {noise_slider.value:g}: {layer_slider.value} × "
                    f"{neuron_slider.value} ReLU neurons, Adam {rate_slider.value:.3g}")
        text.value = (f"{settings} · epoch {epoch} of {frames * epochs_per_frame} · training loss "
                      f"{shown['loss'][-1]:.3f}, test loss {shown['val_loss'][-1]:.3f}, test accuracy "
                      f"{shown['val_accuracy'][-1]:.3f}")
        fig = _draw_frame(box.net, state["X"], state["y"], shown, epoch=epoch, max_epoch=frames * epochs_per_frame,
                         train=state["train"], title=settings)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=FRAME_DPI)
        plt.close(fig)
        box.frame = png.getvalue()
        _show(output, box.frame, f"<playground, epoch {epoch}>")

    for control in (dataset_box, noise_slider, neuron_slider, layer_slider, rate_slider):
        control.observe(rebuild, names="value")
    epoch_slider.observe(draw, names="value")
    box.dataset, box.noise, box.neurons, box.layers, box.learning_rate = (dataset_box, noise_slider, neuron_slider,
                                                                          layer_slider, rate_slider)
    box.play, box.epoch, box.link, box.text, box.output = play, epoch_slider, link, text, output
    rebuild()
    return box
