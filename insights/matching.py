"""Finding side-effect mentions in review text: plain-text names, word boundaries, negation.

Everything here is pure Python (no database), so one matcher compiled per drug can
scan a million reviews and tests can feed it sentences directly.

Names are plain text, never regular expressions: every character an editor types is
escaped. Cheap spelling tolerance is added around the escaped words: singular and
plural ("headache", "headaches", "allergy", "allergies"), a space, a hyphen or
nothing between words ("nose bleed", "nose-bleed", "nosebleed"), British and
American spellings ("diarrhoea", "diarrhea") and a doubled letter typed once
("diarhea").
"""

import re
import unicodedata

# Curly quotes and look-alikes become a plain apostrophe, so "didn’t" reads as "didn't".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

# Scripts written without spaces between words: a name there cannot need word boundaries.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")

# Where a clause ends, so a negation before it no longer applies ("no headaches, but
# dry lips"). A comma only ends a clause when a new subject follows it; otherwise it
# is a list ("no headaches, nausea or dizziness").
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n\u3002\uff01\uff1f]"
    r"|\b(?:but|except|apart\s+from|aside\s+from|other\s+than|besides|however|although"
    r"|though|whereas|until|unlike)\b"
    r"|(?:,|\b(?:and|so|then|plus))(?=\s+(?:i|i'm|i've|i'd|i'll|my|it|it's|the|this|that"
    r"|she|he|we|they|then|now|also|still)\b)",
    re.IGNORECASE,
)
_NEGATION_WORDS = frozenset(
    {
        "no",
        "not",
        "never",
        "without",
        "none",
        "nor",
        "neither",
        "zero",
        "cannot",
        "didnt",
        "dont",
        "doesnt",
        "havent",
        "hasnt",
        "hadnt",
        "wasnt",
        "werent",
        "isnt",
        "arent",
        "wont",
        "cant",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "aint",
    }
)
# Phrases that start with a negation word but deny nothing ("no idea the headaches…").
_NOT_NEGATIONS = frozenset(
    {
        ("no", "idea"),
        ("no", "doubt"),
        ("no", "wonder"),
        ("no", "matter"),
        ("not", "only"),
        ("not", "just"),
        ("not", "sure"),
        ("never", "ending"),
        ("can't", "stop"),
        ("couldn't", "stop"),
    }
)
# How many words before a name a negation may stand ("didn't get any dry skin": 3).
NEGATION_WINDOW = 6
_WORD = re.compile(r"[\w']+")
# Negation after the name: "headaches were not an issue", "nausea: none".
_NEGATED_AFTER = re.compile(
    r"\s*(?:(?:(?:was|were|is|are|has\s+been|have\s+been)\s+(?:not|never)"
    r"|wasn't|weren't|isn't|aren't|hasn't\s+been|haven't\s+been|wasnt|werent|isnt|arent)"
    r"\s+(?:an?\s+|any\s+)?(?:problem|issue|concern)"
    r"|[:?\-\u2013]\s*(?:none|no|nope|nil|zero|never)\b)",
    re.IGNORECASE,
)


def normalise_text(text):
    """Text as the matcher reads it: Unicode-normalised, with plain apostrophes."""
    return unicodedata.normalize("NFKC", text or "").translate(_APOSTROPHES)


def name_key(name):
    """What makes two names the same: case, spacing and hyphens do not count."""
    return _SEPARATORS.sub(" ", normalise_text(name).casefold()).strip()


def conflict_key(name):
    """Like name_key, also blind to a plural "s", as the matcher is ("dry lip", "dry lips")."""
    key = name_key(name)
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def usable_names(names):
    """The names worth matching, in order, without repeats or names with no letters or digits."""
    seen = set()
    usable = []
    for name in names:
        key = name_key(name)
        if not key or not re.search(r"\w", key) or key in seen:
            continue
        seen.add(key)
        usable.append(normalise_text(name).strip())
    return usable


def _needs_boundary(char):
    if not re.match(r"\w", char):
        return False
    try:
        return not unicodedata.name(char).startswith(_UNSPACED_SCRIPTS)
    except ValueError:
        return True


def _word_pattern(word, *, last):
    lower = word.lower()
    plural = ""
    if last and lower.isascii() and lower.isalpha() and len(lower) > 2:
        if lower.endswith("y") and lower[-2] not in "aeiou":
            lower, plural = lower[:-1], "(?:y|ies)"
        elif lower.endswith("ies"):
            lower, plural = lower[:-3], "(?:y|ies)"
        elif lower.endswith("ss"):
            plural = "(?:es)?"
        elif lower.endswith("s") and len(lower) > 3:
            lower, plural = lower[:-1], "(?:s|es)?"
        else:
            plural = "(?:s|es)?"
    tolerant = lower.isascii() and lower.isalpha() and len(lower) >= 5
    parts = []
    index = 0
    while index < len(lower):
        char = lower[index]
        if tolerant and char in "ao" and lower[index + 1 : index + 2] == "e" and index > 0:
            # British "ae"/"oe" against American "e": anaemia/anemia, diarrhoea/diarrhea.
            parts.append(f"{char}?e")
            index += 2
        elif tolerant and lower[index + 1 : index + 2] == char:
            # A doubled letter typed once: diarrhea/diarhea, dizziness/diziness.
            parts.append(f"{char}{char}?")
            index += 2
        else:
            parts.append(re.escape(char))
            index += 1
    return "".join(parts) + plural


def name_pattern(name):
    """A regular expression (source) matching `name` as plain text, with spelling tolerance."""
    name = normalise_text(name).strip()
    words = [word for word in _SEPARATORS.split(name) if word]
    if not words:
        return None
    body = r"[\s\-\u2010-\u2015]*".join(
        _word_pattern(word, last=index == len(words) - 1) for index, word in enumerate(words)
    )
    start = r"(?<!\w)" if _needs_boundary(words[0][0]) else ""
    end = r"(?!\w)" if _needs_boundary(words[-1][-1]) else ""
    return f"{start}{body}{end}"


def is_negated(text, start, end):
    """Whether the mention at text[start:end] is denied within its clause ("no headaches")."""
    before = text[max(0, start - 300) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    window = [word.lower() for word in _WORD.findall(before)][-NEGATION_WINDOW:]
    for index, word in enumerate(window):
        following = window[index + 1] if index + 1 < len(window) else ""
        if (word, following) in _NOT_NEGATIONS:
            continue
        if word.endswith("n't") or word.replace("'", "") in _NEGATION_WORDS:
            return True
        if word == "free" and window[index + 1 : index + 2] in (["of"], ["from"]):
            return True
    return bool(_NEGATED_AFTER.match(text, end))


class Matcher:
    """Finds which of a drug's side effects a text mentions.

    `terms` maps a key (the caller's id for a side effect) to its names. One
    regular expression holds every name, longest first, so "dry skin" wins over
    "skin" where both could match.
    """

    def __init__(self, terms):
        alternatives = []
        for key, names in terms.items():
            for name in usable_names(names):
                pattern = name_pattern(name)
                if pattern:
                    alternatives.append((len(name), pattern, key))
        alternatives.sort(key=lambda item: -item[0])
        self.keys = {f"t{index}": key for index, (_, _, key) in enumerate(alternatives)}
        self.regex = None
        if alternatives:
            source = "|".join(
                f"(?P<t{index}>{pattern})" for index, (_, pattern, _) in enumerate(alternatives)
            )
            self.regex = re.compile(source, re.IGNORECASE)

    def __bool__(self):
        return self.regex is not None

    def find(self, text):
        """The keys of the side effects `text` mentions without denying them."""
        if self.regex is None or not text:
            return set()
        text = normalise_text(text)
        found = set()
        for match in self.regex.finditer(text):
            key = self.keys[match.lastgroup]
            if key not in found and not is_negated(text, match.start(), match.end()):
                found.add(key)
        return found

    def mentions(self, text):
        """Every mention in `text` as (key, matched text, negated), for explaining results."""
        if self.regex is None or not text:
            return []
        text = normalise_text(text)
        return [
            (self.keys[m.lastgroup], m.group(), is_negated(text, m.start(), m.end()))
            for m in self.regex.finditer(text)
        ]
