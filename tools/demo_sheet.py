"""Writes ``docs/demo-contact-sheet.png``, the README's picture: the tour
of ``fastimg demo`` (``fastimg/_cli/tour.py``, fastimg's functions) on the
built-in photograph at 512x512, as a titled grid reduced to 128 colours so
the file stays under 300 KB.  Needs Pillow.

Run ``python tools/demo_sheet.py`` from the repository root.  (Not part of
``tools/generate.py``: the pixels depend on Pillow's font and quantiser,
so no test compares the file.)
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:    # run as a script
    sys.path.insert(0, REPO)

from fastimg._cli import images  # noqa: E402
from fastimg._cli.demo import _resolver  # noqa: E402
from fastimg._cli.sheet import contact_sheet  # noqa: E402
from fastimg._cli.tour import TOUR, Scene  # noqa: E402

OUT = os.path.join(REPO, "docs", "demo-contact-sheet.png")


def main(size: int = 512) -> None:
    from PIL import Image
    square = images.fit(images.photograph(), size)
    scene = Scene(images.grey(square), images.colour(square))
    fn = _resolver(False)
    tiles = [(step.title, step.run(fn, scene)) for step in TOUR]
    contact_sheet(tiles, OUT, side=150, columns=8)
    os.remove(os.path.splitext(OUT)[0] + ".txt")      # the alt text names the tiles
    with Image.open(OUT) as im:
        small = im.quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                            dither=Image.Dither.NONE)
    small.save(OUT, optimize=True)
    print(f"{OUT}: {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
