"""Camera settings for the synthetic fundus generator: the same eyes, photographed by another camera.

Every synthetic photograph gets random photographic nuisances (exposure, colour cast, vignetting, uneven
illumination, blur, noise; scaled by ``nuisance``). A :class:`Camera` shifts their **distribution** the way a
different device or clinic would: it multiplies the exposure and the colour balance, deepens the vignetting,
steepens the illumination gradient, adds blur and noise. It changes nothing else: the retina, its lesions and
every random draw stay the same, so ``make_fundus(..., camera="handheld")`` with the same seed gives the very
same eyes as the default camera, photographed differently (a *paired* external test set).

    >>> from cnnkit.medical import render_fundus
    >>> desk, lesions = render_fundus(2, size=64, seed=0)
    >>> hand, same = render_fundus(2, size=64, seed=0, camera="handheld")
    >>> bool((same.mask == lesions.mask).all()), bool(hand.mean() < desk.mean())   # same lesions, a dimmer photo
    (True, True)

The presets are made up for teaching (no real device was measured): ``"desktop"`` is the generator's
default, ``"handheld"`` a dimmer, bluer, blurrier and noisier portable camera, and ``"ungradable"`` photos a
grader would send back (badly out of focus and underexposed).
"""
from dataclasses import dataclass

from cnnkit._checks import Choice, Instance, Number, OneOf, Seq, contract

__all__ = ["CAMERAS", "Camera", "camera_setting"]


@contract(exposure=Number(low=0, low_open=True), colour=Seq(Number(low=0, low_open=True), min_len=3, max_len=3),
          vignetting=Number(low=0, high=0.6), illumination=Number(low=0, high=4), blur=Number(low=0, high=4),
          noise=Number(low=0, high=10))
@dataclass(frozen=True)
class Camera:
    """How a camera shifts the generator's photographic nuisances (every field neutral by default).

    Args:
        exposure: multiplies the brightness (1 = the default camera; 0.6 is a dim flash).
        colour: three gains for red, green and blue (a colour balance of its own).
        vignetting: added to the darkening towards the field's edge (0 to 0.6).
        illumination: multiplies the uneven-illumination gradient across the field (0 to 4).
        blur: added Gaussian blur, in pixels of a 128-pixel image (0 to 4).
        noise: multiplies the sensor noise (0 to 10).

    Example:
        >>> Camera(exposure=0.7).exposure, Camera().colour
        (0.7, (1.0, 1.0, 1.0))
    """

    exposure: float = 1.0
    colour: tuple = (1.0, 1.0, 1.0)
    vignetting: float = 0.0
    illumination: float = 1.0
    blur: float = 0.0
    noise: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "colour", tuple(float(c) for c in self.colour))


#: named settings: the generator's default camera, a made-up portable one, and photos too poor to grade
CAMERAS = {
    "desktop": Camera(),
    "handheld": Camera(exposure=0.7, colour=(0.92, 1.0, 1.2), vignetting=0.2, illumination=2.0, blur=0.8, noise=2.5),
    "ungradable": Camera(exposure=0.45, blur=3.5, vignetting=0.4),
}


#: the contract rule of a ``camera`` argument: None, a name in :data:`CAMERAS` or a :class:`Camera`
CAMERA_RULE = OneOf(None, Choice(*CAMERAS), Instance(Camera, example=Camera))


@contract(camera=CAMERA_RULE)
def camera_setting(camera):
    """The :class:`Camera` meant by ``camera``: None (the default camera), a name in :data:`CAMERAS`, or a Camera.

    Args:
        camera: None, ``"desktop"``, ``"handheld"``, ``"ungradable"`` or a :class:`Camera`.

    Returns:
        A :class:`Camera`.

    Example:
        >>> camera_setting(None) == camera_setting("desktop") == Camera()
        True
    """
    if camera is None:
        return CAMERAS["desktop"]
    return camera if isinstance(camera, Camera) else CAMERAS[camera]
