"""``python -m fastimg``: ``python -m fastimg script.py [args]`` (or ``-m
module``) runs a program with fastimg serving the SciPy and scikit-image
functions it mirrors (``fastimg._accelerate.launch``); ``python -m fastimg
<command>`` is the command line (``fastimg._cli.main``)."""
from ._accelerate.launch import main

raise SystemExit(main())
