"""Generated blocks inside hand-written files: the text between two marker
lines, found and replaced (``README.md``'s namespace table, the top-level
names of ``fastimg/__init__.py``)."""


def split(text: str, begin: str, end: str) -> tuple[str, str, str]:
    """``(head, block, tail)``: ``text`` up to the end of the ``begin``
    marker's line, what lies between the two markers' lines, and the rest
    from the ``end`` marker on.  Raises ``ValueError`` naming a missing marker."""
    for marker in (begin, end):
        if text.count(marker) != 1:
            raise ValueError(f"expected the marker {marker!r} once, "
                             f"found it {text.count(marker)} times")
    head, rest = text.split(begin)
    block, tail = rest.split(end)
    first_line, _, block = block.partition("\n")   # the rest of the begin line
    return head + begin + first_line + "\n", block, end + tail


def replace(text: str, begin: str, end: str, block: str) -> str:
    """``text`` with the lines between the markers replaced by ``block``
    (which ends with a newline)."""
    head, _, tail = split(text, begin, end)
    return head + block + tail


def rewrite(path: str, begin: str, end: str, block: str) -> None:
    """Replace the block of the file ``path`` in place."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(replace(text, begin, end, block))
