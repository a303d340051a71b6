"""Lesson 02's convolution stepper (ipywidgets): step, play, change stride and padding, checked against TensorFlow.

Each step is one output cell in reading order. The widget computes the cells by hand (window × kernel, summed over
every channel, plus the bias) and shows, under the figure, that the output so far equals ``tf.nn.conv2d``'s to
float tolerance. Frames are shown with the idiom that every widget manager (JupyterLab, Colab, Kaggle) honours:
``with output: clear_output(wait=True); display(...)``::

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> w = viz.convolution_stepper(np.arange(16.0).reshape(4, 4), np.ones((3, 3)))
    >>> w.slider.max, w.play.max, w.text.value
    (4, 4, 'cell 1 of 4: output[0, 0] = 45')
"""
import io

import matplotlib.pyplot as plt
import numpy as np

from cnnkit._checks import contract
from cnnkit.viz._draw import _fmt
from cnnkit.viz.convolution import RULES, _convolution_parts, _sum_text, show_convolution_step

FRAME_DPI = 64
PLAY_INTERVAL_MS = 1500   # one step per 1.5 s: a frame takes about half a second to draw on a slow CPU


def _in_kernel():
    """Whether a Jupyter kernel is there to route ``display`` into an Output widget."""
    try:
        from IPython import get_ipython
    except ImportError:                                          # pragma: no cover - ipywidgets needs IPython
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _by_hand(padded, kernel, bias, strides, shape):
    """Every output cell by hand: the window times the kernel, summed over rows, columns and channels, + bias."""
    kh, kw = kernel.shape[:2]
    cells = np.zeros(shape)
    for i in range(shape[0]):
        for j in range(shape[1]):
            window = padded[i * strides[0]:i * strides[0] + kh, j * strides[1]:j * strides[1] + kw]
            cells[i, j] = np.sum(window * kernel) + bias
    return cells


def _with_tensorflow(image, kernel, bias, strides, padding):
    import tensorflow as tf

    maps = tf.nn.conv2d(image[None].astype(np.float32), kernel[:, :, :, None].astype(np.float32),
                        strides=list(strides), padding=padding.upper())
    return maps.numpy()[0, :, :, 0].astype(np.float64) + bias


@contract(**RULES)
def convolution_stepper(image, kernel, *, bias=0.0, stride=1, padding="valid", decimals=2):
    """A convolution you step through: a slider, a play button, stride and padding controls, a check against TF.

    Each slider position is one output cell in reading order (1 … their number); the figure
    (:func:`show_convolution_step`) shows its window, products, sum and the feature map filled up to that
    cell. The play button steps on its own. The
    stride (1 or 2, or the one given) and padding (``"valid"``, ``"same"``) buttons recompute the map and
    restart at cell 1. Under the figure the widget prints whether the cells so far, computed by hand, equal
    ``tf.nn.conv2d`` (plus the bias) to float tolerance. In a notebook, ``display`` the widget it returns (the
    last expression of a cell does).

    Args:
        image: an H×W or H×W×C array (C ≤ 4).
        kernel: kh×kw, or kh×kw×C for an H×W×C image (one filter).
        bias: the filter's bias, added to every cell.
        stride: the stride it starts with: an int or a (rows, cols) pair.
        padding: the padding it starts with: ``"valid"`` or ``"same"``.
        decimals: digits written for non-integers.

    Returns:
        An ``ipywidgets.VBox`` with ``.slider`` (``IntSlider``, 1 … number of output cells), ``.play``
        (``Play``, linked to the slider in the browser), ``.stride`` and ``.padding`` (``ToggleButtons``),
        ``.text`` (``HTML``: the cell and its sum), ``.check`` (``HTML``: the comparison with TensorFlow),
        ``.output`` (``Output``: the figure), ``.frame`` (the PNG bytes of the figure shown) and ``.cells``
        (the whole output map by hand, for the current stride and padding).

    Example:
        >>> rgb = np.arange(48.0).reshape(4, 4, 3) % 5
        >>> w = convolution_stepper(rgb, np.ones((3, 3, 3)), bias=1.0)
        >>> w.slider.value = 4
        >>> w.text.value
        'cell 4 of 4: output[1, 1] = 15 + 19 + 18 + 1 (bias) = 53'
        >>> "equal tf.nn.conv2d" in w.check.value, w.frame[:4] == b"\\x89PNG"
        (True, True)
        >>> w.padding.value = "same"
        >>> w.slider.value, w.slider.max
        (1, 16)
    """
    import ipywidgets as widgets

    parts = _convolution_parts(image, kernel, stride, padding, bias)
    image, kernel, strides, channels = parts[0], parts[1], parts[2], parts[6]
    shown_image = image if channels else image[:, :, 0]
    shown_kernel = kernel if channels else kernel[:, :, 0]
    bias = float(bias)
    options = [("1", (1, 1)), ("2", (2, 2))]
    if strides not in dict(options).values():
        options.append((str(strides[0]) if strides[0] == strides[1] else str(strides), strides))
    slider = widgets.IntSlider(value=1, min=1, max=1, step=1, description="cell", continuous_update=False,
                               layout=widgets.Layout(width="55%"))
    play = widgets.Play(value=1, min=1, max=1, step=1, interval=PLAY_INTERVAL_MS, description="play")
    link = widgets.jslink((play, "value"), (slider, "value"))
    stride_buttons = widgets.ToggleButtons(options=options, value=strides, description="stride",
                                           style={"button_width": "48px"})
    padding_buttons = widgets.ToggleButtons(options=["valid", "same"], value=padding.lower(), description="padding",
                                            style={"button_width": "64px"})
    text, check, output = widgets.HTML(), widgets.HTML(), widgets.Output()
    box = widgets.VBox([widgets.HBox([play, slider]), widgets.HBox([stride_buttons, padding_buttons]), text, check,
                        output])
    state = {"quiet": False}

    def configure():
        parts = _convolution_parts(shown_image, shown_kernel, stride_buttons.value, padding_buttons.value, bias)
        state["padded"], state["out"] = parts[3], parts[5]
        box.cells = _by_hand(parts[3], kernel, bias, stride_buttons.value, parts[5].shape)
        state["library"] = _with_tensorflow(image, kernel, bias, stride_buttons.value, padding_buttons.value)
        state["fmt"] = _fmt(np.concatenate([box.cells.ravel(), [bias]]), decimals)
        state["quiet"] = True                                   # one redraw, after the limits are set
        slider.value = play.value = 1
        slider.max = play.max = box.cells.size
        state["quiet"] = False

    def describe(cell):
        out, fmt = box.cells, state["fmt"]
        i, j = divmod(cell - 1, out.shape[1])
        kh, kw = kernel.shape[:2]
        r, c = i * stride_buttons.value[0], j * stride_buttons.value[1]
        sums = (state["padded"][r:r + kh, c:c + kw] * kernel).sum(axis=(0, 1))
        if channels or bias:
            value = f"{_sum_text(list(sums) + [bias], fmt)} (bias) = {fmt.format(out[i, j] + 0.0)}"
        else:
            value = fmt.format(out[i, j] + 0.0)
        text.value = f"cell {cell} of {out.size}: output[{i}, {j}] = {value}"
        by_hand, library = out.ravel()[:cell], state["library"].ravel()[:cell]
        gap = float(np.abs(by_hand - library).max())
        tolerance = 1e-5 * max(1.0, float(np.abs(library).max()))
        verdict = "equal tf.nn.conv2d" if gap <= tolerance else "DIFFER from tf.nn.conv2d"
        check.value = (f"the {cell} cell{'s' if cell > 1 else ''} so far, by hand, {verdict} + bias "
                       f"(largest difference {gap:.1e}, float32 tolerance {tolerance:.0e}) "
                       f"{'✓' if gap <= tolerance else '✗'}")
        return i, j

    def draw(change=None):
        if state["quiet"]:
            return
        i, j = describe(slider.value)
        fig = show_convolution_step(shown_image, shown_kernel, i, j, bias=bias, stride=stride_buttons.value,
                                    padding=padding_buttons.value, decimals=decimals)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=FRAME_DPI, bbox_inches="tight")     # as the notebook draws figures
        plt.close(fig)
        box.frame = png.getvalue()
        _show(output, box.frame, f"<convolution, cell {slider.value}>")

    def reconfigure(change):
        configure()
        draw()

    configure()
    slider.observe(draw, names="value")
    stride_buttons.observe(reconfigure, names="value")
    padding_buttons.observe(reconfigure, names="value")
    draw()
    box.slider, box.play, box.link, box.stride, box.padding = slider, play, link, stride_buttons, padding_buttons
    box.text, box.check, box.output = text, check, output
    return box


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
