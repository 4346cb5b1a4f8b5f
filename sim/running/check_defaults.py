"""``sim check``'s defaults, in a module light enough for the command line to import at once."""

DEFAULT_SEED = 2005
"""Root seed when neither ``--seed`` nor the scenario's ``seed`` is given (Grimm et al. 2005)."""

DEFAULT_RUNS = 200
"""Replicates when ``--runs`` is not given."""
