"""Lesson 02's convolution stepper: a slider (ipywidgets) that moves the window and redraws the step.

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> w = viz.convolution_stepper(np.arange(16.0).reshape(4, 4), np.ones((3, 3)))
    >>> w.slider.max
    3
"""
import base64
import io

import matplotlib.pyplot as plt

from cnnkit._checks import check_int
from cnnkit.viz._draw import _fmt
from cnnkit.viz.convolution import _convolution_parts, show_convolution_step


def convolution_stepper(image, kernel, *, stride=1, padding="valid", decimals=2):
    """A slider that moves the window over the image and redraws :func:`show_convolution_step` (ipywidgets).

    Each step of the slider is one output cell in reading order: the window, the products, their sum and
    the feature map filled up to that cell follow. In a notebook, ``display`` the widget it returns (the
    last expression of a cell does). Arguments as :func:`show_convolution_step`.

    Returns an ``ipywidgets.VBox``: ``.slider`` (an ``IntSlider``, 0 … number of output cells − 1),
    ``.text`` (an ``HTML`` line with the sum) and ``.output`` (an ``Output`` holding the figure).

    >>> import numpy as np
    >>> w = convolution_stepper(np.arange(16.0).reshape(4, 4), np.ones((3, 3)))
    >>> w.slider.max, w.text.value
    (3, 'step 0: output[0, 0] = 45')
    >>> w.slider.value = 3
    >>> w.text.value, w.output.outputs[0]["data"]["text/plain"]
    ('step 3: output[1, 1] = 90', '<convolution step 3>')
    """
    import ipywidgets as widgets

    image, kernel, stride, _, _, out = _convolution_parts(image, kernel, stride, padding)
    decimals = check_int(decimals, "decimals", low=0)
    slider = widgets.IntSlider(value=0, min=0, max=out.size - 1, step=1, description="step",
                               continuous_update=False, layout=widgets.Layout(width="60%"))
    text = widgets.HTML()
    output = widgets.Output()

    def draw(change=None):
        i, j = divmod(slider.value, out.shape[1])
        value = _fmt(out, decimals).format(out[i, j] + 0.0)
        text.value = f"step {slider.value}: output[{i}, {j}] = {value}"
        fig = show_convolution_step(image, kernel, i, j, stride=stride, padding=padding, decimals=decimals)
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=80)
        plt.close(fig)
        # the frame goes straight into the Output widget's outputs: it shows in a live notebook and stays
        # inspectable where no kernel captures output (a test, a script)
        output.outputs = ({"output_type": "display_data", "metadata": {},
                           "data": {"image/png": base64.b64encode(png.getvalue()).decode("ascii"),
                                    "text/plain": f"<convolution step {slider.value}>"}},)

    slider.observe(draw, names="value")
    draw()
    box = widgets.VBox([widgets.HBox([slider, text]), output])
    box.slider, box.text, box.output = slider, text, output
    return box
