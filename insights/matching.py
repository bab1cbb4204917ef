"""Finding side-effect mentions in review text: plain-text names, word boundaries, context.

Everything here is pure Python (no database), so one matcher compiled per drug can
scan a million reviews and tests can feed it sentences directly.

Names are plain text, never regular expressions: every character an editor types is
escaped, with two exceptions written as words of their own: "#" stands for a number
("gained # pounds" finds "gained 20 pounds" and "gained twenty pounds") and "~" for up
to three other words ("lost ~ hair" finds "lost a lot of hair"). Cheap spelling
tolerance is added around the escaped words: singular and plural ("headache",
"headaches", "allergy", "allergies"), a space, a hyphen or nothing between words
("nose bleed", "nose-bleed", "nosebleed"), British and American spellings
("diarrhoea", "diarrhea") and a doubled letter typed once ("diarhea").

Whether a found name counts is decided by the context rules in insights.assertion.
"""

import re
import unicodedata
from typing import NamedTuple

from . import lexicon
from .assertion import ASSERTED, NEGATED, NEGATION_WINDOW, Sentences, assertion, sentence_of
from .text import SEPARATORS as _SEPARATORS
from .text import conflict_key, name_key, normalise_text, usable_names

__all__ = [
    "NEGATION_WINDOW",
    "Matcher",
    "conflict_key",
    "name_key",
    "name_pattern",
    "normalise_text",
    "usable_names",
]

# Scripts written without spaces between words: a name there cannot need word boundaries.
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")

NUMBER_WORD = "#"
GAP_WORD = "~"
_NUMBER = (
    r"(?:\d+(?:[.,/\-]\d+)*|a\s+few|few|several|a\s+couple(?:\s+of)?|couple|one|two|three"
    r"|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred)"
)
_GAP = r"(?:[\w'.,/\-]+\s+){0,3}"
_BETWEEN = r"[\s\-\u2010-\u2015]*"


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
    last = len(words) - 1
    body = ""
    for index, word in enumerate(words):
        # The wildcards only stand between other words: a name never starts or ends with one.
        if 0 < index < last and word == NUMBER_WORD:
            body += _BETWEEN + _NUMBER
        elif 0 < index < last and word == GAP_WORD:
            body += r"[\s\-\u2010-\u2015]+" + _GAP
        else:
            joiner = "" if index == 0 or words[index - 1] == GAP_WORD and index > 1 else _BETWEEN
            body += joiner + _word_pattern(word, last=index == last)
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


def _not_side_effects(regex):
    """One expression for the phrases that only look like one of `regex`'s names ("tired of").

    Only phrases holding one of the names are kept, so a drug's matcher checks a few
    phrases at most, and only around a name it found.
    """
    if regex is None:
        return None
    phrases = sorted(lexicon.not_side_effect_phrases(), key=len, reverse=True)
    patterns = [
        name_pattern(phrase)
        for phrase in phrases
        if regex.search(normalise_text(phrase).casefold())
    ]
    patterns = [pattern for pattern in patterns if pattern]
    return re.compile("|".join(patterns)) if patterns else None


class Matcher:
    """Finds which of a drug's side effects a text reports the writer having.

    `terms` maps a key (the caller's id for a side effect) to its names. One
    regular expression holds every name, longest first, so "dry skin" wins over
    "skin" where both could match. Text and names are casefolded rather than
    matched with IGNORECASE: plain literals let the engine skip a name after one
    character comparison, several times faster over a million reviews. Each name
    found then goes through the context rules (insights.assertion), which read only
    the sentence around it.
    """

    def __init__(self, terms):
        alternatives = []
        self.entries = {}
        self.name_keys = {}
        for key, names in terms.items():
            names = usable_names(names)
            self.entries[key] = lexicon.entry_for(names)
            self.name_keys[key] = [name_key(name) for name in names]
            for name in names:
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
        self.guards = _not_side_effects(self.regex)
        self._treated = {}

    def __bool__(self):
        return self.regex is not None

    def treated_keys(self, condition):
        """Keys of the side effects that a drug for `condition` treats or aims at.

        The lexicon says so ("weight loss" for obesity), or the condition's name holds
        one of the side effect's names ("Anxiety and Stress" holds "anxiety").
        """
        if not condition:
            return frozenset()
        treated = self._treated.get(condition)
        if treated is None:
            folded = f" {name_key(condition)} "
            treated = frozenset(
                key
                for key, entry in self.entries.items()
                if (entry and lexicon.is_treated_by(entry, condition))
                or any(f" {name} " in folded for name in self.name_keys[key])
            )
            self._treated[condition] = treated
        return treated

    def _matches(self, text):
        text = normalise_text(text).casefold()
        for match in self.regex.finditer(text):
            yield self.keys[match.lastgroup], match, text

    def find(self, text, condition=None):
        """The keys of the side effects `text` says the writer had on this drug.

        `condition`: the name of the condition the drug was taken for, when known.
        """
        return {
            mention.key
            for mention in self._judged(text, condition, explain=False)
            if mention.status == ASSERTED
        }

    def explain(self, text, condition=None):
        """Every name found in `text`, as Mention tuples with the rule's verdict, to show why."""
        return list(self._judged(text, condition, explain=True))

    def _judged(self, text, condition, *, explain):
        if self.regex is None or not text:
            return
        treated = self.treated_keys(condition)
        guards = self.guards
        counted = set()
        floor = 0
        sentences = None
        for key, match, folded in self._matches(text):
            if key in counted and not explain:
                continue
            if sentences is None:
                sentences = Sentences(folded)
            start, end = match.span()
            status = assertion(
                folded,
                start,
                end,
                treated=key in treated,
                guards=guards,
                floor=floor,
                sentences=sentences,
            )
            if status == ASSERTED:
                counted.add(key)
            if status != NEGATED:
                floor = end
            sentence = sentence_of(folded, start, end, sentences) if explain else ""
            yield Mention(key, match.group(), start, end, status, sentence)

    def mentions(self, text, condition=None):
        """Every name found in `text` as (key, matched text casefolded, set aside by a rule)."""
        return [
            (mention.key, mention.text, mention.status != ASSERTED)
            for mention in self.explain(text, condition)
        ]


class Mention(NamedTuple):
    key: object
    text: str
    start: int
    end: int
    status: str
    sentence: str
