"""Regenerates every generated file of the repository: the public modules'
declarations (``tools/namespaces.py``), the README's namespace table
(``tools/readme_table.py``), its parity table (``tools/parity_table.py``)
and the straight-line rank networks
(``tools/rank_networks.py``).  Tests check each is current.

Run ``python tools/generate.py`` from the repository root.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:    # run as a script
    sys.path.insert(0, REPO)

from tools import namespaces, parity_table, rank_networks, readme_table  # noqa: E402


def main() -> None:
    for generator in (namespaces, readme_table, parity_table, rank_networks):
        generator.main()


if __name__ == "__main__":
    main()
