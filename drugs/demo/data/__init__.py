"""The demo data, collected from its modules (see each module's docstring)."""

from .conditions import CONDITIONS
from .drugs import DRUGS
from .indications import INDICATIONS
from .taxonomy import DRUG_CLASSES, INGREDIENTS, SIDE_EFFECTS

__all__ = ["CONDITIONS", "DRUGS", "DRUG_CLASSES", "INDICATIONS", "INGREDIENTS", "SIDE_EFFECTS"]
