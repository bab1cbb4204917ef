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
# dry lips"). A comma (or "and", "so"…) only ends a clause when a new subject follows
# it; otherwise it is a list ("no headaches, nausea or dizziness").
_TOKEN = re.compile(r"[\w']+|[.!?;:\n\u3002\uff01\uff1f,]")
_SENTENCE_ENDS = frozenset(".!?;:\n\u3002\uff01\uff1f")
_BREAK_WORDS = frozenset(
    {"but", "except", "besides", "however", "although", "though", "whereas", "until", "unlike"}
)
_BREAK_PAIRS = frozenset({("apart", "from"), ("aside", "from"), ("other", "than")})
_JOINERS = frozenset({",", "and", "so", "then", "plus"})
_SUBJECTS = frozenset(
    {
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "my",
        "it",
        "it's",
        "the",
        "this",
        "that",
        "she",
        "he",
        "we",
        "they",
        "then",
        "now",
        "also",
        "still",
    }
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


def _name_parts(name):
    """(needs a word boundary before, first character, pattern for the rest) of `name`.

    The first character stands alone so the combined expression can reject most
    names at a position by one character comparison, which keeps scanning fast.
    """
    name = normalise_text(name).strip().casefold()
    words = [word for word in _SEPARATORS.split(name) if word]
    if not words:
        return None
    body = r"[\s\-\u2010-\u2015]*".join(
        _word_pattern(word, last=index == len(words) - 1) for index, word in enumerate(words)
    )
    first = re.escape(name[0])
    end = r"(?!\w)" if _needs_boundary(words[-1][-1]) else ""
    return _needs_boundary(name[0]), name[0], body[len(first) :] + end


def name_pattern(name):
    """A regular expression (source) matching casefolded text that contains `name` as plain text."""
    parts = _name_parts(name)
    if parts is None:
        return None
    bounded, first, rest = parts
    return ("(?<!\\w)" if bounded else "") + re.escape(first) + rest


def _clause_before(text, start):
    """The words of the clause before text[start], nearest last, at most NEGATION_WINDOW."""
    tokens = _TOKEN.findall(text, max(0, start - 200), start)
    clause = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in _SENTENCE_ENDS or token in _BREAK_WORDS:
            break
        if (token, following) in _BREAK_PAIRS:
            clause.pop()
            break
        if token in _JOINERS:
            if following in _SUBJECTS:
                break
            if token == ",":
                continue
        clause.append(token)
        if len(clause) == NEGATION_WINDOW:
            break
    clause.reverse()
    return clause


def is_negated(text, start, end):
    """Whether the mention at text[start:end] is denied within its clause ("no headaches").

    `text` is casefolded, as the matcher reads it.
    """
    window = _clause_before(text, start)
    for index, word in enumerate(window):
        following = window[index + 1] if index + 1 < len(window) else ""
        if (word, following) in _NOT_NEGATIONS:
            continue
        if word.endswith("n't") or word.replace("'", "") in _NEGATION_WORDS:
            return True
        if word == "free" and following in ("of", "from"):
            return True
    return bool(_NEGATED_AFTER.match(text, end))


class Matcher:
    """Finds which of a drug's side effects a text mentions.

    `terms` maps a key (the caller's id for a side effect) to its names. One
    regular expression holds every name, longest first, so "dry skin" wins over
    "skin" where both could match. Text and names are casefolded rather than
    matched with IGNORECASE: plain literals let the engine skip a name after one
    character comparison, several times faster over a million reviews.
    """

    def __init__(self, terms):
        alternatives = []
        for key, names in terms.items():
            for name in usable_names(names):
                parts = _name_parts(name)
                if parts:
                    alternatives.append((len(name), parts, key))
        alternatives.sort(key=lambda item: -item[0])
        self.keys = {}
        bounded, unbounded = [], []
        for index, (_, (needs_boundary, first, rest), key) in enumerate(alternatives):
            self.keys[f"t{index}"] = key
            branch = f"{re.escape(first)}(?P<t{index}>{rest})"
            (bounded if needs_boundary else unbounded).append(branch)
        branches = []
        if bounded:
            branches.append(r"(?<!\w)(?:" + "|".join(bounded) + ")")
        if unbounded:
            branches.append("(?:" + "|".join(unbounded) + ")")
        self.regex = re.compile("|".join(branches)) if branches else None

    def __bool__(self):
        return self.regex is not None

    def _matches(self, text):
        text = normalise_text(text).casefold()
        for match in self.regex.finditer(text):
            yield self.keys[match.lastgroup], match, text

    def find(self, text):
        """The keys of the side effects `text` mentions without denying them."""
        if self.regex is None or not text:
            return set()
        found = set()
        for key, match, folded in self._matches(text):
            if key not in found and not is_negated(folded, match.start(), match.end()):
                found.add(key)
        return found

    def mentions(self, text):
        """Every mention in `text` as (key, matched text casefolded, negated), to explain results."""
        if self.regex is None or not text:
            return []
        return [
            (key, match.group(), is_negated(folded, match.start(), match.end()))
            for key, match, folded in self._matches(text)
        ]
