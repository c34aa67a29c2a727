"""The notebook's own session: setup, run modes, folders, the training loop, results, widgets,
small display helpers. Every other layer may use it; it uses only ``plots`` and ``core``."""
