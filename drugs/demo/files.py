"""Reading the demo data files: JSON, checked in full before anything is written.

Each file holds a list of entries (JSON objects) found by their natural key: a
slug, or for an article its drug and condition slugs. Long text is either one
string (a single paragraph) or a list of strings, one per paragraph or per
Markdown bullet ("- ..."): see `prose`. A mistake (invalid JSON, a missing or
unknown field, a value of the wrong kind, an unknown choice, a key used twice)
stops the load with a message naming the file, the entry and the field.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

SLUG = re.compile(r"^[-a-z0-9]+$")


class DataFileError(ValidationError):
    """A demo data file that cannot be loaded; the message names the file and entry."""


def shown(path):
    """`path` as the message shows it: relative to the project, the way editors open it."""
    path = Path(path)
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Entry:
    """One entry of a data file: its fields and where it was read, for error messages."""

    data: dict
    file: str
    number: int
    key: tuple

    def __str__(self):
        where = f"{self.file}, entry {self.number}"
        return f"{where} ({'/'.join(self.key)})" if self.key else where

    def __getitem__(self, field):
        return self.data[field]

    def get(self, field, default=None):
        return self.data.get(field, default)


def prose(value):
    """Stored text of a prose field: paragraphs apart by a blank line, bullets one a line.

    A string is one paragraph (or Markdown as written); a list holds one string
    per paragraph or per bullet, and consecutive bullets form one list.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    text = ""
    previous_bullet = False
    for block in (item.strip() for item in value):
        bullet = block.startswith(("- ", "* "))
        if text:
            text += "\n" if bullet and previous_bullet else "\n\n"
        text += block
        previous_bullet = bullet
    return text


def points(value):
    """Stored text of a bullet-point field: one point a line."""
    return "\n".join(item.strip() for item in value or ())


def names(value):
    """A list of names stored as the models store them: comma-separated."""
    return ", ".join(value or ())


# Checks of a field's value: each returns a description of what was expected,
# or None when the value fits.
def text(value):
    return None if isinstance(value, str) and value.strip() else "a non-empty string"


def optional_text(value):
    return None if isinstance(value, str) else "a string"


def slug(value):
    return None if isinstance(value, str) and SLUG.match(value) else "a slug (a-z, 0-9, -)"


def prose_value(value):
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        return None
    return "a string or a list of strings (one per paragraph or bullet)"


def string_list(value):
    if isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value):
        return None
    return "a list of non-empty strings"


def slug_list(value):
    if isinstance(value, list) and all(slug(item) is None for item in value):
        return None
    return "a list of slugs"


def whole_number(value):
    return None if type(value) is int else "a whole number"


def choice(*values):
    def check(value):
        return None if value in values else "one of " + ", ".join(repr(v) for v in values)

    return check


@dataclass(frozen=True)
class Shape:
    """The fields an entry must have (`required`) and may have (`optional`), with their checks."""

    required: dict
    optional: dict

    def errors(self, data):
        """Messages for every field of `data` that does not fit, in field order."""
        if not isinstance(data, dict):
            return ["must be a JSON object"]
        problems = [f"field {field!r} is missing" for field in self.required if field not in data]
        checks = {**self.required, **self.optional}
        for field, value in data.items():
            check = checks.get(field)
            if check is None:
                known = ", ".join(checks)
                problems.append(f"unknown field {field!r} (known fields: {known})")
            elif isinstance(check, ListOf | Shape):
                problems += [f"{field}: {problem}" for problem in check.errors(value)]
            elif (expected := check(value)) is not None:
                problems.append(f"field {field!r} must be {expected}, not {value!r:.60}")
        return problems


@dataclass(frozen=True)
class ListOf:
    """A field holding a list of objects of one shape, such as a drug's side effects."""

    shape: Shape

    def errors(self, value):
        if not isinstance(value, list):
            return ["must be a list of JSON objects"]
        return [
            f"item {number}: {problem}"
            for number, item in enumerate(value, start=1)
            for problem in self.shape.errors(item)
        ]


def _no_repeated_fields(pairs):
    fields = [field for field, _value in pairs]
    if repeated := sorted({field for field in fields if fields.count(field) > 1}):
        raise ValueError(f"field {repeated[0]!r} appears twice in one object")
    return dict(pairs)


def read(path, shape, *, key_fields=("slug",)):
    """The entries of one data file, each checked against `shape`; raises `DataFileError`."""
    name = shown(path)
    try:
        with open(path, encoding="utf-8") as file:
            items = json.load(file, object_pairs_hook=_no_repeated_fields)
    except FileNotFoundError:
        raise DataFileError(f"{name}: file not found.") from None
    except json.JSONDecodeError as error:
        raise DataFileError(
            f"{name}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise DataFileError(f"{name}: {error}.") from None
    if not isinstance(items, list):
        raise DataFileError(f"{name}: must hold a JSON list of entries.")
    entries, problems = [], []
    for number, data in enumerate(items, start=1):
        errors = shape.errors(data)
        # Key fields an entry leaves out (optional ones) are left out of its key too.
        known = data if isinstance(data, dict) else {}
        key = tuple(str(known[field]) for field in key_fields if field in known)
        entry = Entry(data=data, file=name, number=number, key=key)
        problems += [f"{entry}: {problem}" for problem in errors]
        if not errors:
            entries.append(entry)
    if problems:
        raise DataFileError(problems)
    return entries


def unique(entries, what):
    """`entries` by key; a key given twice (in one file or two) is an error naming both."""
    by_key = {}
    for entry in entries:
        if entry.key in by_key:
            raise DataFileError(f"{entry}: {what} already given in {by_key[entry.key]}.")
        by_key[entry.key] = entry
    return by_key
