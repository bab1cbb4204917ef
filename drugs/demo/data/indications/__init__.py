"""Drug-for-condition articles, one module per area.

Each article is a dict keyed by `drug` and `condition` (slugs) with:
title (optional, defaults to "<Drug> for <Condition>"), approval_status
("approved", "off_label", "investigational" or "not_recommended"),
approval_note (who approved it and for whom, or why it is off-label),
summary, what_it_is, how_it_works and benefits (lists: one bullet each),
what_to_expect, audience_heading and audience_text, sections (a list of
(heading, body) pairs shown in order), tags and status (default "published").

Write in your own words, say plainly whether a use is approved, and send
readers to their prescriber rather than suggesting they act alone. Never add an
article that presents a dangerous use, such as a retinoid "for" pregnancy,
contraception or abortion.
"""

from . import acne, arthritis, psoriasis, skin

INDICATIONS = [*acne.INDICATIONS, *psoriasis.INDICATIONS, *skin.INDICATIONS, *arthritis.INDICATIONS]
