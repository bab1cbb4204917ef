"""What the insights partials need on a drug page, in a fixed number of queries.

Drug, indication and side-effects views add `mention_context(...)` (it follows the
reviews, so it is read on every request) and `support_context(...)` (it follows the
label, so only the prerendered parts need it) to their context; the partials then
only display.
"""

import re

from django.db.models import Q

from drugs.models import DrugSideEffect

from .evaluation import measured_quality
from .models import DrugMention, IndicationMention

# Label wording that calls for support information beside the drug's pages.
MOOD_WORDS = ("depress", "suicid", "self-harm", "self harm", "mood", "psychiatric")
_MOOD = re.compile("|".join(re.escape(word) for word in MOOD_WORDS), re.IGNORECASE)


def label_warns_of_mood_changes(drug):
    """Whether the drug's warning or any labelled side effect names depression or suicidal thoughts.

    At most one query (none when the boxed warning already says so).
    """
    if _MOOD.search(drug.boxed_warning or ""):
        return True
    words = Q()
    for word in MOOD_WORDS:
        words |= Q(side_effect__name__icontains=word) | Q(side_effect__other_names__icontains=word)
    return DrugSideEffect.objects.filter(words, drug=drug).exists()


def mention_context(*, drug, indication=None):
    """Context for insights/_patients_mention.html: one query whatever the number of reviews."""
    if indication is not None:
        mentions = list(IndicationMention.objects.for_indication(indication))
    else:
        mentions = list(DrugMention.objects.for_drug(drug))
    return {
        "patient_mentions": mentions,
        "patient_mention_review_count": mentions[0].review_count if mentions else 0,
        "patient_mention_indication": indication,
        # Read from the file the last evaluation wrote, not the database: no query.
        "mention_quality": measured_quality(),
    }


def support_context(*, drug):
    """Context for insights/_support_information.html: it follows the label, not the reviews."""
    return {"shows_support_information": label_warns_of_mood_changes(drug)}
