"""Screening review text for what a moderator must see first.

Four flags, matching the Review fields: possible personal data, dosing advice to
other readers, mentions of self-harm or suicide, and likely spam. Screening only
flags: a person decides. It errs towards flagging where missing something costs
more than a second look (self-harm above all), and each flag comes with reasons in
plain words so a moderator sees at once why.

Pure Python, no database: safe to call at submit time and from the admin.
"""

import operator
import re
import string
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .matching import normalise_text

REDACTED = "[removed]"

# Personal data ------------------------------------------------------------------------

# Patterns start only where a token starts (the lookbehinds), so a long run of letters
# costs one attempt, not one per character: screening stays linear in the text.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# A run of digits with the separators people type in phone numbers; the digit count
# (checked below) tells a phone number from a dose, a date or a year range.
_PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\d[\d ().\-\u2010-\u2013]{6,}\d(?![\w.])")
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
# "Dr Smith", "Dr. Jane Smith", "Doctor O'Brien", "Prof Patel": a title and a capitalised name.
_NAME_WORD = r"[A-Z][a-z'\u2019]+(?:-[A-Z][a-z'\u2019]+)?"
_DOCTOR_NAME = re.compile(
    rf"\b(?:Dr|Dr\.|Doctor|Prof|Prof\.|Professor|Nurse)\s+((?:{_NAME_WORD})(?:\s+{_NAME_WORD})?)"
)
# The words before the name in any case, the name itself capitalised ("my name is not important").
_MY_NAME = re.compile(
    rf"\b(?i:my name is|my name's|i am called|call me)\s+({_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
# Capitalised words after "Dr" that are not names ("Dr I trust", "Doctor Who").
_NOT_NAMES = frozenset(
    {
        "I",
        "The",
        "My",
        "Me",
        "He",
        "She",
        "They",
        "It",
        "And",
        "But",
        "Said",
        "Says",
        "Told",
        "Prescribed",
        "Recommended",
        "Gave",
        "Put",
        "Google",
        "Who",
        "Appointment",
        "Visit",
        "Office",
    }
)

# Dosing advice to others --------------------------------------------------------------

_DOSE_AMOUNT = (
    r"(?:\d+(?:[.,]\d+)?\s*(?:mg|mcg|\u00b5g|ug|g|ml|iu|units?|tablets?|tabs?|pills?|capsules?"
    r"|caps|drops|puffs|doses?)\b"
    r"|(?:one|two|three|four|five|half|a|an|extra|double|twice|triple)\s+"
    r"(?:tablets?|tabs?|pills?|capsules?|doses?|puffs|drops)\b"
    r"|\b(?:dose|doses|dosage)\b)"
)
_DOSE_VERB = (
    r"(?:take|try|use|up|increase|raise|double|triple|lower|reduce|decrease|halve|cut"
    r"|stop|skip|split|crush|start(?:\s+(?:on|at|with))?|go\s+(?:up|down)\s+to|ask\s+for)"
)
# Whole words each pattern needs: one from every set of one of its alternatives.
# They let screening skip the pattern (see _Clues) and must follow any change to it.
_DOSE_VERBS = frozenset(
    "take try use up increase raise double triple lower reduce decrease halve cut stop skip "
    "split crush start go ask".split()
)
_ADVICE_SUBJECTS = frozenset("you u y everyone anyone anybody people others".split())
_ADVICE_MODALS = frozenset(
    "should must need needs have has ought gotta can could might may better".split()
)
_ADVICE_LEAD_INS = (
    (frozenset({"i"}), frozenset({"recommend", "suggest", "advise"})),
    (frozenset({"my"}), frozenset({"advice"})),
    (frozenset({"trust"}), frozenset({"me"})),
    (frozenset({"if"}), frozenset({"i"}), frozenset({"were"}), frozenset({"you"})),
    (frozenset({"i"}), frozenset({"tell"}), frozenset({"you", "anyone", "everyone"})),
)
_DOSING_ADVICE = [
    # "you should take 80mg", "everyone needs to double the dose"
    (
        ((_ADVICE_SUBJECTS, _ADVICE_MODALS, _DOSE_VERBS),),
        re.compile(
            r"\b(?:you|u|y'all|everyone|anyone|anybody|people|others)\s+"
            r"(?:should|must|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|gotta|can|could"
            r"|might\s+want\s+to|may\s+want\s+to|better)\s+"
            r"(?:(?:just|definitely|really|probably|also|always|simply)\s+)?"
            rf"{_DOSE_VERB}\b[^.!?\n]{{0,40}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
    # An instruction at the start of a sentence: "Take 80mg with food.", "Double the dose."
    (
        ((_DOSE_VERBS,),),
        re.compile(
            r"(?:^|[.!?\n;]\s*|,\s*(?:so|just|then)\s+)(?:(?:just|so|honestly|seriously|then)\s+)?"
            rf"{_DOSE_VERB}\s+(?:the\s+|your\s+|a\s+|an\s+|it\s+|them\s+)?[^.!?\n]{{0,25}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
    # "I recommend taking 40mg", "my advice: double the dose", "if I were you I'd up the dose"
    (
        _ADVICE_LEAD_INS,
        re.compile(
            # "[imt](?<!\w[imt])" is "\b[imt]" written so that re turns a position
            # down on its first character: this pattern runs on most reviews ("I
            # would recommend…"), and with a leading \b it tried every branch at
            # every position.
            r"[imt](?<!\w[imt])(?:(?<=i)(?:\s+(?:would\s+)?(?:recommend|suggest|advise)"
            r"|f\s+i\s+were\s+you|(?:'d|\s+would)\s+tell\s+(?:you|anyone|everyone))"
            r"|(?<=m)y\s+advice(?:\s+is)?|(?<=t)rust\s+me)\b"
            rf"[^.!?\n]{{0,40}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
]

# Self-harm and suicide ----------------------------------------------------------------

# Words for thoughts and acts: a tight negation just before them ("no suicidal
# thoughts") clears them; first-person statements below are never cleared.
_SELF_HARM_TOPICS = re.compile(
    r"\b(?:suicid\w*|self[\s-]?harm\w*|self[\s-]?injur\w*|overdos\w*)",
    re.IGNORECASE,
)
_SELF_HARM_STATEMENTS = re.compile(
    r"\b(?:(?:kill|killing|killed|hurt|hurting|hurted|harm|harming|harmed|cut|cutting|cuts|starve|starving)"
    r"\s+myself"
    r"|end(?:ing)?\s+(?:my|it)\s+(?:own\s+)?life|end(?:ing)?\s+it\s+all|take\s+my\s+(?:own\s+)?life"
    r"|(?:want|wanted|wanting|wish|wished)\s+(?:to\s+be|i\s+was|i\s+were)\s+dead"
    r"|(?:want|wanted|wanting)\s+to\s+die|better\s+off\s+dead|no\s+(?:reason|point)\s+(?:to|in)\s+living"
    r"|(?:don't|didn't|do\s+not|did\s+not|dont|didnt)\s+want\s+to\s+(?:live|be\s+alive|be\s+here)"
    r"|not\s+want(?:ing)?\s+to\s+(?:live|be\s+alive)|(?:can't|cannot|couldn't)\s+go\s+on)",
    re.IGNORECASE,
)
_TIGHT_NEGATION = re.compile(
    r"(?:\bno|\bnot\s+any|\bnever\s+(?:had|got|felt|experienced)(?:\s+any)?|\bwithout(?:\s+any)?"
    r"|\b(?:didn't|didnt|haven't|havent|hasn't|hasnt)\s+(?:have|had|get|got|experience)(?:\s+any)?"
    r"|\bzero)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)

# Spam --------------------------------------------------------------------------------

_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?<![\w-])[\w-]{2,}\.(?:com|net|org|info|biz|ru|cn|io|co|shop|store|xyz|top|online|site|me|ly"
    r"|pharmacy|health|click|link|uk|us|in)(?:/\S*)?\b",
    re.IGNORECASE,
)
_SPAM_PHRASES = re.compile(
    r"\b(?:buy\s+(?:\w+\s+){0,3}online|order\s+(?:\w+\s+){0,3}online|without\s+(?:a\s+)?prescription"
    r"|no\s+prescription\s+needed|(?:promo|discount|coupon)\s+code|click\s+here|visit\s+(?:my|our)"
    r"|dm\s+me|message\s+me\s+on|whats\s?app|telegram|cheap(?:est)?\s+(?:pills|meds|price)"
    r"|work\s+from\s+home|crypto|bitcoin)\b",
    re.IGNORECASE,
)
# A word each advertising phrase above cannot do without.
_SPAM_WORDS = (
    "online", "prescription", "code", "click", "visit", "dm", "message", "whats",
    "telegram", "cheap", "home", "crypto", "bitcoin",
)  # fmt: skip
_REPEATED_CHARS = re.compile(r"(\w)\1{9,}")
_REPEATED_WORDS = re.compile(r"\b(\w+(?:\s+\w+){0,2})(?:[\s,.!]+\1\b){4,}", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+")


@dataclass
class Screening:
    """What screening found in one text, flag by flag, with reasons a moderator can read."""

    personal_data: list = field(default_factory=list)
    dosing_advice: list = field(default_factory=list)
    self_harm: list = field(default_factory=list)
    spam: list = field(default_factory=list)

    @property
    def flags(self):
        """The Review screening fields and their values."""
        return {
            "flag_personal_data": bool(self.personal_data),
            "flag_dosing_advice": bool(self.dosing_advice),
            "flag_self_harm": bool(self.self_harm),
            "flag_spam": bool(self.spam),
        }

    @property
    def is_flagged(self):
        return any(self.flags.values())

    @property
    def reasons(self):
        """Every reason in one list, each starting with its flag."""
        return [
            f"{label}: {reason}"
            for label, reasons in (
                ("Personal data", self.personal_data),
                ("Dosing advice", self.dosing_advice),
                ("Self-harm", self.self_harm),
                ("Spam", self.spam),
            )
            for reason in reasons
        ]


def _quote(text, limit=60):
    text = " ".join(text.split())
    return f"\u201c{text[:limit]}{'…' if len(text) > limit else ''}\u201d"


def _phone_numbers(text):
    for match in _PHONE.finditer(text):
        candidate = match.group().strip()
        digits = re.sub(r"\D", "", candidate)
        # Phone numbers carry 9 to 15 digits; "2019-2021" or "20/10/2023" do not look like one.
        if 9 <= len(digits) <= 15 and not _DATE.match(candidate):
            yield match


def _doctor_names(text):
    for match in _DOCTOR_NAME.finditer(text):
        words = match.group(1).split()
        if words[0] in _NOT_NAMES:
            continue
        # Drop a trailing word that only starts a sentence ("Dr Patel The tablets…").
        if len(words) == 2 and words[1] in _NOT_NAMES:
            yield match.start(), match.start(1) + len(words[0])
        else:
            yield match.start(), match.end()


class _Clues:
    """Cheap facts about a text that rule most patterns out before they run.

    A regular expression costs Python about 25 µs per pattern on a typical review,
    because it is tried at every position; a substring test costs well under one.
    Each pattern runs only when the text holds something the pattern cannot match
    without (a "@" for an email address, nine digits for a phone number, the word
    "prescription" for "without a prescription"). That makes screening several
    times faster, which is what lets an import screen a million reviews in
    minutes. Clues only ever rule a pattern out, so the flags are exactly those
    of running every pattern (the tests compare the two on generated text).
    """

    def __init__(self, text):
        self.text = text
        if text.isascii():
            # The common case, in C: for ASCII, \w is [A-Za-z0-9_] and \d is [0-9].
            self.folded = text.lower()
            self.words = self.folded.translate(_ASCII_WORD_BREAKS).split()
            self._digits = len(text) - len(text.translate(_ASCII_DIGITS))
        else:
            # casefold() is the widest case-blind comparison. Dotless i and dotted
            # capital I are the two letters IGNORECASE matches to an ASCII letter
            # ("i") that casefold keeps apart ("ı", "i" and a combining dot).
            self.folded = _fold_i(text.casefold())
            # Words as the patterns' \w+ sees them, each folded as above (folding
            # the text first would split a few words, such as one with a dotted I).
            words = _fold_i("\x00".join(_WORD.findall(text)).casefold())
            self.words = words.split("\x00") if words else []
            self._digits = len(_DIGIT.findall(text))

    @cached_property
    def word_set(self):
        return frozenset(self.words)

    def has(self, *fragments):
        """True if any fragment (lower case) is in the text, in any case."""
        folded = self.folded
        for fragment in fragments:  # a plain loop: any() over a generator costs more here
            if fragment in folded:
                return True
        return False

    def has_cased(self, *fragments):
        text = self.text
        for fragment in fragments:
            if fragment in text:
                return True
        return False

    def has_words(self, *choices):
        """True if the text has, as whole words, one word of every set."""
        return all(not self.word_set.isdisjoint(words) for words in choices)

    def has_digits(self, count=1):
        return self._digits >= count

    def may_have_sentences(self, count):
        """False if the text cannot hold `count` sentences (_SENTENCE) or more."""
        text = self.text
        ends = text.count(".") + text.count("!") + text.count("?") + text.count("\n")
        return ends >= count - 1

    def may_link(self):
        return self.has("http", "www.") or bool(_DOT_LETTER.search(self.text))

    def may_repeat_letters(self):
        """False if no word holds one letter ten times in a row (_REPEATED_CHARS)."""
        long_words = [word for word in self.words if len(word) >= 10]
        if not self.text.isascii():
            # Folding may spell a letter with two characters, breaking its run.
            return bool(long_words)
        return any(_REPEATED_CHARS.search(word) for word in long_words)

    def may_repeat_phrase(self, *, times=5, longest=3):
        """False if no phrase of one to `longest` words is said `times` times running.

        A phrase of k words said five times in a row puts equal words k apart 4k
        times running; comparing the word list with itself shifted finds that in C.
        """
        for k in range(1, longest + 1):
            equal = bytes(map(operator.eq, self.words, self.words[k:]))
            if b"\x01" * ((times - 1) * k) in equal:
                return True
        return False


class _AllClues(_Clues):
    """Clues that rule nothing out, so every pattern runs: what the fast path must equal."""

    def has(self, *fragments):
        return True

    has_cased = has_words = has

    def has_digits(self, count=1):
        return True

    def may_have_sentences(self, count):
        return True

    def may_link(self):
        return True

    def may_repeat_letters(self):
        return True

    def may_repeat_phrase(self, **kwargs):
        return True


def _fold_i(folded):
    return folded.replace("\u0131", "i").replace("i\u0307", "i")


_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
_ASCII_WORD_CHARACTERS = string.ascii_letters + string.digits + "_"
_ASCII_WORD_BREAKS = str.maketrans(
    {chr(code): " " for code in range(128) if chr(code) not in _ASCII_WORD_CHARACTERS}
)
_ASCII_DIGITS = str.maketrans("", "", string.digits)


def _personal_data(clues):
    text = clues.text
    reasons = []
    if clues.has_cased("@") and _EMAIL.search(text):
        reasons.append("an email address")
    # Phone numbers have nine digits or more (see _phone_numbers).
    if clues.has_digits(9) and any(True for _ in _phone_numbers(text)):
        reasons.append("a phone number")
    if clues.has_cased("Dr", "Doctor", "Prof", "Nurse"):
        names = [text[start:end] for start, end in _doctor_names(text)]
        if names:
            quoted = ", ".join(_quote(n, 40) for n in names[:3])
            reasons.append(f"a named doctor or nurse ({quoted})")
    if clues.has("name", "call") and _MY_NAME.search(text):
        reasons.append("the writer's own name")
    return reasons


_LEADING_PUNCTUATION = ".!?;,\n "


def _dosing_advice(clues):
    # Every pattern needs an amount: a number, or a word such as "tablets" or "dose".
    if not (clues.has_digits() or clues.has("tab", "pill", "caps", "dos", "puff", "drop")):
        return []
    for alternatives, pattern in _DOSING_ADVICE:
        if not any(clues.has_words(*needed) for needed in alternatives):
            continue
        match = pattern.search(clues.text)
        if match:
            advice = match.group().lstrip(_LEADING_PUNCTUATION)
            return [f"tells others how to dose: {_quote(advice)}"]
    return []


def _self_harm(clues):
    text = clues.text
    reasons = []
    # The words each statement cannot do without ("myself", "life", "dead", "want … live").
    if (
        clues.has("myself", "life", "dead", "die", "living")
        or (clues.has("end") and clues.has("all"))
        or (clues.has("want") and clues.has("liv", "here"))
        or (clues.has("go") and clues.has("can", "couldn"))
    ):
        statement = _SELF_HARM_STATEMENTS.search(text)
        if statement:
            reasons.append(f"mentions self-harm or suicide: {_quote(statement.group())}")
    if clues.has("suicid", "overdos") or (clues.has("self") and clues.has("harm", "injur")):
        for match in _SELF_HARM_TOPICS.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if not _TIGHT_NEGATION.search(before):
                reasons.append(f"mentions self-harm or suicide: {_quote(match.group())}")
                break
    return reasons


def _is_repeated(clues):
    if clues.may_repeat_letters() and _REPEATED_CHARS.search(clues.text):
        return True
    return clues.may_repeat_phrase() and bool(_REPEATED_WORDS.search(clues.text))


def _spam(clues):
    text = clues.text
    reasons = []
    if clues.may_link():
        links = _LINK.findall(text)
        # An email address is personal data, not a link.
        links = [link for link in links if not _EMAIL.search(link) and f"@{link}" not in text]
        if links:
            reasons.append(f"contains a link ({_quote(links[0], 40)})")
    if clues.has(*_SPAM_WORDS):
        phrase = _SPAM_PHRASES.search(text)
        if phrase:
            reasons.append(f"advertising wording ({_quote(phrase.group(), 40)})")
    if _is_repeated(clues):
        reasons.append("the same text repeated")
    else:
        # A sentence said three times needs at least two of the marks that end one.
        if clues.may_have_sentences(3):
            sentences = [" ".join(s.lower().split()) for s in _SENTENCE.findall(text)]
            counts = Counter(s for s in sentences if len(s) >= 6)
            if counts and counts.most_common(1)[0][1] >= 3:
                reasons.append("the same sentence repeated")
        words = clues.words
        if len(words) >= 40 and len(clues.word_set) / len(words) < 0.25:
            reasons.append("very repetitive text")
    return reasons


def screen_text(text, *, clues=_Clues):
    """Screen a review's text; returns a Screening with a list of reasons per flag."""
    found = clues(normalise_text(text))
    return Screening(
        personal_data=_personal_data(found),
        dosing_advice=_dosing_advice(found),
        self_harm=_self_harm(found),
        spam=_spam(found),
    )


def flags_of(texts):
    """The Review screening fields of each text, as tuples in SCREENING_FIELDS order.

    Plain tuples cross a process boundary cheaply, which is how an import screens
    a large file in worker processes.
    """
    return [tuple(screen_text(text).flags.values()) for text in texts]


# The Review fields screening sets, in the order of Screening.flags.
SCREENING_FIELDS = tuple(Screening().flags)


def redact_personal_data(text):
    """`text` with email addresses, phone numbers and named doctors replaced by a marker.

    Side-effect words are never touched, so mention figures stay true after redaction.
    """
    text = _EMAIL.sub(REDACTED, text)
    spans = [(m.start(), m.end()) for m in _phone_numbers(text)]
    for start, end in sorted(spans, reverse=True):
        text = f"{text[:start]}{REDACTED}{text[end:]}"
    spans = list(_doctor_names(text))
    for start, end in sorted(spans, reverse=True):
        title = text[start:end].split()[0]
        text = f"{text[:start]}{title} {REDACTED}{text[end:]}"
    text = _MY_NAME.sub(lambda m: m.group()[: m.start(1) - m.start()] + REDACTED, text)
    return text
