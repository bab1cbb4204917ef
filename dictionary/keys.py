"""The one spelling-blind form of a name that lookups and the uniqueness rule compare."""

import re
import unicodedata

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def name_key(name):
    """`name` folded for comparison: no case, accents, spaces or punctuation.

    "Isotrétinoïne", "ISOTRETINOINE" and "iso-tretinoine" share one key, so one
    name can never mean two drugs just by being written differently; and
    "ethinylestradiol" finds "ethinyl estradiol".
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALPHANUMERIC.sub("", plain.casefold())
