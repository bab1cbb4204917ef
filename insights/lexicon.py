"""The lay-name dictionary shipped with Formulary: how patients write common side effects.

`insights/data/lay_names.json` seeds the side-effect dictionary (`load_lay_names` adds
its names to the side effects' other names, where editors curate them) and stands in
for a side effect the database does not know when `evaluate_mentions` measures the
matcher. It also says, for each side effect, which conditions it is the treated
condition or the intended effect of ("weight loss" on a drug for obesity), and which
phrases only look like side effects ("tired of", "hot spots").

Pure Python and read once per process: the matcher calls it for every drug it compiles.
"""

import json
import re
from functools import cache
from pathlib import Path

from .text import name_key

DATA_FILE = Path(__file__).resolve().parent / "data" / "lay_names.json"


@cache
def _data():
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def lay_terms():
    """{side-effect name: [lay names]} in the file's order."""
    return {name: list(entry["names"]) for name, entry in _data()["terms"].items()}


@cache
def _index():
    """{name key of every name: side-effect name}, to find an entry by any of its names."""
    index = {}
    for name, names in lay_terms().items():
        for other in [name, *names]:
            index.setdefault(name_key(other), name)
    return index


def entry_for(names):
    """The lexicon's side-effect name for a side effect known by `names`, or None.

    The side effect's own name decides first; other names only when the name is unknown.
    """
    index = _index()
    for name in names:
        found = index.get(name_key(name))
        if found:
            return found
    return None


def lay_names(name):
    """The lay names of the lexicon's side effect `name` (its own name first)."""
    return [name, *lay_terms().get(name, [])]


@cache
def _treats_patterns():
    patterns = {}
    for name, entry in _data()["terms"].items():
        words = [word for word in entry.get("treats", []) if word.strip()]
        if words:
            alternatives = "|".join(re.escape(word.casefold()) for word in words)
            patterns[name] = re.compile(rf"(?<!\w)(?:{alternatives})")
    return patterns


def is_treated_by(name, condition):
    """Whether the lexicon's side effect `name` is what a drug for `condition` treats or aims at.

    "weight loss" for "Obesity", "drowsiness" for "Insomnia", "acne" for "Acne".
    """
    pattern = _treats_patterns().get(name)
    return bool(pattern and condition and pattern.search(condition.casefold()))


@cache
def not_side_effect_phrases():
    """Phrases that contain a side-effect name without meaning it ("tired of", "hot spots")."""
    return tuple(_data().get("not_side_effects", []))
