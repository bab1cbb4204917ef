"""Side by side: Formulary's context rules against medspaCy's ConText, on labelled reviews.

Usage: python bench/mentions_context.py FILE [--vocabulary FILE]

Both sides find the same names with the same matcher (the lay-name file, as
`evaluate_mentions` does when the database has no dictionary); only the decision
"does this mention count?" differs:

- ours: insights.assertion (negation, hypothetical, other time or drug, improvement,
  someone else, the treated condition, phrases that only look like side effects);
- ConText: medspaCy's ConText with its default English rules over the same spans;
  a mention counts unless ConText marks it negated, historical, hypothetical,
  uncertain or experienced by someone else;
- ConText + condition: the same, plus our treated-condition rule, to separate what
  the treated condition adds from the rest.

medspaCy is not a dependency of the site: install it into a separate environment
(`pip install medspacy==1.3.1`, which brings spaCy and needs no model download) with
this project's requirements, and run from the project folder. Prints precision and
recall for each, micro-averaged over review x side-effect pairs.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from insights import lexicon  # noqa: E402
from insights.assertion import ASSERTED, TREATED_CONDITION  # noqa: E402
from insights.matching import Matcher  # noqa: E402


def read(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def scores(results, reviews):
    tp = fp = fn = 0
    for found, review in zip(results, reviews, strict=True):
        reported = set(review["reported"])
        tp += len(found & reported)
        fp += len(found - reported)
        fn += len(reported - found)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def context_verdicts(nlp, text, spans):
    """For each (start, end) character span, whether ConText leaves it asserted."""
    from spacy.tokens import Span

    doc = nlp.make_doc(text)
    entities = []
    keep = []
    for index, (start, end) in enumerate(spans):
        span = doc.char_span(start, end, label=f"M{index}", alignment_mode="expand")
        if span is None:
            keep.append(None)
            continue
        keep.append(len(entities))
        entities.append(Span(doc, span.start, span.end, label=f"M{index}"))
    entities = sorted(entities, key=lambda span: span.start)
    # Overlapping spans cannot all be entities; keep the first of each overlap.
    chosen, last_end = [], -1
    for span in entities:
        if span.start >= last_end:
            chosen.append(span)
            last_end = span.end
    doc.ents = chosen
    for _, component in nlp.pipeline:
        doc = component(doc)
    flags = {}
    for ent in doc.ents:
        flags[ent.label_] = not (
            ent._.is_negated
            or ent._.is_historical
            or ent._.is_hypothetical
            or ent._.is_uncertain
            or ent._.is_family
        )
    return [flags.get(f"M{index}", False) for index in range(len(spans))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--vocabulary")
    args = parser.parse_args()
    # PyRuSH logs every sentence split at debug level.
    os.environ.setdefault("LOGURU_LEVEL", "WARNING")
    import medspacy

    nlp = medspacy.load(enable=["medspacy_pyrush", "medspacy_context"])
    vocabulary = (
        [line.strip() for line in open(args.vocabulary, encoding="utf-8") if line.strip()]
        if args.vocabulary
        else list(lexicon.lay_terms())
    )
    matcher = Matcher(
        {name: lexicon.lay_names(lexicon.entry_for([name]) or name) for name in vocabulary}
    )
    reviews = read(args.file)
    ours, context, context_condition = [], [], []
    for review in reviews:
        text = review["text"]
        mentions = matcher.explain(text, review.get("condition"))
        ours.append({m.key for m in mentions if m.status == ASSERTED})
        # Spans refer to the normalised, casefolded text the matcher reads; ConText
        # reads the same text so its trigger rules (written in lower case) apply.
        from insights.text import normalise_text

        folded = normalise_text(text).casefold()
        verdicts = context_verdicts(nlp, folded, [(m.start, m.end) for m in mentions])
        context.append({m.key for m, ok in zip(mentions, verdicts, strict=True) if ok})
        context_condition.append(
            {
                m.key
                for m, ok in zip(mentions, verdicts, strict=True)
                if ok and m.status != TREATED_CONDITION
            }
        )
    print(f"{len(reviews)} reviews, {len(vocabulary)} side effects")
    print(f"{'context rules':<28}{'precision':>10}{'recall':>8}{'f1':>8}")
    for label, results in (
        ("Formulary rules", ours),
        ("medspaCy ConText", context),
        ("ConText + treated condition", context_condition),
    ):
        precision, recall, f1 = scores(results, reviews)
        print(f"{label:<28}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}")


if __name__ == "__main__":
    main()
