"""Does the writer say they had it? The context rules around one side-effect mention.

A review names many side effects it does not report having: "no headaches", "I was
scared I'd gain weight", "on my old pill I had acne", "my cramps are gone", "my
sister got migraines on it", "I take it for my insomnia". Each rule below reads the
words around a mention, within its sentence, and gives the reason it does not count;
a mention no rule objects to is asserted.

The rules follow the NegEx/ConText idea (trigger words with a scope that ends at the
sentence or at a contrast such as "but"), written for patients' English rather than
clinical notes. They run only where a name matched, so a review without a mention
costs nothing here. Text is casefolded, as the matcher reads it.
"""

import re
from bisect import bisect_left, bisect_right
from collections import deque

ASSERTED = "asserted"
NEGATED = "negated"
HYPOTHETICAL = "hypothetical"
OTHER_TIME_OR_DRUG = "other time or drug"
IMPROVED = "improved"
SOMEONE_ELSE = "someone else"
TREATED_CONDITION = "treated condition"
NOT_A_SIDE_EFFECT = "not a side effect"

REASONS = (
    NEGATED,
    HYPOTHETICAL,
    OTHER_TIME_OR_DRUG,
    IMPROVED,
    SOMEONE_ELSE,
    TREATED_CONDITION,
    NOT_A_SIDE_EFFECT,
)

# How far around a mention the rules read, in characters: a sentence rarely runs longer.
_REACH = 300
_TOKEN = re.compile(r"[\w']+|[,]")

# A contrast starts a new clause: what came before it no longer applies
# ("I was worried about weight gain but got headaches").
_CONTRAST = re.compile(
    r"(?<!\w)(?:but|however|although|though|except|besides|whereas|yet|now|until|"
    r"apart from|aside from|other than|then|despite|unlike)(?!\w)"
)

# Negation: a denial a few words before the name, within its clause.
NEGATION_WINDOW = 8
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
        "0",
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
        "nothing",
        "nobody",
        "hardly",
        "barely",
        "minus",
    }
)
# Phrases that start with a negation word but deny nothing ("no idea the headaches…").
_NOT_NEGATIONS = frozenset(
    {
        ("no", "idea"),
        ("no", "doubt"),
        ("no", "wonder"),
        ("no", "matter"),
        ("no", "reason"),
        ("no", "relief"),
        ("not", "as"),
        ("not", "only"),
        ("not", "just"),
        ("not", "sure"),
        ("never", "ending"),
        ("can't", "stop"),
        ("couldn't", "stop"),
        ("cannot", "stop"),
        ("didn't", "stop"),
        ("wouldn't", "stop"),
        ("won't", "stop"),
        ("hasn't", "stopped"),
        ("haven't", "stopped"),
        ("can't", "tell"),
        ("not", "that"),
        ("nothing", "but"),
        ("didn't", "realize"),
        ("didn't", "know"),
        ("don't", "know"),
        ("never", "had"),
        ("can't", "stand"),
        ("can't", "handle"),
        ("can't", "take"),
        ("can't", "deal"),
        ("can't", "believe"),
        ("couldn't", "stand"),
        ("couldn't", "handle"),
        ("couldn't", "take"),
        ("couldn't", "deal"),
        ("couldn't", "believe"),
        ("didn't", "expect"),
        ("never", "expected"),
        ("wasn't", "expecting"),
        ("not", "expecting"),
        ("don't", "like"),
        ("didn't", "like"),
    }
)
# "never had" denies ("I never had headaches") unless the writer compares with the
# past ("I have never had headaches like this before"): decided in _negated.
_LIKE_THIS = re.compile(
    r"(?<!\w)(?:like this|like that|so bad|this bad|before|such|in my life|ever|until)(?!\w)"
)
# A clause boundary for negation: a comma followed by a new subject.
_JOINERS = frozenset({",", "and", "so", "plus", "or", "that", "because", "which", "when"})
_SUBJECTS = frozenset(
    {"i", "i'm", "i've", "i'd", "i'll", "my", "it", "it's", "this", "she", "he", "we", "they"}
    | {"have", "had", "started", "then", "now", "also", "still", "got", "get", "gets"}
    | {"gave", "gives", "made", "makes", "caused", "causes", "left", "leaves"}
    # A quantity or a severity starts a new item of a list: "no headaches, some nausea".
    | {"some", "slight", "mild", "occasional", "severe", "bad", "terrible", "horrible"}
    | {"extreme", "constant", "just", "only", "lots", "lot", "frequent", "awful"}
)
# Negation after the name: "headaches were not an issue", "nausea: none", "weight gain? no".
_NEGATED_AFTER = re.compile(
    r"\s*(?:(?:(?:was|were|is|are|has\s+been|have\s+been)\s+(?:not|never)"
    r"|wasn't|weren't|isn't|aren't|hasn't\s+been|haven't\s+been)"
    r"\s+(?:an?\s+|any\s+|a\s+big\s+|really\s+an?\s+)?(?:problem|issue|concern|factor)"
    r"|\s*(?:[:?\-\u2013=]|was|were|is|are)\s*(?:none|no|nope|nil|zero|never|0)(?!\w)"
    r"|\s*(?:is|are|was|were)\s+(?:non\s*-?\s*existent|nonexistent|absent))",
)

# Up to three words between a trigger and the name it governs ("less severe cramps",
# "for my terrible acne"), but not a new verb or clause ("for my acne and got headaches").
_OBJECT_WORDS = (
    r"(?:\s+(?!(?:but|so|then|got|get|gets|gave|give|gives|have|had|has|was|were|is|are"
    r"|i|it|me|caused|causes|made|makes|started|now|still)(?!\w))[\w'/-]+){0,3}"
)

# "for two weeks", "for a while": how long, not what for.
_DURATION = (
    r"(?:\s+[\w'-]+){1,3}?\s+(?:days?|weeks?|months?|years?|hours?|minutes?|nights?|while"
    r"|now|ever|long|life)(?!\w)"
)

_ENDS_WITH_AND = re.compile(r"(?:(?<!\w)and|,)\s*$")
_VERB_FIRST = re.compile(
    r"(?:gain\w*|lost|los(?:e|ing)|put\w*|got|get\w*|started|can't|couldn't|cannot|haven't"
    r"|have|had|bled|bleed\w*|threw|throw\w*|felt|feel\w*|became|become|developed|broke"
    r"|break\w*|woke|wake|lying|laid|lay)(?!\w)"
)

# Feared, warned about, expected, wished away, asked about.
_HYPOTHETICAL = re.compile(
    r"(?<!\w)(?:scared|afraid|fear(?:ed|ful|ing|s)?|worr(?:y|ied|ies|ying)|concern(?:s|ed)?"
    r"|nervous (?:about|that)|(?:hop(?:e|ed|es|ing)|pray(?:ed|ing)?) (?:i|it|that|this|to|not|i'll"
    r"|i'd|it'll|it'd|they|the (?:pill|medication|medicine|shot|drug|dose))|hopeful(?:ly)?|might"
    r"|may (?:cause|be|have|get|make|not|experience|happen|occur|lead|give|increase)"
    r"|could (?:be|have|cause|get|make|give)|in case|risk(?:s)?|warn(?:ed|ing|ings|s)?"
    r"|read(?:ing)?|heard|hear|reviews?|told me|tells me|tell you|(?:said|says) (?:it|that|this"
    r"|they|i would|i'd|i might|i may)|(?<!didn't )(?<!did not )(?<!never )(?<!wasn't )"
    r"(?<!not )expect(?:ed|ing|s)?|what to expect|possib(?:le|ly|ility)|potential(?:ly)?|chance"
    r"|would rather|don't think|didn't think|avoid|prevent"
    r"|supposed to|known to|can cause|could cause|may cause|list(?:ed)? of|such as"
    r"|side effects? (?:like|include|including|are)|common side|rare|if you|should|unless)"
    r"(?!\w)"
)

# Another drug, or before starting or after stopping this one, or another cause.
_OTHER_TIME_OR_DRUG = re.compile(
    r"(?<!\w)(?:before (?:i (?:started|took|was|went|got|began|had|switched|tried)|taking"
    r"|starting|using|getting|going on|being (?:on|put)|this|that|the (?:pill|shot|patch|ring"
    r"|medication|medicine|drug|implant|iud|injection)|my (?:first|diagnosis))|before,"
    r"|(?<!get )(?<!got )(?<!getting )(?<!gotten )(?<!be )(?<!been )(?<!am )(?<!was )(?<!is )"
    r"used to|previous(?:ly)?|prior|(?:my|the) old|(?:my|the) last (?:pill|one|med\w*)"
    r"|(?:other|different) (?:pills?|meds?|medications?|medicines?|drugs?|birth controls?"
    r"|brands?|antidepressants?|anti\w*|ssris?|methods?|ones?|kinds?|types?)"
    r"|another (?:pill|med|medication|medicine|drug|brand|birth control|one)"
    r"|switch(?:ed|ing)? (?:from|off)|came off|come off|coming off|went off|going off|got off"
    r"|off (?:of )?(?:it|them|the pill|this)|(?:since|after|when|once|now that|ever since)"
    r" (?:i )?(?:stopped|stopping|quit|quitting|came off|went off|got off|coming off)"
    r"|withdrawals?|withdraws|weaning|weening|taper(?:ing|ed)?|detox(?:ing)?"
    r"|all my life|whole life|been suffering|since i was (?:a |little|young|born|\d)"
    r"|as a (?:child|kid|teen(?:ager)?)|growing up|history of|prone to|diagnosed with"
    r"|i suffer (?:from|with)|(?:have|has|i've) suffered (?:from|with)"
    r"|compared to|compared with|(?:if|when|whenever) i (?:forget|miss|skip|don't take)"
    r"|forget to (?:take|put|use)|miss(?:ed)? a (?:dose|pill|patch|shot)"
    r"|reason (?:why )?i (?:got|took|started|went on|tried|use|used|take))"
    r"(?!\w)"
)
# "…due to stress", "…because of the procedure": the writer names another cause.
_OTHER_CAUSE_AFTER = re.compile(
    r"^[\s,]*(?:[\w'/-]+\s+){0,6}?(?:due to|because of|caused by|brought on by)\s+"
    r"(?!(?:it|this|that|taking|the (?:pill|medication|medicine|drug|shot|patch|ring|implant"
    r"|iud|cream|gel|injection|tablets?|dose))(?!\w))"
)
# "…for over 30 years", "…since I was a child": the writer had it long before.
_HISTORY_AFTER = re.compile(
    r"^[\s,]*(?:[\w'/-]+\s+){0,3}?(?:for (?:(?:over|more than|about|almost|nearly|around) )?"
    r"(?:\d+|many|several|a few|so many|most of my|all my) ?(?:years|decades|life)"
    r"|since (?:i was|childhood|high school|my teens|puberty)|all my life|my whole life)(?!\w)"
)
# "…so the pill didn't have much to do with that": the writer blames something else.
_NOT_THE_DRUG_AFTER = re.compile(
    r"(?<!\w)(?:(?:didn't|did not|doesn't|does not|don't|do not) (?:have )?(?:much |anything )?"
    r"to do with|(?:not|wasn't|isn't) (?:from|because of|caused by|related to) (?:the|this|it)"
    r"|unrelated to)(?!\w)"
)
# A few sentences about another drug or an earlier time: what follows them, until the
# writer turns back to this drug ("this", "it", "now"…), belongs to that time too.
_HISTORY_OPENS = re.compile(
    r"(?<!\w)(?:previous(?:ly)?|prior|(?:my|the) old|last one being|used to (?:take|be on)"
    r"|was on (?:various|other|different|another|many)|weaning|weening|tapering"
    r"|withdrawals?)(?!\w)"
)
_BACK_TO_THIS_DRUG = re.compile(
    r"(?<!\w)(?:this|it|it's|now|currently|since|switched|so far|today|anymore)(?!\w)"
)
_CARRY_SENTENCES = 2
# "…made it so much worse": a history the drug worsened still counts.
_MADE_WORSE = re.compile(
    r"(?<!\w)(?:made (?:it|them|my \w+|me) (?:\w+ ){0,2}worse|got (?:\w+ ){0,2}worse"
    r"|worsened|even worse|much worse|way worse)(?!\w)"
)

# The side effect got better: relief words just before it, or after it in its clause.
_IMPROVED_BEFORE = re.compile(
    r"(?<!\w)(?:less|fewer|lighter|not as|not so|reduc(?:e|ed|es|ing)|decreas(?:e|ed|es|ing)"
    r"|lower(?:ed|s)? (?:my|the|her|his)|help(?:ed|s|ing)?|reli(?:ef|eve|eved|eves|eving)"
    r"|treat(?:s|ed|ing)?|cur(?:e|ed|es)|control(?:s|led|ling)?|rid of|no more|stop(?:s|ped)?"
    r"|prevent(?:s|ed)?|eas(?:e|ed|es)|improv(?:e|ed|es)|fix(?:es|ed)?|clear(?:s|ed)?"
    r"|for (?:my|her|his)|works? (?:for|on)|worked (?:for|on)|effective (?:for|against|on)"
    r"|take away|takes away|took away|treatments? (?:of|for))"
    r"" + _OBJECT_WORDS + r"\s*$"
)
# "…took it for my anxiety", "prescribed for insomnia": the condition being treated.
_TAKEN_FOR = re.compile(
    r"(?<!\w)(?:take|takes|taking|took|prescribed|prescribe|given|gave me|put me on|using|use"
    r"|used|started|on it|on this|treat\w*|injection|shot|dose|medication|medicine|pills?)"
    r"(?!\w)"
)
_FOR_NEAR_END = re.compile(r"(?<!\w)for(?!" + _DURATION + r")" + _OBJECT_WORDS + r"\s*$")
_IMPROVED_AFTER = re.compile(
    r"^[\s/]*(?:(?:[\w'/-]+\s+){0,3}?(?:is|are|was|were|has|have|had|got|get|gets|seems?"
    r"|seemed|went|has\s+been|have\s+been|had\s+been)\s+(?:(?:so|much|a\s+lot|completely"
    r"|totally|all|almost|finally|now|already|pretty\s+much|way|also|really|definitely)\s+)*"
    r"(?:gone|disappeared|clear(?:ed|ing)?(?:\s+up)?|better|improv(?:ed|ing)|decreas(?:ed|ing)"
    r"|lessen(?:ed|ing)?|reduced|lighter|under\s+control|at\s+bay|calm(?:ed)?|down\s+to\s+nothing"
    r"|non\s*-?\s*existent|nonexistent|eased|lifted|relieved|resolved|cured)"
    r"|(?:[\w'/-]+\s+){0,3}?(?:gone|disappeared|vanished|cleared\s+up|at\s+bay)"
    r"|(?:preventatives?|preventive|prevention|medications?|medicines?|meds|relief|relievers?"
    r"|pills?|tablets?|treatments?|aids?|remed(?:y|ies)|management|control))(?!\w)"
)
# "Went away after a week" is a side effect that passed: it counts (unless it was the
# condition being treated), so "away" and "subsided" are left out of the rule above.

# Someone else had it; a carer describing their child or patient still counts.
_SOMEONE_ELSE = re.compile(
    r"(?<!\w)(?:(?<!with )(?<!to )(?<!for )(?<!and )(?<!from )(?<!by )my (?:sister|brother"
    r"|friend|friends|mom|mother|mum|dad|father|husband|wife|boyfriend|girlfriend|partner|aunt"
    r"|uncle|cousin|grandma|grandmother|grandpa|coworker|co-worker|colleague|roommate"
    r"|neighbou?r)s?|(?:other|some|many|most|a lot of|lots of|several|all)(?: of)?(?: my| the)? (?:people"
    r"|women|men|users|reviewers|patients|girls|guys|ladies|posters|of you|others|them)"
    r"|people|others|everyone|everybody|anyone|anybody|those (?:who|that|of you)|reviewers"
    r"|somebody|someone|(?:her|his|their) (?:side effects?)|to those|for those)"
    r"(?!\w)"
)
_FIRST_PERSON = re.compile(r"(?<!\w)(?:i|i'm|i've|i'd|i'll|me)(?!\w)")

# The drug made the treated condition worse or brought it on: then it counts.
_WORSENED_BEFORE = re.compile(
    r"(?<!\w)(?:worse|worsen(?:ed|ing|s)?|increas(?:e|ed|es|ing)(?: in)?|more"
    r"|(?:it|this|which|that|drug|pill|medication|medicine|shot|patch|cream|injection)"
    r"(?:\s+\w+)?\s+caus(?:e|ed|es|ing)|caus(?:ed|es|ing) me|gave me|giving me|gives me"
    r"|give me|brought on|brings on|made me|made my|makes me|makes my|new|developed|heightened"
    r"|aggravat(?:e|ed|es))" + _OBJECT_WORDS + r"\s*$"
)
_WORSENED_AFTER = re.compile(
    r"^[\s,]*(?:[\w'/-]+\s+){0,4}?(?:worse|worsen(?:ed|ing)?|increased|through the roof"
    r"|came back worse|flared|from it|from this|on it|on this)(?!\w)"
)


# "…, and I", "so I": the writer starts a new statement about themselves.
_NEW_CLAUSE = re.compile(
    r"(?:,|(?<!\w)and|(?<!\w)so|(?<!\w)but)\s+(?:(?:then|now|sure|enough|still|also|yet)\s+){0,2}"
    r"(?=(?:i|i'm|i've|i'd|i'll)(?!\w))"
)


def _inner(pattern):
    """The alternatives of a `(?<!\\w)(?:…)(?!\\w)` expression, to combine it with others."""
    source = pattern.pattern
    head, tail = r"(?<!\w)(?:", r")(?!\w)"
    assert source.startswith(head) and source.endswith(tail), source[:20]
    return source[len(head) : -len(tail)]


_BEFORE_TRIGGERS = re.compile(
    rf"(?<!\w)(?:(?P<hypothetical>{_inner(_HYPOTHETICAL)})|(?P<history>"
    rf"{_inner(_OTHER_TIME_OR_DRUG)})|(?P<someone>{_inner(_SOMEONE_ELSE)}))(?!\w)"
)
# How far back, in characters, the words governing a name can stand ("less severe").
_TAIL = 80
# The first letters of the triggers of _IMPROVED_BEFORE and _WORSENED_BEFORE: a cheap test
# on the last words before a name spares most names the expressions.
_IMPROVED_STEMS = (
    "less",
    "fewer",
    "light",
    "not",
    "reduc",
    "decreas",
    "lower",
    "help",
    "relie",
    "treat",
    "cur",
    "control",
    "rid",
    "no",
    "stop",
    "prevent",
    "eas",
    "improv",
    "fix",
    "clear",
    "for",
    "work",
    "effective",
    "take",
    "took",
)
_WORSENED_STEMS = (
    "worse",
    "increas",
    "more",
    "caus",
    "gave",
    "giv",
    "brought",
    "brings",
    "made",
    "make",
    "new",
    "develop",
    "heighten",
    "aggravat",
)


def _last(pattern, text):
    """The last match of `pattern` in `text`, or None."""
    found = deque(pattern.finditer(text), maxlen=1)
    return found[0] if found else None


# Where sentences end: a full stop between digits ("2.5 mg") does not end one.
_SENTENCE_END = re.compile(r"[!?;\n\u3002\uff01\uff1f]|\.(?!\d)")


class Sentences:
    """The sentence boundaries of one text, found once for all the names in it."""

    __slots__ = ("ends", "length")

    def __init__(self, text):
        self.ends = [match.start() for match in _SENTENCE_END.finditer(text)]
        self.length = len(text)

    def around(self, start, end):
        """(start, end) of the sentence holding [start, end), at most _REACH either side."""
        index = bisect_right(self.ends, start - 1)
        left = self.ends[index - 1] + 1 if index else 0
        after = bisect_left(self.ends, end)
        right = self.ends[after] if after < len(self.ends) else self.length
        return max(left, start - _REACH), min(right, end + _REACH)


def _after_contrast(before, *, new_clause=True):
    """The part of `before` after its last contrast word ("…, but") or new first-person clause."""
    last = _last(_CONTRAST, before)
    clause = before[last.end() :] if last else before
    if not new_clause:
        return clause
    last = _last(_NEW_CLAUSE, clause)
    return clause[last.start() :] if last else clause


def _negated(before, after):
    tokens = _TOKEN.findall(before)
    clause = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in _JOINERS and following in _SUBJECTS:
            break
        if token == ",":
            continue
        clause.append(token)
        if len(clause) == NEGATION_WINDOW:
            break
    clause.reverse()
    for index, word in enumerate(clause):
        following = clause[index + 1] if index + 1 < len(clause) else ""
        if (word, following) in _NOT_NEGATIONS:
            if (word, following) == ("never", "had") and not _LIKE_THIS.search(
                " ".join(clause[index:]) + after
            ):
                return True
            continue
        if word.endswith("n't") or word.replace("'", "") in _NEGATION_WORDS:
            return True
        if word == "free" and following in ("of", "from"):
            return True
    return bool(_NEGATED_AFTER.match(after))


def assertion(text, start, end, *, treated=False, guards=None, floor=0, sentences=None):
    """Why the mention text[start:end] does not count, or ASSERTED when it does.

    `treated`: the side effect is the condition the drug is taken for (or its aim),
    which counts only when the writer says the drug made it worse or brought it on.
    `guards`: a compiled expression of phrases that only look like side effects.
    `floor`: where the previous counted mention ended; a negation before it was spent
    ("no appetite, nausea": the "no" belongs to the appetite).
    `sentences`: the text's Sentences, when the caller reads several names in it.
    """
    if guards is not None:
        for guard in guards.finditer(text, max(0, start - 30), min(len(text), end + 30)):
            if guard.start() < end and guard.end() > start:
                return NOT_A_SIDE_EFFECT
    if sentences is None:
        sentences = Sentences(text)
    left, right = sentences.around(start, end)
    before = text[left:start]
    after = text[end:right]
    contrast_clause = _after_contrast(before, new_clause=False)
    last = _last(_NEW_CLAUSE, contrast_clause)
    clause = contrast_clause[last.start() :] if last else contrast_clause
    near_after = _CONTRAST.split(after, maxsplit=1)[0]
    mention = text[start:end]
    # A name that states an absence ("no sex drive", "haven't had a period") is not
    # negated again by a word before it.
    states_absence = any(
        word.endswith("n't") or word.replace("'", "") in _NEGATION_WORDS
        for word in _TOKEN.findall(mention)
    )
    negation_scope = clause if floor <= left else _after_contrast(text[floor:start])
    if not states_absence and _negated(negation_scope, after):
        return NEGATED
    if states_absence and _NEGATED_AFTER.match(after):
        return NEGATED
    # One pass over the clause finds the triggers of three rules; the hypothetical and
    # someone-else ones count only after a new first-person clause, history ones anywhere
    # after the last contrast.
    offset = len(contrast_clause) - len(clause)
    hypothetical = history = False
    someone_end = None
    for found in _BEFORE_TRIGGERS.finditer(contrast_clause):
        kind = found.lastgroup
        if kind == "history":
            history = True
        elif found.start() >= offset:
            if kind == "hypothetical":
                hypothetical = True
            else:
                someone_end = found.end()
    if someone_end is not None and not _FIRST_PERSON.search(contrast_clause, someone_end):
        return SOMEONE_ELSE
    if hypothetical or text[right : right + 1] == "?":
        return HYPOTHETICAL
    if (
        _OTHER_CAUSE_AFTER.match(near_after)
        or _HISTORY_AFTER.match(near_after)
        or _NOT_THE_DRUG_AFTER.search(after)
    ):
        return OTHER_TIME_OR_DRUG
    if history and not _MADE_WORSE.search(after):
        return OTHER_TIME_OR_DRUG
    # "…stop eating and gained 25 lbs": a name that starts a new verb after "and" is not
    # the object of the words before it.
    governed = not (_ENDS_WITH_AND.search(clause) and _VERB_FIRST.match(mention))
    # The triggers governing the name stand within its last few words.
    tail = clause[-_TAIL:]
    last_words = tail.split()[-5:]
    if (
        governed
        and "for" in last_words
        and _FOR_NEAR_END.search(tail)
        and _TAKEN_FOR.search(clause)
    ):
        return IMPROVED if not treated else TREATED_CONDITION
    if (
        governed
        and any(word.startswith(_IMPROVED_STEMS) for word in last_words)
        and _IMPROVED_BEFORE.search(tail)
    ) or _IMPROVED_AFTER.match(near_after):
        return IMPROVED
    if _history_carries(text, left, right, sentences):
        return OTHER_TIME_OR_DRUG
    if treated and not (
        (
            any(word.startswith(_WORSENED_STEMS) for word in last_words)
            and _WORSENED_BEFORE.search(tail)
        )
        or _WORSENED_AFTER.match(near_after)
        or _MADE_WORSE.search(after)
    ):
        return TREATED_CONDITION
    return ASSERTED


def _history_carries(text, left, right, sentences):
    """Whether the sentence text[left:right] continues earlier ones about another drug or time."""
    if not _HISTORY_OPENS.search(text, max(0, left - _REACH), left):
        return False
    if _BACK_TO_THIS_DRUG.search(text, left, right):
        return False
    end = left
    for _ in range(_CARRY_SENTENCES):
        if end <= 0:
            return False
        start, _ = sentences.around(end - 1, end - 1)
        if _HISTORY_OPENS.search(text, start, end):
            return True
        if _BACK_TO_THIS_DRUG.search(text, start, end):
            return False
        end = start
    return False


def sentence_of(text, start, end, sentences=None):
    """The sentence holding text[start:end], trimmed, to show beside a verdict."""
    left, right = (sentences or Sentences(text)).around(start, end)
    return " ".join(text[left:right].split())
