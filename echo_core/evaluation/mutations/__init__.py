"""The mutation eval of the fact check: generated correct replies and wrong variants, scored per family.

`generate`, `facts`, `phrasing` and `world` never import the validator or `generation.facts`;
only `score` calls the validator. Use `run(seed) -> Report` (`.lines()`, `.as_json()`).
"""

from echo_core.evaluation.mutations.score import DEFAULT_SEED, Report, run

__all__ = ["DEFAULT_SEED", "Report", "run"]
