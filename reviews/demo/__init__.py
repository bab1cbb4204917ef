"""Demo patient reviews, so the demo pages show rating summaries out of the box.

Written for this project as illustrations: each is a plausible personal
experience with a spread of ratings, never advice. They are keyed by
(drug slug, condition slug, number), stored with source "demo", approved, and
`load()` is idempotent: a second run changes nothing.
"""

from datetime import UTC, datetime, timedelta

from drugs.models import Indication
from insights.services import mentions_reviews_changed

from .models import Review
from .services import body_hash, ratings_recount

SOURCE = "demo"
# Fixed dates, so loading again never "changes" a review.
_BASE = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)

# (rating, effectiveness, ease of use, satisfaction, duration, role, nickname, helpful, days ago, text)
# fmt: off
REVIEWS = {
    ("isotretinoin", "acne"): [
        (10, 5, 4, 5, "6to12m", "patient", "Mara", 41, 30,
         "After years of antibiotics and creams that did nothing for my cystic acne, "
         "this finally worked. The first month was rough and my skin got worse before "
         "it got better. By month four it was clear and it has stayed clear.\n\n"
         "Lip balm everywhere, all the time. Worth it."),
        (10, 5, 3, 5, "6to12m", "patient", "", 27, 85,
         "Clear skin for the first time since I was thirteen. The monthly blood tests "
         "and the pregnancy tests are a hassle, but I understood why once my "
         "dermatologist explained the risk of birth defects."),
        (9, 5, 3, 4, "1to6m", "patient", "J.", 18, 140,
         "Very effective. Side effects for me: dry lips, dry eyes (I had to stop wearing "
         "contacts for a while) and a few nosebleeds in winter. My cholesterol went up "
         "a bit and was checked again after the course."),
        (9, 4, 4, 5, "6to12m", "carer", "Dad of a teenager", 12, 200,
         "Our son had scarring acne and was very down about it. The course took about "
         "seven months. His skin is much better and so is his confidence. We kept an "
         "eye on his mood, as the doctor asked us to, and had no problems."),
        (8, 4, 3, 4, "1to6m", "patient", "", 9, 260,
         "Works, but be ready for dryness. My hands cracked and I had sore joints after "
         "running. The acne is about 90 percent gone."),
        (8, 5, 2, 4, "6to12m", "patient", "Sam", 6, 320,
         "Cleared my back and chest acne completely. The paperwork and monthly "
         "appointments are a lot, and I missed work for them. Skin now very sensitive "
         "to the sun, so I burn quickly."),
        (7, 4, 3, 3, "6to12m", "patient", "", 4, 380,
         "Good result, but my acne came back mildly a year later. Much easier to "
         "manage now with a cream. Dry lips and eyes the whole time."),
        (6, 3, 3, 3, "1to6m", "patient", "", 3, 430,
         "It helped, but I felt tired and my back ached most of the course. I finished "
         "it because the results were showing, but I would think hard before a second one."),
        (5, 3, 2, 2, "1to6m", "patient", "K", 5, 480,
         "My skin improved, but I felt low in mood during the second month. I told my "
         "doctor straight away and we agreed to stop. It settled after stopping. Please "
         "tell someone if you notice changes like this."),
        (3, 2, 2, 2, "1to6m", "patient", "", 2, 530,
         "Terrible dryness and nosebleeds, and the acne was still there after three "
         "months. My dermatologist changed my treatment instead."),
        (2, 1, 2, 1, "lt1m", "patient", "", 1, 600,
         "Stopped after three weeks because of headaches that would not go away. My "
         "doctor said headaches need checking on this medicine, so I am glad I asked."),
        (10, 5, 4, 5, "6to12m", "patient", "Priya", 14, 650,
         "Nothing else worked for my nodular acne. Five months in I am clear. Drink lots "
         "of water, use a thick moisturiser and a gentle cleanser, and go to every check-up."),
    ],
    ("isotretinoin", "psoriasis"): [
        (4, 2, 3, 2, "1to6m", "patient", "", 3, 90,
         "My dermatologist tried this off-label when other tablets were not an option "
         "for me. It did little for my plaques and my skin got very dry. We moved on "
         "to light therapy."),
        (6, 3, 3, 3, "1to6m", "patient", "", 1, 210,
         "Some thinning of the scales on my elbows, not much else. The dryness made "
         "the itching worse at first. Not the usual choice for psoriasis, as my doctor said."),
        (2, 1, 2, 1, "lt1m", "patient", "", 2, 400,
         "No improvement at all for my psoriasis, plus cracked lips. Acitretin worked "
         "better for me later on."),
    ],
    ("isotretinoin", "rosacea"): [
        (7, 4, 3, 4, "1to6m", "patient", "", 2, 150,
         "My dermatologist suggested it at a low level for the bumps of rosacea after "
         "antibiotics stopped working. The bumps calmed down; the redness did not change much."),
        (5, 3, 3, 3, "1to6m", "patient", "", 0, 370,
         "Helped the spots but my face became dry and sensitive, which made the flushing "
         "feel worse. Mixed feelings."),
    ],
    ("acitretin", "psoriasis"): [
        (8, 4, 4, 4, "6to12m", "patient", "Tom", 11, 60,
         "Good improvement in my thick plaques on my hands and feet after about three "
         "months. My palms peel and my hair thinned a little. Regular liver and "
         "cholesterol tests."),
        (9, 5, 4, 5, "1to2y", "patient", "", 8, 190,
         "Combined with light therapy, this cleared most of my psoriasis. I am a man so "
         "pregnancy was not an issue, but I was told not to give blood during treatment "
         "and for years after."),
        (6, 3, 4, 3, "6to12m", "patient", "", 4, 300,
         "It works slowly. Sticky, peeling skin on my fingertips and dry lips. "
         "The plaques are thinner but not gone."),
        (3, 2, 3, 2, "1to6m", "patient", "", 2, 420,
         "My hair started falling out noticeably and the psoriasis only improved a "
         "little. Stopped with my dermatologist's agreement."),
        (7, 4, 4, 4, "6to12m", "carer", "", 3, 500,
         "My mother takes it for pustular psoriasis on her feet. She can walk "
         "comfortably again. Her lips and eyes are dry and she has regular blood tests."),
        (10, 5, 5, 5, "1to2y", "patient", "", 6, 560,
         "Life-changing for my palm and sole psoriasis. Side effects were mild for me."),
    ],
    ("acitretin", "ichthyosis"): [
        (8, 4, 4, 4, "gt5y", "patient", "", 5, 120,
         "I have taken it on and off for my ichthyosis for years. The scaling is much "
         "lighter and my skin feels less tight. Dry lips and some hair thinning."),
        (6, 3, 4, 3, "1to2y", "carer", "", 2, 330,
         "Our daughter's scaling improved, but the skin became fragile in places. Her "
         "specialist adjusts it and checks her growth and blood tests regularly."),
    ],
    ("methotrexate", "psoriasis"): [
        (8, 4, 4, 4, "1to2y", "patient", "", 9, 45,
         "Taken once a week, never daily; my pharmacist was very clear about that. My "
         "psoriasis is about 75 percent better. I feel queasy the day after, and the "
         "folic acid seems to help."),
        (7, 4, 3, 3, "6to12m", "patient", "", 4, 170,
         "Good for my skin but I had to give up alcohol almost completely and have "
         "regular blood tests for my liver. Some tiredness the day after."),
        (4, 2, 3, 2, "1to6m", "patient", "", 3, 290,
         "The nausea was too much for me even with the injection form. My psoriasis "
         "improved slightly. Now on a biologic."),
        (9, 5, 4, 5, "2to5y", "patient", "Lin", 7, 410,
         "Years of stable, nearly clear skin. Blood tests every few months. No real "
         "side effects apart from mild mouth ulcers now and then."),
        (5, 3, 3, 3, "6to12m", "patient", "", 1, 520,
         "Moderate improvement. My liver tests went up so my dermatologist lowered the "
         "amount and then switched me to something else."),
    ],
    ("methotrexate", "rheumatoid-arthritis"): [
        (8, 4, 4, 4, "2to5y", "patient", "", 10, 75,
         "My joints are far less swollen and my morning stiffness is down to minutes. "
         "Tired on the day after my weekly dose. Blood tests keep it safe."),
        (9, 5, 4, 5, "gt5y", "patient", "Ann", 7, 240,
         "It took about three months to start working but it changed everything for me. "
         "I can grip things again."),
        (5, 3, 3, 2, "6to12m", "patient", "", 2, 390,
         "Helped a bit, but I had hair thinning and nausea. My rheumatologist added "
         "another medicine rather than raising the dose."),
        (3, 2, 3, 2, "1to6m", "patient", "", 1, 540,
         "Mouth ulcers and feeling sick. Stopped after four months and moved on to "
         "another treatment."),
    ],
    ("doxycycline", "acne"): [
        (7, 4, 4, 4, "1to6m", "patient", "", 5, 35,
         "Calmed my inflamed spots within about six weeks. I take it with a full glass "
         "of water and stay upright afterwards, because it burned my throat once when I did not."),
        (8, 4, 5, 4, "1to6m", "patient", "", 3, 160,
         "Easy to take and it worked well alongside a gel. I burned much faster in the "
         "sun, so sunscreen every day."),
        (4, 2, 4, 2, "1to6m", "patient", "", 2, 310,
         "Upset stomach most days and only a small improvement. The spots came back "
         "when the course ended."),
        (6, 3, 4, 3, "1to6m", "patient", "", 1, 460,
         "Decent while I was on it. My doctor limited the course to a few months to "
         "avoid resistance, which makes sense."),
    ],
    ("doxycycline", "rosacea"): [
        (8, 4, 5, 4, "6to12m", "patient", "", 6, 100,
         "The low-dose capsule calmed the bumps and pustules of my rosacea within two "
         "months. No stomach problems on the low dose."),
        (6, 3, 5, 3, "1to6m", "patient", "", 2, 280,
         "Fewer spots, but the redness and flushing are unchanged. I still avoid my "
         "triggers: hot drinks and wine."),
        (9, 5, 5, 5, "1to2y", "patient", "", 4, 450,
         "Combined with a cream this has kept my rosacea quiet for over a year."),
    ],
    ("adalimumab", "psoriasis"): [
        (10, 5, 4, 5, "1to2y", "patient", "Rob", 12, 50,
         "Almost completely clear after twelve weeks. The pen injection stings a "
         "little. I had a TB test before starting and I tell my doctor about any infection."),
        (9, 5, 4, 5, "2to5y", "patient", "", 6, 230,
         "Best treatment I have had. I get colds a bit more often. Keeping the pens cold "
         "when travelling takes planning."),
        (5, 3, 4, 3, "6to12m", "patient", "", 2, 360,
         "Worked well for a year and then less so. My dermatologist switched me to "
         "another biologic."),
        (7, 4, 3, 4, "6to12m", "patient", "", 1, 510,
         "Good improvement but injection-site reactions for the first few months."),
    ],
    ("adalimumab", "hidradenitis-suppurativa"): [
        (8, 4, 4, 4, "1to2y", "patient", "", 7, 110,
         "Fewer painful flares in my armpits and groin, and they heal faster. Not a "
         "cure, but I can work normally again."),
        (4, 2, 4, 2, "6to12m", "patient", "", 3, 340,
         "Only a small change for me after six months. My specialist is looking at "
         "surgery options."),
        (7, 4, 4, 4, "6to12m", "patient", "", 2, 470,
         "Took about three months to notice, then the new lumps became much rarer."),
    ],
    ("tretinoin", "acne"): [
        (8, 4, 3, 4, "6to12m", "patient", "", 8, 40,
         "Expect a few weeks of worse skin and peeling at the start. By month three my "
         "blackheads and small spots were mostly gone. Pea-sized amount at night only."),
        (5, 3, 2, 3, "1to6m", "patient", "", 3, 220,
         "Too irritating for my sensitive skin even every other night. Some improvement "
         "but red and flaky most of the time."),
        (9, 5, 3, 5, "1to2y", "patient", "", 5, 350,
         "Slow but steady. Clearer skin and the marks from old spots faded too. "
         "Sunscreen is a must."),
        (7, 4, 3, 4, "6to12m", "patient", "", 1, 490,
         "Works well with moisturiser on top. Stings if applied on damp skin."),
    ],
    ("adapalene", "acne"): [
        (7, 4, 4, 4, "1to6m", "patient", "", 4, 80,
         "Gentler than other retinoid creams I tried. Fewer blackheads after two months; "
         "a bit of dryness around my nose."),
        (8, 4, 5, 4, "6to12m", "patient", "", 2, 270,
         "Simple to use at night and slowly cleared my forehead."),
        (3, 2, 4, 2, "1to6m", "patient", "", 1, 440,
         "Did little for my deeper painful spots. Fine for blackheads."),
    ],
    ("spironolactone", "acne"): [
        (9, 5, 5, 5, "1to2y", "patient", "", 9, 55,
         "For my hormonal acne along the jaw this was the answer after antibiotics "
         "failed. My periods became a bit irregular at first. Potassium checked at the start."),
        (7, 4, 5, 4, "6to12m", "patient", "", 3, 250,
         "Took about three months. Sore breasts for a while and I pee more often. Good "
         "result overall."),
        (4, 2, 5, 2, "1to6m", "patient", "", 1, 380,
         "Light-headed when standing up and not much change in my skin."),
        (8, 4, 5, 4, "1to2y", "patient", "", 2, 520,
         "Used with a topical cream. My doctor explained it is an off-label use for "
         "acne and why pregnancy must be avoided while taking it."),
    ],
    ("clindamycin-gel", "acne"): [
        (6, 3, 5, 3, "1to6m", "patient", "", 2, 130,
         "Helped the red spots a little. My GP prescribed it together with benzoyl "
         "peroxide so bacteria do not become resistant."),
        (8, 4, 5, 4, "1to6m", "patient", "", 1, 410,
         "Easy to apply, no dryness. Good for my mild acne."),
    ],
    ("minocycline", "acne"): [
        (6, 3, 4, 3, "1to6m", "patient", "", 1, 180,
         "Worked a bit better than doxycycline for me but I felt dizzy in the first week."),
        (3, 2, 4, 2, "1to6m", "patient", "", 2, 470,
         "Noticed grey-blue marks on old acne scars after months. My doctor stopped it; "
         "they are slowly fading."),
    ],
    ("ibuprofen", "rheumatoid-arthritis"): [
        (6, 3, 5, 3, "gt5y", "patient", "", 3, 65,
         "Takes the edge off the joint pain on bad days, but it does not stop the "
         "disease. I take it with food and my doctor added a stomach protector."),
        (4, 2, 5, 2, "1to2y", "patient", "", 1, 300,
         "Gave me indigestion. My rheumatologist said it only helps symptoms and "
         "focused on my other treatment."),
        (7, 4, 5, 4, "2to5y", "patient", "", 2, 480,
         "Useful alongside my main medicine for flares. My blood pressure is checked "
         "because of it."),
    ],
    ("apremilast", "psoriasis"): [
        (6, 3, 4, 3, "6to12m", "patient", "", 3, 95,
         "Tablets instead of injections, which I prefer. Diarrhoea and headache for "
         "the first two weeks, then fine. Moderate improvement."),
        (4, 2, 4, 2, "1to6m", "patient", "", 2, 330,
         "Lost weight without trying and the plaques barely changed."),
        (8, 4, 5, 4, "1to2y", "patient", "", 1, 500,
         "My scalp and nail psoriasis are clearly better. Slow to work."),
    ],
    ("ciclosporin", "atopic-dermatitis"): [
        (8, 5, 3, 4, "1to6m", "patient", "", 4, 70,
         "Fastest relief I have ever had from a bad eczema flare: within two weeks. "
         "Only for a few months, with blood pressure and kidney checks."),
        (5, 3, 3, 3, "1to6m", "patient", "", 1, 350,
         "Worked, but my blood pressure went up and my gums were sore. The eczema "
         "returned after stopping."),
    ],
    ("hydrocortisone-cream", "atopic-dermatitis"): [
        (7, 4, 5, 4, "1to6m", "carer", "", 3, 25,
         "Our toddler's eczema patches calm down in a few days with a thin layer, used "
         "as the nurse showed us and with plenty of emollient."),
        (5, 3, 5, 3, "1to2y", "patient", "", 1, 290,
         "Fine for mild patches, not strong enough for my flares."),
        (8, 4, 5, 4, "1to6m", "patient", "", 2, 450,
         "Short courses clear my eczema on my arms. I use moisturiser every day in between."),
    ],
}
# fmt: on


def load(*, stdout, verbosity, tally=None):
    """Create or update the demo reviews (approved) and recount the figures they touch."""
    indications = {
        (ind.drug.slug, ind.condition.slug): ind
        for ind in Indication.objects.select_related("drug", "condition").filter(
            drug__slug__in={drug for drug, _ in REVIEWS},
        )
    }
    existing = {review.source_id: review for review in Review.objects.filter(source=SOURCE)}
    drug_ids, indication_ids = set(), set()
    to_create, to_update = [], []
    skipped = 0
    for (drug_slug, condition_slug), rows in REVIEWS.items():
        indication = indications.get((drug_slug, condition_slug))
        if indication is None:
            skipped += len(rows)
            if verbosity >= 2:
                stdout.write(f"  No demo article {drug_slug}/{condition_slug}; its reviews skipped")
            continue
        for number, row in enumerate(rows, start=1):
            source_id = f"{drug_slug}/{condition_slug}/{number}"
            values = _values(indication, row)
            review = existing.get(source_id)
            if review is None:
                review = Review(source=SOURCE, source_id=source_id, **values)
                to_create.append(review)
                _count(tally, "create", source_id)
            elif any(getattr(review, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(review, name, value)
                to_update.append(review)
                _count(tally, "touch", source_id)
            else:
                continue
            # Drug and indication come from rows just read, so skip their per-row lookups;
            # the source id is unique by construction above.
            review.full_clean(
                exclude=["drug", "indication"], validate_unique=False, validate_constraints=False
            )
            drug_ids.add(indication.drug_id)
            indication_ids.add(indication.pk)
    Review.objects.bulk_create(to_create, batch_size=500)
    Review.objects.bulk_update(to_update, fields=list(FIELDS), batch_size=500)
    written = len(to_create) + len(to_update)
    # Figures also follow reviews that were moved or changed outside this loader.
    demo = Review.objects.filter(source=SOURCE)
    drug_ids |= set(demo.values_list("drug_id", flat=True))
    indication_ids |= set(demo.exclude(indication=None).values_list("indication_id", flat=True))
    ratings_recount(drug_ids=drug_ids, indication_ids=indication_ids)
    # "Patients mention" figures: the demo reviews scanned for side-effect mentions.
    mentions_reviews_changed(review_ids=demo.values_list("pk", flat=True), drug_ids=drug_ids)
    if verbosity >= 2:
        stdout.write(f"  Demo reviews: {written} written, {skipped} skipped")
    return written


FIELDS = (
    "drug_id",
    "indication_id",
    "rating",
    "effectiveness",
    "ease_of_use",
    "satisfaction",
    "duration",
    "role",
    "nickname",
    "helpful_count",
    "submitted_at",
    "body",
    "body_hash",
    "status",
)


def _values(indication, row):
    rating, effectiveness, ease, satisfaction, duration, role, nickname, helpful, days, text = row
    return {
        "drug_id": indication.drug_id,
        "indication_id": indication.pk,
        "rating": rating,
        "effectiveness": effectiveness,
        "ease_of_use": ease,
        "satisfaction": satisfaction,
        "duration": duration,
        "role": role,
        "nickname": nickname,
        "helpful_count": helpful,
        "submitted_at": _BASE - timedelta(days=days),
        "body": text,
        "body_hash": body_hash(text),
        "status": Review.Status.APPROVED,
    }


def _count(tally, action, key):
    if tally is not None:
        getattr(tally, action)("reviews", key)
