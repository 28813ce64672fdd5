"""The ``fastimg`` command line (``main``) and its demo."""
