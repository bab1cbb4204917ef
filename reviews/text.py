"""How review text is read by the screen and the side-effect matcher alike."""

import unicodedata

# Curly quotes and look-alikes become a plain apostrophe, so "didn’t" reads as "didn't".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def normalise_text(text):
    """Text as the screen and the matcher read it: Unicode-normalised, with plain apostrophes."""
    return unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES)
