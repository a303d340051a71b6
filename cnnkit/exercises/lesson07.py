"""Exercises of lesson 07 (style transfer): ``ex.q1.check(answer)``, ``ex.q1.hint()``, ``ex.q1.solution()``.

Each one tests a claim of the lesson by a prediction you then run::

    >>> from cnnkit.exercises import lesson07 as ex
    >>> ex.q2.check(True)
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit.exercises._core import Exercise, choose, yes_no

__all__ = ["q1", "q2", "q3", "q4"]

q1 = Exercise(
    "Reasoning, what a content layer keeps: reconstruct the photo from noise with random VGG19 features and the "
    "content term alone (style_weight=0, tv_weight=0, 64 px, 30 steps), once with content_layers=('block2_conv2',) "
    "and once with ('block5_conv2',). Which layer's reconstruction keeps the photo's layout better (the higher "
    "layout correlation)? Answer the layer's name.",
    test=choose("block2_conv2", ["block2_conv2", "block5_conv2"], why={
        "block5_conv2": "four poolings lie between the pixels and block 5: each throws away where things are "
                        "within a 2×2 window, and random weights keep nothing else to rebuild it from."}),
    hint="Count the poolings between the pixels and each layer: every one halves the resolution of 'where'.",
    solution="""from cnnkit.style.quality import layout_correlation
for layer in ("block2_conv2", "block5_conv2"):
    ex7 = make_extractor("vgg19", weights=None, style_layers=(), content_layers=(layer,), quiet=True)
    r = style.stylize(photo, style_img, max_side=64, steps=30, extractor=ex7, init="noise",
                      content_weight=1.0, style_weight=0.0, tv_weight=0.0, progress=False)
    print(layer, round(layout_correlation(r.image, style.fit_size(photo, 64)), 2))
answer = "block2_conv2\"""",
)

q2 = Exercise(
    "Reasoning, what a Gram matrix keeps: flip the stripes left to right (stripes[:, ::-1]); the bands now run along "
    "the other diagonal, in the same colours, at the same width. Does level 2's Gram matrix change (a style term "
    "well above a shifted copy's)? Predict True (it changes) or False, then compare gram_error(stripes[:, ::-1], "
    "stripes) with section 3's shifted stripes.",
    test=yes_no(True, "a flip is not a reshuffle of positions: every band edge turns from one diagonal to the other, "
                      "and the random filters are not mirror-symmetric, so other channels fire together. The Gram "
                      "forgets where, not which way."),
    hint="Shuffling positions reorders the rows of F. Does flipping the image only reorder them, or change them?",
    solution="""print(gram_error(stripes[:, ::-1], stripes), gram_error(np.roll(stripes, STYLE_SIDE // 3, axis=1), stripes))
answer = True   # orientation is part of what the Gram keeps""",
)

q3 = Exercise(
    "Staircasing: per unit of edge length, how many times more does the anisotropic TV (|dx| + |dy|) charge a "
    "45° edge than a vertical one? With i, j = np.mgrid[0:64, 0:64], build two soft edges 4 px wide, vertical = "
    "np.clip(0.5 + (j - 32) / 4, 0, 1) and diagonal = np.clip(0.5 + (i - j) / (4 * np.sqrt(2)), 0, 1), divide each "
    "one's total_variation_loss by its edge's length (64 and 64·√2) and answer the ratio diagonal / vertical. "
    "(Then try isotropic=True.)",
    expected=float(np.sqrt(2)), rtol=0.05,
    hint="Along the diagonal edge every pixel changes in x and in y; |dx| + |dy| adds both, √(dx² + dy²) does not.",
    solution="""i, j = np.mgrid[0:64, 0:64]
vertical = np.clip(0.5 + (j - 32) / 4, 0, 1).astype("float32")[..., None]
diagonal = np.clip(0.5 + (i - j) / (4 * np.sqrt(2)), 0, 1).astype("float32")[..., None]
for iso in (False, True):
    per_length = [float(total_variation_loss(img, isotropic=iso)[0]) / length
                  for img, length in ((diagonal, 64 * np.sqrt(2)), (vertical, 64))]
    print("isotropic" if iso else "anisotropic", round(per_length[0] / per_length[1], 3))
answer = np.sqrt(2)   # |dx| + |dy| against √(dx² + dy²) on a 45° edge; stairs cost it no more than the edge""",
)

q4 = Exercise(
    "Reasoning, the TF tutorial's Adam on this loss: run stylize on the tuning pair at 64 px for 30 steps with the "
    "tutorial's optimiser, tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=0.1), and once with "
    "optimizer='adam' (Keras' default epsilon 1e-7). Does the tutorial's Adam lower the total loss by more than "
    "10 %? Predict True or False, then run it.",
    test=yes_no(False, "Adam's step is about lr·m/(√v + ε); this loss's per-pixel gradients are far below 0.1, so "
                       "ε = 0.1 sets the denominator and each step is a small fraction of the learning rate."),
    hint="Write Adam's step as lr·m/(√v + ε) and compare the size of one pixel's gradient with ε = 0.1.",
    solution="""for opt in (tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=0.1), "adam"):
    r = style.stylize(t_photo, t_style, max_side=64, steps=30, extractor=extractor, optimizer=opt, progress=False)
    print(opt if isinstance(opt, str) else "tutorial", r.history["total"][-1] / r.history["total"][0])
answer = False  # ε, not the gradient, sets the step""",
)
