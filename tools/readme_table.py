"""Writes the README's table of namespaces (between the markers
:data:`MARKERS` in ``README.md``): each public namespace, the anchors it
mirrors and its functions, from the catalog; fastimg's own functions are
marked.

Run ``python tools/readme_table.py`` (or ``python tools/generate.py``, every
generated file) from the repository root; ``tests/test_docs.py`` checks the
table is current.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:    # run as a script
    sys.path.insert(0, REPO)

from fastimg._core import catalog  # noqa: E402
from tools import blocks  # noqa: E402

#: The lines around the generated table in README.md.
MARKERS = ("<!-- namespaces:start -->", "<!-- namespaces:end -->")
README = os.path.join(REPO, "README.md")


def table() -> str:
    """The table (Markdown, one line per namespace, ending with a newline)."""
    lines = ["| fastimg | mirrors | functions |", "|---|---|---|"]
    for ns in catalog.namespaces():
        rs = catalog.rows(ns)
        anchors = list(dict.fromkeys(r.anchor for r in rs if r.anchor))
        mirrors = ", ".join(f"`{a}`" for a in anchors) or "(fastimg's own)"
        names = ", ".join(f"`{r.name}`" + ("" if r.anchor or not anchors else " (own)")
                          for r in rs)
        lines.append(f"| `fastimg.{ns}` | {mirrors} | {names} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    blocks.rewrite(README, *MARKERS, table())


if __name__ == "__main__":
    main()
