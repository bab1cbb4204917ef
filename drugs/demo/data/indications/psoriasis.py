"""Articles about treatments for psoriasis."""

INDICATIONS = [
    {
        "drug": "isotretinoin",
        "condition": "psoriasis",
        "approval_status": "off_label",
        "approval_note": """
            Not approved for psoriasis and not a standard treatment. Acitretin is
            the retinoid approved for psoriasis; evidence for isotretinoin is
            limited to small studies and case reports.
        """,
        "summary": """
            Isotretinoin is not approved for psoriasis and is rarely used for it.
            This page explains why, and what dermatologists use instead.
        """,
        "what_it_is": """
            Isotretinoin is a retinoid capsule approved for severe acne. It is
            related to acitretin, a retinoid that is approved for psoriasis, and
            this has led to occasional off-label use. Psoriasis guidelines do not
            recommend isotretinoin, and the evidence that it helps is weak.
        """,
        "how_it_works": [
            "Retinoids slow the overgrowth of skin cells that builds psoriasis plaques",
            "They help skin cells mature and shed normally",
            "For isotretinoin these effects in psoriasis are much less studied than for acitretin",
        ],
        "benefits": [
            "Older, small studies found only modest improvement, less than with acitretin",
            "It leaves the body much faster than acitretin, so specialists have occasionally "
            "tried it when acitretin's three-year pregnancy rule is a problem",
            "No good trials show a benefit over standard psoriasis treatments",
        ],
        "what_to_expect": """
            If a specialist does suggest it, expect the same precautions as for
            acne: monthly reviews, blood tests, and a strict pregnancy prevention
            programme, because isotretinoin causes serious birth defects. Do not
            ask for it as a first treatment: proven options such as creams,
            phototherapy, methotrexate, acitretin, apremilast and biologics
            usually work better.
        """,
        "audience_heading": "Who it is for: rarely, selected people under a specialist",
        "audience_text": """
            Isotretinoin for psoriasis is only ever a specialist decision for
            unusual situations, for example someone with both severe acne and
            psoriasis. Talk to your dermatologist about the approved options
            first.
        """,
        "sections": [
            (
                "Approved alternatives",
                """
                Dermatologists usually start with treatments applied to the skin,
                then phototherapy, then tablets or injections such as
                methotrexate, ciclosporin, acitretin, apremilast or biologic
                medicines like adalimumab.
                """,
            ),
        ],
        "tags": ["retinoid", "psoriasis", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "acitretin",
        "condition": "psoriasis",
        "approval_status": "approved",
        "approval_note": """
            Approved in the US for severe psoriasis in adults, and in the UK and
            EU for severe extensive psoriasis resistant to other treatment and for
            pustular psoriasis of the hands and feet.
        """,
        "summary": """
            Acitretin is an approved retinoid capsule for severe psoriasis,
            especially pustular psoriasis and thick psoriasis of the hands and
            feet. It does not suppress the immune system.
        """,
        "what_it_is": """
            Acitretin is a retinoid, related to vitamin A, taken once a day with
            food. It is prescribed by dermatologists, sometimes together with
            phototherapy.
        """,
        "how_it_works": [
            "Slows the overgrowth of skin cells in psoriasis plaques",
            "Helps skin cells mature and shed normally",
            "Reduces inflammation in the skin",
        ],
        "benefits": [
            "Thinner, less scaly plaques",
            "Works well for pustular psoriasis and psoriasis on palms and soles",
            "Does not weaken the immune system, unlike many other tablets for psoriasis",
        ],
        "what_to_expect": """
            Improvement starts after a few weeks and builds over two to four
            months. Dryness of the lips and skin and some hair thinning are
            common; your dose may be adjusted to balance benefit and side effects.
            You will have regular blood tests.
        """,
        "audience_heading": "Who it is for: severe psoriasis",
        "audience_text": """
            Acitretin suits adults with severe psoriasis, pustular psoriasis or
            psoriasis of the hands and feet. Because it can cause birth defects
            for up to three years after stopping, it is rarely used by anyone who
            could become pregnant.
        """,
        "sections": [
            (
                "Before you start",
                """
                Tell your prescriber about liver or kidney problems, high blood
                fats, diabetes and heavy drinking. If you could become pregnant,
                you will need a pregnancy prevention programme, and you must not
                drink alcohol during treatment and for two months after.
                """,
            ),
        ],
        "tags": ["retinoid", "psoriasis", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "methotrexate",
        "condition": "psoriasis",
        "approval_status": "approved",
        "approval_note": "Approved for severe psoriasis that has not responded to other treatment.",
        "summary": """
            Methotrexate is an approved, long-established treatment for severe
            psoriasis, taken once a week as a tablet or injection with regular
            blood tests.
        """,
        "what_it_is": """
            Methotrexate calms the immune system. It has been used for psoriasis
            for decades and also helps psoriatic arthritis, which makes it useful
            for people with both.
        """,
        "how_it_works": [
            "Slows the immune cells that drive psoriasis inflammation",
            "Slows the overgrowth of skin cells",
        ],
        "benefits": [
            "Clearer skin for many people with severe psoriasis",
            "Also treats joint symptoms of psoriatic arthritis",
            "A single weekly dose",
        ],
        "what_to_expect": """
            It takes six to twelve weeks to see the full effect. You will take
            folic acid on other days to reduce side effects, and have blood tests
            often at first and then every few months. Nausea and tiredness the
            day after the dose are common.
        """,
        "audience_heading": "Who it is for: severe psoriasis",
        "audience_text": """
            Methotrexate suits adults whose psoriasis is severe or has not
            responded to creams and phototherapy. It is not suitable in pregnancy,
            with significant liver or kidney disease, or with heavy drinking.
        """,
        "sections": [
            (
                "Once a week, never daily",
                """
                Take methotrexate on the same day each week. Taking it every day
                by mistake can be fatal; if you are unsure, ask your pharmacist
                before taking another dose.
                """,
            ),
        ],
        "tags": ["immunosuppressant", "dmard", "psoriasis", "skin", "pregnancy-risk"],
    },
    {
        "drug": "ciclosporin",
        "condition": "psoriasis",
        "approval_status": "approved",
        "approval_note": "Approved for severe psoriasis in adults when other treatments are unsuitable.",
        "summary": """
            Ciclosporin is an approved, fast-acting treatment for severe
            psoriasis, usually used for short periods because of its effects on
            the kidneys and blood pressure.
        """,
        "what_it_is": """
            Ciclosporin is an immunosuppressant taken as capsules or liquid twice
            a day. It is often used to bring a severe flare under control before
            switching to a treatment suited to long-term use.
        """,
        "how_it_works": [
            "Switches off the T cells that drive psoriasis",
            "Quickly reduces inflammation in the skin",
        ],
        "benefits": [
            "Works within weeks, faster than most tablets for psoriasis",
            "Useful for severe flares",
        ],
        "what_to_expect": """
            Improvement often starts within two to four weeks. Blood pressure and
            kidney function are checked before and during treatment, and courses
            are usually kept to months rather than years.
        """,
        "audience_heading": "Who it is for: severe psoriasis needing rapid control",
        "audience_text": """
            Ciclosporin suits adults with severe psoriasis who need quick
            improvement. It is usually avoided with kidney disease, uncontrolled
            high blood pressure or a history of cancer.
        """,
        "sections": [
            (
                "Monitoring",
                """
                Expect blood pressure checks and blood tests for kidney function
                every few weeks at first. Avoid grapefruit and check every new
                medicine with a pharmacist.
                """,
            ),
        ],
        "tags": ["immunosuppressant", "psoriasis", "skin", "oral"],
    },
    {
        "drug": "adalimumab",
        "condition": "psoriasis",
        "approval_status": "approved",
        "approval_note": """
            Approved for moderate to severe plaque psoriasis in adults who are
            candidates for systemic treatment or phototherapy.
        """,
        "summary": """
            Adalimumab is an approved biologic injection for moderate to severe
            plaque psoriasis, used when tablets or phototherapy have not worked or
            are unsuitable.
        """,
        "what_it_is": """
            Adalimumab is a biologic medicine injected under the skin every other
            week after starting doses. Biosimilar versions work the same way.
        """,
        "how_it_works": [
            "Blocks TNF, a messenger protein that drives psoriasis inflammation",
            "Reduces the signals that make skin cells grow too fast",
        ],
        "benefits": [
            "Large improvement in skin for many people",
            "Also treats psoriatic arthritis",
            "Injections can be done at home",
        ],
        "what_to_expect": """
            Many people see improvement within a few weeks, with the full effect
            by about four months. Your specialist will check how well it works and
            whether to continue.
        """,
        "audience_heading": "Who it is for: moderate to severe plaque psoriasis",
        "audience_text": """
            Adalimumab suits adults (and in some countries children) with
            moderate to severe psoriasis when other systemic treatments have not
            worked. It is not suitable with active infections, including untreated
            TB, or with some heart conditions.
        """,
        "sections": [
            (
                "Before you start",
                """
                You will be screened for TB and hepatitis and asked about
                infections, cancer and heart failure. Bring vaccinations up to
                date first, as live vaccines cannot be given during treatment.
                """,
            ),
        ],
        "tags": ["biologic", "immunosuppressant", "psoriasis", "skin", "injection"],
    },
    {
        "drug": "apremilast",
        "condition": "psoriasis",
        "approval_status": "approved",
        "approval_note": """
            Approved for plaque psoriasis in adults; in the UK and EU for moderate
            to severe psoriasis after other systemic treatment.
        """,
        "summary": """
            Apremilast is an approved tablet for plaque psoriasis. It works more
            gently than biologics but needs no routine blood tests.
        """,
        "what_it_is": """
            Apremilast is a tablet taken twice a day. It belongs to a group called
            PDE4 inhibitors, which lower inflammatory signals inside immune cells.
        """,
        "how_it_works": [
            "Blocks the enzyme PDE4 inside immune cells",
            "Lowers the inflammatory messengers that drive psoriasis",
        ],
        "benefits": [
            "Less itching and thinner plaques for many people",
            "Tablets rather than injections",
            "No routine blood tests",
        ],
        "what_to_expect": """
            The dose is built up over the first week. Diarrhoea and nausea are
            common early on and usually settle. Improvement shows over about 16
            weeks; your prescriber will review whether it is worth continuing.
        """,
        "audience_heading": "Who it is for: plaque psoriasis not controlled by creams",
        "audience_text": """
            Apremilast suits adults with plaque psoriasis, including on the scalp
            and nails, who need more than creams. It is not used in pregnancy.
        """,
        "tags": ["psoriasis", "skin", "oral"],
    },
]
