"""Swapping a module never breaks a script: every public name of a mirrored
anchor namespace resolves in fastimg's namespace, to fastimg's own function
where it has one and to the anchor's object otherwise."""
import importlib
import os
import subprocess
import sys

import pytest

from fastimg._core import catalog

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIRRORED = [ns for ns in catalog.namespaces() if catalog.anchor_of(ns)]


def test_every_anchor_namespace_is_mirrored_whole():
    assert set(MIRRORED) == {"ndimage", "signal", "filters", "exposure", "util", "feature",
                             "transform", "morphology", "segmentation", "measure",
                             "restoration"}
    assert catalog.anchor_of("frequency") is None


@pytest.mark.parametrize("namespace", MIRRORED)
def test_every_public_name_of_the_anchor_resolves(namespace):
    anchor = importlib.import_module(catalog.anchor_of(namespace))
    ours = importlib.import_module(f"fastimg.{namespace}")
    own = {r.name: r for r in catalog.rows(namespace)}
    names = list(getattr(anchor, "__all__", None) or
                 [n for n in dir(anchor) if not n.startswith("_")])
    assert len(names) > len(own)
    for name in names:
        obj = getattr(ours, name)
        if name in own:
            assert obj is catalog.public(own[name]), name
        else:
            assert obj is getattr(anchor, name), name
    assert set(catalog.anchor_names(namespace)) == set(names) - set(own)
    assert set(catalog.anchor_names(namespace)) <= set(dir(ours))


def test_the_tutorial_names_that_broke_scripts_resolve():
    from skimage import exposure as ske, feature as skf, transform as skt

    from fastimg import exposure, feature, transform
    assert exposure.equalize_adapthist is ske.equalize_adapthist
    assert exposure.equalize_hist is ske.equalize_hist
    # resize is fastimg's own now (warps family): swirl is still skimage's
    assert transform.swirl is skt.swirl
    assert feature.corner_harris is skf.corner_harris


def test_unknown_and_private_names_still_raise():
    from fastimg import frequency, ndimage
    with pytest.raises(AttributeError, match="nor has scipy.ndimage"):
        ndimage.no_such_function
    with pytest.raises(AttributeError):
        ndimage._private_of_scipy
    with pytest.raises(AttributeError):
        frequency.zoom  # fastimg's own namespace mirrors nothing


def test_a_missing_anchor_is_named():
    code = """
import sys
sys.modules["skimage"] = None          # as if scikit-image were not installed
import numpy as np
from fastimg import feature
print(feature.canny(np.zeros((8, 8))).dtype)   # fastimg's own functions still work
try:
    feature.corner_harris
except AttributeError as e:
    print(e)
"""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[0] == "bool"
    assert "corner_harris" in out[1] and "skimage.feature" in out[1]
    assert "scikit-image is not installed" in out[1]
