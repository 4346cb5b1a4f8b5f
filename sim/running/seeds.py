"""Which root seed a command uses, and why: re-exported from :mod:`sim.model.seeds`.

The rule lives in the model layer (so :class:`~sim.model.mesa_model.EscalationModel`
uses it too); this module keeps the import path the running layer and the
faces have always used.
"""

from __future__ import annotations

from sim.model.seeds import SeedSource, new_seed, root_seed

__all__ = ["SeedSource", "new_seed", "root_seed"]
