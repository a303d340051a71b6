"""Exercises of lesson 07 (style transfer): ``ex.q1.check(answer)``, ``ex.q1.hint()``, ``ex.q1.solution()``.

Each one tests a claim of the lesson by a prediction you then run::

    >>> from cnnkit.exercises import lesson07 as ex
    >>> ex.q2.check(False)
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
    r = style.stylize(content, styles[STYLE], max_side=64, steps=30, extractor=ex7, init="noise",
                      content_weight=1.0, style_weight=0.0, tv_weight=0.0, progress=False)
    print(layer, round(layout_correlation(r.image, style.fit_size(content, 64)), 2))
answer = "block2_conv2\"""",
)

q2 = Exercise(
    "Reasoning, what a Gram matrix forgets: shuffle the positions of one level's feature maps F (the rows of the "
    "M×N matrix, np.random.default_rng(0).permutation). Does the Gram matrix FᵀF/M change? Predict True or "
    "False, then check with np.allclose.",
    test=yes_no(False, "FᵀF/M sums over positions, and a sum does not depend on the order of its terms: the Gram "
                       "keeps which channels fire together, not where."),
    hint="Write one entry of G as a sum over the M positions.",
    solution="""F = feats[2].numpy()[0].reshape(-1, feats[2].shape[-1])              # M × N
shuffled = F[np.random.default_rng(0).permutation(len(F))]
print(np.allclose(F.T @ F / len(F), shuffled.T @ shuffled / len(F), atol=1e-6))   # True: unchanged
answer = False""",
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
answer = np.sqrt(2)   # anisotropic: a slanted edge costs ~√2 more, so the optimiser turns it into stairs""",
)

q4 = Exercise(
    "Reasoning, which scale makes the stripes: synthesise the stripes style from noise (content_weight=0, 128 px, "
    "60 steps) once with all the style weight on the finest level, layer_weights=(1, 0, 0, 0, 0), and once on the "
    "three coarsest, layer_weights=(0, 0, 1, 1, 1). Which one draws long, continuous stripes? Answer 'finest' or "
    "'coarse'.",
    test=choose("coarse", ["finest", "coarse"], why={
        "finest": "the finest level's filters are 3–7 px wide: they see a piece of one band's edge, never that "
                  "the band goes on for the whole picture, so the Gram matches with short strokes."}),
    hint="A 7×7 filter on a level halved three times covers 56 × 56 pixels of the picture.",
    solution="""stripes = make_style_image("stripes", size=STYLE_SIDE)
for weights in ((1, 0, 0, 0, 0), (0, 0, 1, 1, 1)):
    r = style.stylize(content, stripes, max_side=128, steps=60, extractor=extractor, init="noise",
                      content_weight=0.0, layer_weights=weights, progress=False)
    print(weights, scores(r.image, style.fit_size(content, 128), stripes))
    fig = viz.show_images([r.image], titles=[str(weights)], panel=2.5); plt.show()
answer = "coarse\"""",
)
