"""A small, realistic site for the browser tests: one drug with warnings, its uses and side effects."""

from dataclasses import dataclass

from drugs.models import DrugSideEffect, Indication
from reviews.services import review_approve
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_ingredient,
    make_review,
    make_side_effect,
)

Frequency = DrugSideEffect.Frequency
Seriousness = DrugSideEffect.Seriousness


@dataclass
class ReaderSite:
    drug: object
    other_drug: object
    acne: object
    psoriasis: object
    rosacea: object
    drug_class: object
    approved: object
    off_label: object
    investigational: object


def build_reader_site():
    """Isotretinoin (approved for severe acne, off-label elsewhere) and a second retinoid."""
    retinoids = make_drug_class(
        name="Retinoids",
        slug="retinoids",
        description="Medicines related to vitamin A that change how skin cells grow.",
    )
    drug = make_drug(
        name="Isotretinoin",
        slug="isotretinoin",
        generic_name="isotretinoin",
        brand_names="Absorica, Claravis",
        summary="Isotretinoin is a retinoid taken by mouth for severe acne that has not "
        "cleared with other treatments.",
        boxed_warning="Isotretinoin causes **severe birth defects**. It must never be taken "
        "during pregnancy or by anyone who could become pregnant without reliable contraception.",
        pregnancy_warning="Do not take isotretinoin if you are pregnant, plan to become pregnant "
        "or are breastfeeding. Pregnancy tests are needed before, during and after treatment.",
        side_effect_advice="Use a lip balm and a gentle moisturiser every day. "
        "Tell your doctor at once about any change in mood.",
        classes=[retinoids],
        tags=["retinoid", "skin"],
    )
    drug.active_ingredients.add(make_ingredient(name="Isotretinoin", slug="isotretinoin"))
    other_drug = make_drug(
        name="Acitretin",
        slug="acitretin",
        brand_names="Soriatane",
        summary="Acitretin is a retinoid taken by mouth for severe psoriasis.",
        classes=[retinoids],
        tags=["retinoid"],
    )
    acne = make_condition(
        name="Acne", slug="acne", other_names="acne vulgaris, spots", tags=["skin"]
    )
    psoriasis = make_condition(name="Psoriasis", slug="psoriasis", tags=["skin"])
    rosacea = make_condition(name="Rosacea", slug="rosacea", tags=["skin"])

    approved = make_indication(
        drug=drug,
        condition=acne,
        title="Isotretinoin for Acne",
        approval_status=Indication.ApprovalStatus.APPROVED,
        approval_note="Approved for severe nodular acne that has not responded to other treatment.",
        summary="Isotretinoin is approved for severe acne when antibiotics and creams have not worked.",
        what_it_is="Isotretinoin is a retinoid: a medicine related to vitamin A.",
        how_it_works="Shrinks the oil glands in the skin\nReduces the bacteria that cause spots",
        benefits="Long-lasting clearing of severe acne\nFewer scars",
        what_to_expect="Most people take it for four to six months. Skin can get worse "
        "during the first weeks before it improves.",
        audience_heading="For severe acne",
        audience_text="Prescribed by a skin specialist when other treatments have failed.",
        tags=["retinoid", "skin"],
    )
    off_label = make_indication(
        drug=drug,
        condition=psoriasis,
        title="Isotretinoin for Psoriasis",
        approval_status=Indication.ApprovalStatus.OFF_LABEL,
        approval_note="Not approved for psoriasis; other retinoids are preferred.",
        summary="Isotretinoin is not approved for psoriasis and is rarely used for it.",
        what_it_is="Isotretinoin is a retinoid; acitretin is the retinoid usually used for psoriasis.",
        how_it_works="Slows the growth of skin cells",
        benefits="Occasionally helps when other treatments cannot be used",
        what_to_expect="A specialist decides case by case.",
        tags=["retinoid", "skin"],
    )
    investigational = make_indication(
        drug=drug,
        condition=rosacea,
        title="Isotretinoin for Rosacea",
        approval_status=Indication.ApprovalStatus.INVESTIGATIONAL,
        summary="Low doses are being studied for severe rosacea.",
        tags=["skin"],
    )
    make_indication(
        drug=other_drug,
        condition=psoriasis,
        title="Acitretin for Psoriasis",
        approval_status=Indication.ApprovalStatus.APPROVED,
        summary="Acitretin is approved for severe psoriasis.",
        tags=["retinoid", "skin"],
    )

    for name, frequency, seriousness, advice in [
        ("Dry lips", Frequency.VERY_COMMON, Seriousness.MILD, "Use a lip balm often."),
        ("Dry skin", Frequency.VERY_COMMON, Seriousness.MILD, ""),
        ("Nosebleeds", Frequency.COMMON, Seriousness.MILD, ""),
        ("Joint pain", Frequency.COMMON, Seriousness.MODERATE, ""),
        ("Headache", Frequency.UNCOMMON, Seriousness.MODERATE, ""),
        ("Depression", Frequency.RARE, Seriousness.SERIOUS, "Get help at once."),
        ("Pancreatitis", Frequency.NOT_KNOWN, Seriousness.SERIOUS, ""),
    ]:
        make_drug_side_effect(
            drug=drug,
            side_effect=make_side_effect(name=name),
            frequency=frequency,
            seriousness=seriousness,
            advice=advice,
        )

    return ReaderSite(
        drug=drug,
        other_drug=other_drug,
        acne=acne,
        psoriasis=psoriasis,
        rosacea=rosacea,
        drug_class=retinoids,
        approved=approved,
        off_label=off_label,
        investigational=investigational,
    )


REVIEWS = [
    (9, "My skin cleared after four months. Dry lips the whole time, but it was worth it.", "Sam"),
    (8, "The first month my skin got worse, then it calmed down. Lip balm everywhere.", ""),
    (10, "Nothing else had worked for my acne. It has stayed clear for a year now.", "J."),
    (4, "Joint pain made running hard, so I stopped after two months with my doctor.", "runner"),
]


def add_reviews(site, moderator):
    """Approved reviews of the acne article, counted in its figures as a moderator would."""
    reviews = []
    for rating, body, nickname in REVIEWS:
        review = make_review(
            indication=site.approved,
            rating=rating,
            body=body,
            nickname=nickname,
            effectiveness=4,
            ease_of_use=3,
            satisfaction=4,
        )
        review_approve(review=review, moderator=moderator)
        reviews.append(review)
    return reviews
