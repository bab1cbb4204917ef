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

from .text import normalise_text

REDACTED = "[removed]"

# Personal data ------------------------------------------------------------------------

# Patterns start only where a token starts (the lookbehinds), so a long run of letters
# costs one attempt, not one per character: screening stays linear in the text.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# A run of digits with the separators people type in phone numbers; the digit count
# (checked below) tells a phone number from a dose, a date or a year range.
_PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\d[\d ().\-\u2010-\u2013]{6,}\d(?![\w.])")
# A house number, one to three capitalised words and a street type: "221 Baker Street".
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard"
    r"|Blvd|Lane|Ln|Drive|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent)\b"
)
_STREET_WORDS = ("Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane",
                 "Ln", "Drive", "Court", "Ct", "Way", "Place", "Pl", "Terrace", "Close",
                 "Crescent")  # fmt: skip
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
# Endings of verbs and adverbs that start a sentence, seldom of a surname.
_NOT_NAME_ENDINGS = (
    "ished",
    "ated",
    "ized",
    "ised",
    "ied",
    "ened",
    "eased",
    "uced",
    "oved",
    "ally",
    "edly",
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


def _words(text):
    return frozenset(text.split())


# Dosing advice to others --------------------------------------------------------------

# An amount, a count of doses, or how often: what turns "take it" into dosing advice.
_DOSE_AMOUNT = (
    r"(?:\d+(?:[.,]\d+)?\s*(?:mg|mcg|\u00b5g|ug|g|ml|iu|units?|tablets?|tabs?|pills?|capsules?"
    r"|caps|drops|puffs|doses?|times?)\b"
    r"|(?:one|two|three|four|five|half|a|an|extra|double|twice|triple|another|more|less|lower"
    r"|higher|smaller|bigger|low|high|full|second)\s+(?:\w+\s+)?"
    r"(?:tablets?|tabs?|pills?|capsules?|doses?|dosages?|puffs|drops|amount)\b"
    r"|\b(?:dose|doses|dosage|dosing|twice\s+a\s+day|once\s+a\s+day|every\s+\d+\s+hours"
    r"|\d+\s+(?:times?\s+)?(?:a|per)\s+day)\b"
    # "take 2", "take two at night": a bare count right after "take" is a number of doses.
    r"|(?<=take )(?:\d+|one|two|three|four|half)\b(?!\s*(?:weeks?|days?|months?|years?|hours?"
    r"|minutes?|hrs?|mins?|step|thing|at\s+a\s+time)\b)"
    # "split it in half": a dose cut by the reader.
    r"|\bin(?:to)?\s+(?:half|halves|two|quarters)\b)"
)
# Verbs that change what or how much a reader takes.
_DOSE_VERB = (
    r"(?:take|taking|try|trying|use|using|up|upping|increase|increasing|raise|double|doubling"
    r"|triple|lower|lowering|reduce|reducing|decrease|halve|cut|cutting|stop|stopping|skip"
    r"|skipping|split|crush|start|starting|go\s+(?:up|down)\s+to|ask\s+for|bump|drop|wean"
    r"|taper|tapering|quit|quitting)"
)
# The same verbs as an instruction at the start of a sentence: base forms only.
_IMPERATIVE_VERB = (
    r"(?:take|try|use|up|increase|raise|double|triple|lower|reduce|decrease|halve|cut|stop"
    r"|skip|split|crush|start|go\s+(?:up|down)\s+to|ask\s+for|bump|drop|wean|taper|quit)"
)
# The words an instruction can open a clause with: the verbs above, the adverbs and
# negations the pattern below allows before them. A frozenset (not word sets) marks
# a pattern that needs one of them right after a clause break (see _Clues).
_CLAUSE_OPENERS = frozenset(
    "take try use up increase raise double triple lower reduce decrease halve cut stop skip "
    "split crush start go ask bump drop wean taper quit just so honestly seriously then "
    "always please definitely only best don't dont do never".split()
)
# Whole words each pattern needs: one from every set of one of its alternatives.
# They let screening skip the pattern (see _Clues) and must follow any change to it.
_DOSE_VERBS = frozenset(
    "take taking try trying use using up upping increase increasing raise double doubling "
    "triple lower lowering reduce reducing decrease halve cut cutting stop stopping skip "
    "skipping split crush start starting go ask bump drop wean taper tapering quit "
    "quitting".split()
)
_ADVICE_SUBJECTS = frozenset("you u y everyone anyone anybody people others".split())
_ADVICE_MODALS = frozenset(
    "should must need needs have has ought gotta can could might may better ll will".split()
)
_ADVICE_LEAD_INS = (
    (frozenset({"recommend", "suggest", "advise", "urge", "advice"}),),
    (frozenset({"trust"}), frozenset({"me"})),
    (frozenset({"if"}), frozenset({"i"}), frozenset({"were"}), frozenset({"you"})),
    (frozenset({"tell"}), frozenset({"you", "anyone", "everyone"})),
    (frozenset({"make", "be"}), frozenset({"sure"})),
    (frozenset({"say"}), frozenset({"i", "d", "would"})),
)


class _Anaphoric:
    """`antecedent` then, within reach, `warning`: found warning first, as warnings are rare.

    search() returns the match of the two together, exactly as one pattern would, but
    looks for the antecedent only in the stretch of text a warning can reach back over.
    """

    REACH = 300

    def __init__(self, antecedent, warning):
        self.warning = re.compile(warning, re.IGNORECASE)
        self.whole = re.compile(antecedent + warning, re.IGNORECASE)

    def search(self, text, pos=0):
        for warning in self.warning.finditer(text, pos):
            match = self.whole.search(text, max(pos, warning.start() - self.REACH), warning.end())
            if match:
                return match
        return None


_ASK = frozenset({"ask", "tell", "get"})
_PRESCRIBERS = _words("doctor doc dr gp psychiatrist pharmacist")
# Telling readers to stop, quit or change on their own, with or without an amount.
_STOP_WORDS = frozenset("stop stopping quit quitting skip double taper wean".split())
_DOSING_ADVICE = [
    # "you should take 80mg", "everyone needs to double the dose"
    (
        ((_ADVICE_SUBJECTS, _ADVICE_MODALS, _DOSE_VERBS),),
        re.compile(
            r"\b(?:you|u|y'all|everyone|anyone|anybody|people|others)\s*"
            r"(?:should|must|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|gotta|can|could"
            r"|might\s+want\s+to|may\s+want\s+to|'ll\s+want\s+to|will\s+want\s+to|better)\s+"
            r"(?:(?:just|definitely|really|probably|also|always|simply|only|easily|not|never)\s+)?"
            rf"{_DOSE_VERB}\b[^.!?\n]{{0,40}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
    # An instruction at the start of a sentence: "Take 80mg with food.", "Double the dose."
    (
        _CLAUSE_OPENERS,
        re.compile(
            r"(?:^|[.!?\n;:]\s*|,\s*(?:so|just|then)\s+|\bif\s+(?:you|u)\b[^.!?\n,]{0,60},\s*)"
            r"(?:(?:just|so|honestly|seriously|then|always|please|definitely|only|best\s+to"
            r")\s+)?"
            r"(?:(?:don't|dont|do\s+not|never)\s+)?"
            r"(?!up\s+to\b)"
            rf"{_IMPERATIVE_VERB}\s+(?:the\s+|your\s+|a\s+|an\s+|it\s+|them\s+|with\s+|at\s+"
            rf"|on\s+)?[^.!?\n]{{0,25}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
    # "I recommend taking 40mg", "my advice: double the dose", "if I were you I'd up the dose"
    (
        _ADVICE_LEAD_INS,
        re.compile(
            r"\b(?:(?:recommend|suggest|advise|urge)(?:\s+(?:you|anyone|everyone|people))?"
            r"|advice(?:\s+is)?|trust\s+me|if\s+i\s+were\s+you|tell\s+(?:you|anyone|everyone)"
            r"|(?:make|be)\s+sure(?:\s+(?:you|to))?|i(?:'d|\s+would)\s+say)\b"
            r"(?:\s+(?:to|not\s+to|that|you))*"
            rf"[^.!?\n]{{0,30}}?\b{_DOSE_VERB}\b[^.!?\n]{{0,40}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
    # A ceiling told to readers: "don't go over 20mg", "never take more than 3 a day".
    (
        (
            (
                frozenset({"don", "dont", "never", "not"}),
                _words("over above past higher exceed more"),
            ),
        ),
        re.compile(
            r"\b(?:don't|dont|do\s+not|never)\s+(?:go\s+(?:over|above|past|higher\s+than)|exceed"
            r"|take\s+more\s+than|use\s+more\s+than)\s+(?:the\s+)?\d+",
            re.IGNORECASE,
        ),
    ),
    # "my advice is 2 tablets", "advice: 20mg at night"
    (
        ((frozenset({"advice"}),),),
        re.compile(
            rf"\badvice(?:\s+is)?[\s:,-]+(?:to\s+)?(?:\w+\s+){{0,2}}?{_DOSE_AMOUNT}",
            re.IGNORECASE,
        ),
    ),
    # "ask your doctor for 40mg", "ask for the 20", "ask to go up to 60"
    (
        ((_ASK, _PRESCRIBERS),),
        re.compile(
            r"\b(?:ask|tell|get)\s+(?:your|ur|the)\s+(?:doctor|doc|dr|gp|psychiatrist|pharmacist)"
            r"\s+(?:for|to\s+(?:up|raise|increase|double|lower|give|prescribe|put|bump|switch)\b"
            r"[^.!?\n\d]{0,20}?)\s*(?:the\s+|a\s+)?(?:\d|higher|lower|bigger|more|double)",
            re.IGNORECASE,
        ),
    ),
    # Stopping, doubling or skipping on one's own, told to readers: "don't stop cold turkey",
    # "double up if you miss one", "never just quit it", "taper off slowly".
    (
        (
            (_words("stop quit"), _words("turkey abruptly suddenly once too own without right")),
            (_words("stop quit"), _words("immediately")),
            (_words("double"), _words("up")),
            (_words("skip double"), _words("dose pill tablet day")),
            (_words("taper wean"), _words("off down")),
        ),
        re.compile(
            r"(?:^|[.!?\n;:]\s*|,\s*|\b(?:and|so|but|then|just|please)\s+)"
            r"(?:(?:just|so|but|please|definitely|then)\s+)?"
            r"(?:(?:don't|dont|do\s+not|never)\s+(?:just\s+|ever\s+)?"
            r"(?:stop|quit)(?:\s+(?:taking|using))?(?:\s+(?:it|this|them|the\s+\w+))?"
            r"\s+(?:cold\s+turkey|abruptly|suddenly|all\s+at\s+once|too\s+(?:soon|early|quickly)"
            r"|on\s+your\s+own|without)"
            r"|(?:stop|quit)(?:\s+(?:taking|using))?(?:\s+(?:it|this|them))?\s+(?:cold\s+turkey"
            r"|abruptly|right\s+away|immediately)"
            r"|double\s+up|(?:skip|double)\s+(?:a|the|your|one)\s+(?:dose|pill|tablet|day)"
            r"|(?:taper|wean)\s+(?:yourself\s+)?(?:off|down))\b",
            re.IGNORECASE,
        ),
    ),
    (
        ((_ADVICE_SUBJECTS, _STOP_WORDS), (frozenset({"if"}), _words("miss forget"))),
        re.compile(
            r"\bif\s+you\s+(?:miss|forget)\b[^.!?\n]{0,30}?\b(?:double|take\s+(?:two|2|both))\b"
            r"|\b(?:you|u)\s+(?:should|must|need\s+to|have\s+to|can|could)\s+"
            r"(?:(?:just|always|also|slowly)\s+)?(?:taper|wean|double\s+up)\b"
            r"|\b(?:you|u)\s+(?:should|must|can|could)\s+(?:just\s+)?(?:stop|quit)\s+"
            r"(?:taking\s+|using\s+)?(?:it|this|them)\s+(?:cold\s+turkey|whenever|any\s*time)",
            re.IGNORECASE,
        ),
    ),
    # A warning not to repeat what the writer just told of doing to their dose: "I thought
    # I could stop taking it. After two days it went wrong. So don't do this."
    (
        (
            (
                frozenset({"don", "dont", "never", "not"}),
                frozenset({"do", "make", "try"}),
            ),
        ),
        _Anaphoric(
            r"\b(?:stop|stopp|quit|skipp?|doubl|cold\s+turkey|taper|wean|lower|reduc|diminish"
            r"|cut\s+(?:down|back))\w*\b[^!?]{0,250}?",
            r"\b(?:don't|dont|do\s+not|never)\s+"
            r"(?:ever\s+)?(?:do\s+(?:this|that|it|the\s+same|what\s+i\s+did)"
            r"|make\s+(?:this|that|my|the\s+same)\s+mistake|try\s+(?:this|that))\b",
        ),
    ),
]
# A sentence about the writer's own history ("Take 2mg twice daily since 2019") reports
# a dose, even when it starts like an instruction.
_OWN_HISTORY = re.compile(
    r"\b(?:since|ago|currently|so\s+far|these\s+days|for\s+(?:the\s+(?:past|last)\s+)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|several|many|few)\s+(?:years?|yrs?|months?"
    r"|weeks?|days?))\b",
    re.IGNORECASE,
)
# The instruction patterns a report of one's own history can look like.
_MAY_BE_OWN_HISTORY = frozenset({1})

# Self-harm and suicide ----------------------------------------------------------------

# Words for thoughts and acts: a tight negation just before them ("no suicidal
# thoughts") clears them, as does a plain warning about the drug ("may cause
# suicidal thoughts") or someone else's ("my son became suicidal"); first-person
# statements below are never cleared.
_SELF_HARM_TOPICS = re.compile(
    r"\b(?:suicid\w*|self[\s-]?harm\w*|self[\s-]?injur\w*|overdos\w*)",
    re.IGNORECASE,
)


# First-person statements, each with the words it cannot do without (see _Clues).
_SELF_HARM_STATEMENTS = [
    (
        ((_words("myself"),),),
        r"(?:kill|killing|killed|hurt|hurting|hurted|harm|harming|harmed|cut|cutting|cuts"
        r"|starve|starving|hang|hanging|hanged|shoot|drown)\s+myself",
    ),
    (
        ((_words("end ending ended take"), _words("life all")),),
        r"end(?:ing|ed)?\s+(?:my|it)\s+(?:own\s+)?life|end(?:ing|ed)?\s+it\s+all"
        r"|take\s+my\s+(?:own\s+)?life",
    ),
    (
        ((_words("took"), _words("pills")),),
        r"took\s+(?:a\s+|an\s+)?(?:bunch|handful|bottle)\s+of\s+pills",
    ),
    (
        ((_words("dead die"),),),
        r"(?:want|wanted|wanting|wish|wished)\s+(?:to\s+be|i\s+was|i\s+were|i\s+could\s+be)"
        r"\s+dead|(?:want|wanted|wanting|wish|wished)\s+(?:to\s+)?(?:just\s+)?die\b"
        r"|better\s+off\s+dead|(?:couldn't|could\s+not|can't|cannot)\s+die\b",
    ),
    (
        (
            (
                _words("live living alive here wake life"),
                _words("want wanting point reason will give gave giving"),
            ),
        ),
        r"no\s+(?:reason|point)\s+(?:to|in)\s+(?:living|live|go\s+on)"
        r"|(?:no|lost\s+(?:my|the|all)|without\s+(?:a|any))\s+will\s+to\s+live"
        r"|(?:give|gave|giving)\s+up\s+on\s+(?:life|living)"
        r"|(?:don't|didn't|do\s+not|did\s+not|dont|didnt)\s+want\s+to\s+(?:live|be\s+alive"
        r"|be\s+here|wake\s+up)|not\s+want(?:ing)?\s+to\s+(?:live|be\s+alive)",
    ),
    (
        ((_words("go"), _words("can cannot couldn cant couldnt")),),
        r"(?:can't|cannot|couldn't)\s+go\s+on\b(?!\s+\w)"
        r"|(?:can't|cannot|couldn't)\s+go\s+on\s+(?:living|like\s+this|anymore|any\s+more)",
    ),
    (
        ((_words("end ending"), _words("want wanted wanting tried thought thinking")),),
        r"(?:want|wanted|wanting|tried|thought\s+about|thinking\s+about)\s+(?:to\s+)?"
        r"end(?:ing)?\s+it\b(?!\s+(?:with|early|after|before|for|here|now|off|and\s+switch))",
    ),
    (
        ((_words("wake"),),),
        r"(?:wish|wished|wishing|hoped|hoping|pray|prayed|praying)\s+(?:that\s+)?(?:i\s+)?"
        r"(?:would\s+not|wouldn't|would\s+never|won't|didn't|did\s+not|not\s+to|never)"
        r"\s+(?:to\s+)?wake\s+up",
    ),
    (
        ((_words("wrist wrists"),),),
        r"(?:slit|slitting|slash|slashing|cut|cutting)\s+my\s+wrists?",
    ),
    (
        ((_words("death dying ending"), _words("thoughts think thought thinking")),),
        r"thoughts\s+of\s+(?:death|dying|ending)"
        r"|(?:think|thought|thinking)\s+about\s+(?:dying|death|ending\s+it)",
    ),
]
_SELF_HARM_STATEMENTS = [
    (needed, re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE))
    for needed, pattern in _SELF_HARM_STATEMENTS
]
_TIGHT_NEGATION = re.compile(
    r"(?:\bno|\bnot\s+any|\bnever\s+(?:had|got|felt|experienced|been)(?:\s+any)?|\bwithout(?:\s+any)?"
    r"|\b(?:didn't|didnt|haven't|havent|hasn't|hasnt|don't|dont|wasn't|wasnt|not)"
    r"\s+(?:have|had|get|got|experience|feel|felt|become|became|been|make\s+me)(?:\s+any)?"
    r"|\bzero|\brisk\s+of|\bwarn\w*\s+(?:about|of)|\bnot\s+to|\bavoid\w*|\bprevent\w*"
    r"|\baccidental\w*|\b(?:afraid|scared|fear|fearful|worried|terrified)\s+(?:of|about))"
    r"\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# Someone else's thoughts or a general warning, just before the word: "my son became
# suicidal", "it can make people suicidal", "may cause suicidal thoughts".
_NOT_THE_WRITER = re.compile(
    r"\b((?:my|our|his|her|their)\s+(?:\w+\s+)?(?:son|daughter|husband|wife|partner|friend"
    r"|brother|sister|mother|mom|mum|father|dad|boyfriend|girlfriend|child|kid|teen|cousin)"
    r"|(?:he|she|they|people|patients|teens|kids|some|others|someone|anyone)"
    r"|(?:may|can|could|might)\s+(?:cause|make|lead)|warning|warnings|label|leaflet|insert"
    r"|black\s+box|side\s+effects?\s+(?:include|list|are|is))\b[^.!?\n]{0,40}$",
    re.IGNORECASE,
)
# The writer, in the same sentence: an "I", "me" or "my" makes it theirs after all.
_WRITER_IN_SENTENCE = re.compile(r"\b(?:i|me|my|myself|i'm|im|i've)\b", re.IGNORECASE)

# Hostile or obscene text aimed at people ----------------------------------------------

_PEOPLE = (
    r"(?:doctors?|docs?|drs?|physicians?|pediatricians?|psychiatrists?|gps?|nurses?"
    r"|pharmacists?|surgeons?|dermatologists?|specialists?|people|reviewers?|posters?"
    r"|women|men|woman|man|person|staff|bosses?|moms?|mums?|wife|husband|idiots?|fools?"
    r"|company\s+(?:executives?|owners?))"
)
_INSULT_WORDS = (
    r"(?:stupid|idiotic|moronic|imbecilic|incompetent|inept|clueless|ignorant|arrogant"
    r"|brainless|useless|pathetic|lying|dumb|retarded|quack|quacks|heartless)"
)
_PLURAL_INSULTS = (
    "idiots morons imbeciles wackos whackos wackjobs nutjobs scumbags bastards bitches "
    "assholes arseholes retards dumbasses douchebags cretins"
)
_INSULT_ADJECTIVES = (
    "stupid idiotic moronic imbecilic incompetent inept clueless ignorant arrogant brainless "
    "useless pathetic lying dumb retarded quack quacks heartless"
)
_INSULT_NOUNS = (
    "idiot idiots moron morons imbecile imbeciles stupid dumb retard retards retarded jerk jerks "
    "asshole assholes bitch bitches bastard bastards quack quacks clueless incompetent liar "
    "liars scum cretin"
)
# Each kind of insult with the words it cannot do without (see _Clues).
_HOSTILE = [
    # Insults aimed at people in the plural: "lying wackos", "morons", "you idiots".
    (_words(_PLURAL_INSULTS), rf"\b(?:{'|'.join(_PLURAL_INSULTS.split())})\b"),
    # Insulting a person: "my inept pediatrician", "stupid doctors", "the quack doctor".
    (
        _words(_INSULT_ADJECTIVES),
        rf"\b{_INSULT_WORDS}\s+(?:\w+\s+)?{_PEOPLE}\b",
    ),
    # "you are an idiot", "he was such a moron", "doctors are idiots", "whoever approved
    # this is a moron"; not the writer's own "I was such an idiot".
    (
        _words(_INSULT_NOUNS),
        r"\b(?:you|u|he|she|they|doctors?|drs?|nurses?|people|pharmacists?)\s*(?:'re|'s|are|is"
        r"|r|was|were)\s+(?:(?:a|an|such|so|complete|total|just|bunch\s+of|all)\s+){0,3}"
        r"(?:idiots?|morons?|imbeciles?|stupid|dumb|retards?|retarded|jerks?|assholes?"
        r"|bitch(?:es)?|bastards?|quacks?|clueless|incompetent|liars?|scum)\b"
        r"|(?<!\bi )(?<!\bi')\b(?:is|was)\s+(?:(?:a|an|such|complete|total|absolute)\s+){1,3}"
        r"(?:idiot|moron|imbecile|retard|jerk|asshole|bitch|bastard|quack|liar|cretin)\b",
    ),
    # Their stupidity: "their stupidity", "your incompetence".
    (
        _words("stupidity idiocy incompetence ignorance"),
        r"\b(?:their|your|his|her|doctors'?|the\s+doctor's)\s+(?:own\s+)?(?:stupidity|idiocy"
        r"|incompetence|ignorance)\b",
    ),
    # Obscenity at someone: "f*** you", "screw them", "go to hell".
    (
        _words("screw damn hell shut piss bitch cunt fuck fucking fck"),
        r"\b(?:f+u+c+k+|f\*+k?|screw|damn)\s+(?:you|u|them|him|her|off|all\s+of\s+you)\b"
        r"|\bgo\s+to\s+hell\b|\bshut\s+up\b|\bpiss\s+off\b|\b(?:son|sons)\s+of\s+(?:a\s+)?bitch"
        r"|\b(?:cunt|motherf\w*)",
    ),
]
_HOSTILE = [(needed, re.compile(pattern, re.IGNORECASE)) for needed, pattern in _HOSTILE]

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
    """What screening found in one text, flag by flag, with reasons a moderator can read.

    `spans` holds (flag, start, end) for each finding, as offsets into `text` (the
    text as screened, Unicode-normalised): what a moderator sees highlighted.
    """

    personal_data: list = field(default_factory=list)
    dosing_advice: list = field(default_factory=list)
    self_harm: list = field(default_factory=list)
    spam: list = field(default_factory=list)
    hostile: list = field(default_factory=list)
    spans: list = field(default_factory=list)
    text: str = ""

    @property
    def flags(self):
        """The Review screening fields and their values."""
        return {
            "flag_personal_data": bool(self.personal_data),
            "flag_dosing_advice": bool(self.dosing_advice),
            "flag_self_harm": bool(self.self_harm),
            "flag_spam": bool(self.spam),
            "flag_hostile": bool(self.hostile),
        }

    @property
    def is_flagged(self):
        return any(self.flags.values())

    @property
    def needs_crisis_support(self):
        """True when the writer should be shown the crisis-support text."""
        return bool(self.self_harm)

    @property
    def reasons(self):
        """Every reason in one list, each starting with its flag."""
        return [
            f"{label}: {reason}"
            for name, label in FLAG_LABELS.items()
            for reason in getattr(self, name)
        ]

    def sentence(self, start, end):
        """The sentence of `text` holding the span start:end, on one line."""
        text = self.text
        begin = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
        stops = [i for i in (text.find(mark, end) for mark in ".!?\n") if i != -1]
        finish = min(stops) + 1 if stops else len(text)
        return " ".join(text[begin:finish].split())

    def sentences(self, name):
        """The sentences that raised flag `name` (a Screening field), in text order."""
        found = []
        for flag, start, end in sorted(self.spans, key=lambda span: span[1]):
            if flag == name:
                sentence = self.sentence(start, end)
                if sentence not in found:
                    found.append(sentence)
        return found


# Flags in the order moderators read them, with their labels.
FLAG_LABELS = {
    "self_harm": "Self-harm",
    "dosing_advice": "Dosing advice",
    "personal_data": "Personal data",
    "hostile": "Hostile",
    "spam": "Spam",
}
# The labels of a hand-labelled set (see the evaluate_screening command), each with
# the Screening flag measured against it.
LABEL_FLAGS = {
    "dosing_advice": "dosing_advice",
    "crisis": "self_harm",
    "personal_data": "personal_data",
    "promotion": "spam",
    "hostile": "hostile",
}


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
        # "saw Dr. Diminished palpitations since…": a new sentence after the title's
        # full stop, starting with a past participle or an adverb rather than a name.
        if match.group().startswith(("Dr.", "Prof.")) and words[0].lower().endswith(
            _NOT_NAME_ENDINGS
        ):
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

    def opens_a_clause(self, words):
        """True if a clause (after the start, . ! ? ; : a comma or a line break) opens
        with one of `words`, as the patterns' [.!?\\n;:,]\\s* sees it."""
        return not self.clause_openers.isdisjoint(words)

    @cached_property
    def clause_openers(self):
        pieces = self.folded.translate(_CLAUSE_BREAKS).split(",")
        return frozenset(piece.split(None, 1)[0] for piece in pieces if piece.strip())

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

    def opens_a_clause(self, words):
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


_CLAUSE_BREAKS = str.maketrans(dict.fromkeys(".!?\n;:", ","))
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
    found = []
    if clues.has_cased("@"):
        match = _EMAIL.search(text)
        if match:
            found.append(("an email address", match.start(), match.end()))
    # Phone numbers have nine digits or more (see _phone_numbers).
    if clues.has_digits(9):
        match = next(_phone_numbers(text), None)
        if match:
            found.append(("a phone number", match.start(), match.end()))
    if clues.has_cased("Dr", "Doctor", "Prof", "Nurse"):
        spans = list(_doctor_names(text))
        if spans:
            quoted = ", ".join(_quote(text[start:end], 40) for start, end in spans[:3])
            found.append((f"a named doctor or nurse ({quoted})", *spans[0]))
    if clues.has_digits() and clues.has_cased(*_STREET_WORDS):
        match = _STREET.search(text)
        if match:
            found.append(("a street address", match.start(), match.end()))
    if clues.has("name", "call"):
        match = _MY_NAME.search(text)
        if match:
            found.append(("the writer's own name", match.start(), match.end()))
    return found


_LEADING_PUNCTUATION = ".!?;,:\n "
_TAKE = frozenset({"take"})
_IN = frozenset({"in", "into"})
_TWO = frozenset({"two"})
_DOSE_COUNTS = frozenset({"one", "two", "three", "four", "half"})


def _first_not_own_history(pattern, text, match):
    """The first match of `pattern` from `match` on whose sentence is not the writer's history."""
    while match:
        sentence_end = len(text)
        for mark in ".!?\n":
            found = text.find(mark, match.end())
            if found != -1:
                sentence_end = min(sentence_end, found)
        if not _OWN_HISTORY.search(text, match.start(), sentence_end):
            return match
        match = pattern.search(text, sentence_end)
    return None


def _dosing_advice(clues):
    # Every pattern needs an amount (a number, or a word such as "tablets" or "dose"),
    # or a word for stopping, skipping, doubling or tapering on one's own.
    if not (
        clues.has_digits()
        or clues.has("tab", "pill", "caps", "dos", "puff", "drop", "time", "day", "hour")
        or clues.has("stop", "quit", "skip", "doubl", "taper", "wean", "amount", "higher")
        or clues.has("lower", "reduc", "diminish", "cut", "turkey", "half", "halves", "quarter")
        or clues.has_words(_IN, _TWO)
        or clues.has_words(_ASK, _PRESCRIBERS)
        or clues.has_words(_TAKE, _DOSE_COUNTS)
    ):
        return []
    text = clues.text
    for index, (alternatives, pattern) in enumerate(_DOSING_ADVICE):
        if isinstance(alternatives, frozenset):
            if not clues.opens_a_clause(alternatives):
                continue
        elif not any(clues.has_words(*needed) for needed in alternatives):
            continue
        match = pattern.search(text)
        if match and index in _MAY_BE_OWN_HISTORY:
            match = _first_not_own_history(pattern, text, match)
        if match:
            advice = match.group()
            start = match.start() + len(advice) - len(advice.lstrip(_LEADING_PUNCTUATION))
            return [(f"tells others how to dose: {_quote(text[start:match.end()])}", start,
                     match.end())]  # fmt: skip
    return []


def _is_the_writers(text, match):
    """False when the words just before a topic word deny it or give it to someone else."""
    before = text[max(0, match.start() - 40) : match.start()]
    if _TIGHT_NEGATION.search(before):
        return False
    other = _NOT_THE_WRITER.search(before)
    return not other or bool(_WRITER_IN_SENTENCE.search(before[other.end(1) :]))


def _self_harm(clues):
    text = clues.text
    found = []
    for alternatives, pattern in _SELF_HARM_STATEMENTS:
        if not any(clues.has_words(*needed) for needed in alternatives):
            continue
        statement = pattern.search(text)
        if statement:
            found.append(
                (
                    f"mentions self-harm or suicide: {_quote(statement.group())}",
                    statement.start(),
                    statement.end(),
                )
            )
            break
    if clues.has("suicid", "overdos") or (clues.has("self") and clues.has("harm", "injur")):
        for match in _SELF_HARM_TOPICS.finditer(text):
            if _is_the_writers(text, match):
                found.append(
                    (
                        f"mentions self-harm or suicide: {_quote(match.group())}",
                        match.start(),
                        match.end(),
                    )
                )
                break
    return found


def _hostile(clues):
    # "f***" and "motherf…" are not whole words the word sets can hold.
    spelled = clues.has("f*", "motherf", "fuck")
    for needed, pattern in _HOSTILE:
        if clues.word_set.isdisjoint(needed) and not (spelled and pattern is _HOSTILE[-1][1]):
            continue
        match = pattern.search(clues.text)
        if match:
            return [(f"insults or obscenity aimed at people: {_quote(match.group())}",
                     match.start(), match.end())]  # fmt: skip
    return []


def _is_repeated(clues):
    if clues.may_repeat_letters():
        match = _REPEATED_CHARS.search(clues.text)
        if match:
            return match
    if clues.may_repeat_phrase():
        return _REPEATED_WORDS.search(clues.text)
    return None


def _spam(clues):
    text = clues.text
    found = []
    if clues.may_link():
        # An email address is personal data, not a link.
        links = [
            link
            for link in _LINK.finditer(text)
            if not _EMAIL.search(link.group()) and f"@{link.group()}" not in text
        ]
        if links:
            link = links[0]
            found.append(
                (f"contains a link ({_quote(link.group(), 40)})", link.start(), link.end())
            )
    if clues.has(*_SPAM_WORDS):
        phrase = _SPAM_PHRASES.search(text)
        if phrase:
            found.append(
                (
                    f"advertising wording ({_quote(phrase.group(), 40)})",
                    phrase.start(),
                    phrase.end(),
                )  # fmt: skip
            )
    repeated = _is_repeated(clues)
    if repeated:
        found.append(("the same text repeated", repeated.start(), repeated.end()))
    else:
        # A sentence said three times needs at least two of the marks that end one.
        if clues.may_have_sentences(3):
            sentences = [" ".join(s.lower().split()) for s in _SENTENCE.findall(text)]
            counts = Counter(s for s in sentences if len(s) >= 6)
            if counts and counts.most_common(1)[0][1] >= 3:
                found.append(("the same sentence repeated", 0, len(text)))
        words = clues.words
        if len(words) >= 40 and len(clues.word_set) / len(words) < 0.25:
            found.append(("very repetitive text", 0, len(text)))
    return found


def screen_text(text, *, clues=_Clues):
    """Screen a review's text; returns a Screening with a list of reasons per flag."""
    found = clues(normalise_text(text))
    findings = {
        "personal_data": _personal_data(found),
        "dosing_advice": _dosing_advice(found),
        "self_harm": _self_harm(found),
        "spam": _spam(found),
        "hostile": _hostile(found),
    }
    return Screening(
        **{name: [reason for reason, _, _ in items] for name, items in findings.items()},
        spans=[(name, start, end) for name, items in findings.items() for _, start, end in items],
        text=found.text,
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
