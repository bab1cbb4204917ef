"""Articles about treatments for acne."""

INDICATIONS = [
    {
        "drug": "isotretinoin",
        "condition": "acne",
        "approval_status": "approved",
        "approval_note": """
            Approved in the US, UK and EU for severe acne (nodular or at risk of
            scarring) that has not responded to antibiotics and treatments
            applied to the skin.
        """,
        "summary": """
            Isotretinoin capsules are an approved treatment for severe acne that
            has not cleared with other treatments. A single course clears acne
            for most people, but it needs close monitoring and strict pregnancy
            prevention.
        """,
        "what_it_is": """
            Isotretinoin is a retinoid, a medicine related to vitamin A, taken as
            capsules. It is the only acne treatment that acts on all the main
            causes of acne at once, which is why it is kept for severe acne and
            acne that keeps coming back after other treatments. It is started by a
            dermatologist.
        """,
        "how_it_works": [
            "Shrinks the oil glands and sharply reduces the amount of oil they make",
            "Stops skin cells from clogging the pores",
            "Makes the skin a poorer home for acne bacteria",
            "Calms inflammation in the spots",
        ],
        "benefits": [
            "Clears acne in most people who finish a full course",
            "Often gives long-lasting improvement after the course ends",
            "Can prevent further scarring from deep, painful spots",
        ],
        "what_to_expect": """
            A course usually lasts four to six months. Acne can get a little
            worse in the first weeks before it improves, and most people see a
            clear difference after two to three months. Dry lips and skin start
            within days and last for the whole course. You will see your
            prescriber every month or so for check-ups, blood tests and, if you
            could become pregnant, pregnancy tests. Some people need a second
            course.
        """,
        "audience_heading": "Who it is for: severe or scarring acne",
        "audience_text": """
            Isotretinoin is for people with severe acne, such as deep nodules or
            cysts, acne that is scarring, or acne that has not improved with at
            least one full course of antibiotics together with creams or gels.
            It is not a first treatment for mild acne. Your dermatologist will ask
            about your mental health, other medicines and plans for pregnancy
            before deciding with you whether it is right.
        """,
        "sections": [
            (
                "Before you start",
                """
                - Tell your prescriber about any history of depression, anxiety or
                  self-harm, and about liver problems or high blood fats.
                - If you could become pregnant, you will need a pregnancy
                  prevention programme, including effective contraception and
                  regular pregnancy tests.
                - Do not take vitamin A supplements or tetracycline antibiotics
                  (such as doxycycline) at the same time.
                """,
            ),
            (
                "Monitoring during treatment",
                """
                Expect blood tests for liver function and blood fats before
                starting and during the course, and regular questions about your
                mood. Contact your prescriber straight away if your mood drops or
                you have any thoughts of harming yourself.
                """,
            ),
        ],
        "tags": ["retinoid", "acne", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "tretinoin",
        "condition": "acne",
        "approval_status": "approved",
        "approval_note": "Approved in the US and other countries for acne, applied to the skin.",
        "summary": """
            Tretinoin cream or gel is an approved treatment for acne, applied
            once a day. It clears blocked pores and prevents new spots, and is
            often combined with other acne treatments.
        """,
        "what_it_is": """
            Tretinoin is a retinoid applied to the skin. It is one of the oldest
            and best-studied acne treatments, available as a cream or gel in
            several strengths.
        """,
        "how_it_works": [
            "Speeds up the turnover of skin cells so they do not block pores",
            "Loosens blackheads and whiteheads",
            "Helps other acne treatments reach the skin",
        ],
        "benefits": [
            "Reduces blackheads, whiteheads and inflamed spots",
            "Helps prevent new spots when used every day",
            "Can fade some marks left by old spots",
        ],
        "what_to_expect": """
            Your skin may be red, dry and flaky for the first few weeks, and spots
            may briefly seem worse. Improvement usually shows after 8 to 12
            weeks. Keep using it once acne has cleared to stop it coming back, if
            your prescriber agrees.
        """,
        "audience_heading": "Who it is for: mild to moderate acne",
        "audience_text": """
            Tretinoin suits blackheads, whiteheads and mild to moderate spots,
            alone or with an antibiotic or benzoyl peroxide. It is not
            recommended during pregnancy.
        """,
        "sections": [
            (
                "How to use it",
                """
                Wash with a mild cleanser, wait until the skin is fully dry, then
                apply a pea-sized amount to the whole face in the evening,
                avoiding the eyes, mouth and nostrils. Use a moisturiser and a
                daily sunscreen.
                """,
            ),
        ],
        "tags": ["retinoid", "acne", "skin", "topical"],
    },
    {
        "drug": "adapalene",
        "condition": "acne",
        "approval_status": "approved",
        "approval_note": """
            Approved for acne; the 0.1% gel is sold without prescription in the
            US and some other countries.
        """,
        "summary": """
            Adapalene gel is an approved, often first-choice treatment for mild to
            moderate acne. It is usually gentler on the skin than older retinoids.
        """,
        "what_it_is": """
            Adapalene is a retinoid made for use on the skin. It comes as a gel
            or cream, and also in combination products with benzoyl peroxide.
        """,
        "how_it_works": [
            "Normalises how skin cells shed inside the pore",
            "Prevents the tiny blockages that grow into spots",
            "Reduces inflammation in the skin",
        ],
        "benefits": [
            "Fewer blackheads, whiteheads and red spots",
            "Usually less irritating than tretinoin",
            "Can be used long term to keep acne away",
        ],
        "what_to_expect": """
            Mild dryness or stinging is common in the first two to four weeks.
            Most people notice fewer spots after about eight weeks, with further
            improvement up to three months.
        """,
        "audience_heading": "Who it is for: mild to moderate acne",
        "audience_text": """
            Adapalene is suitable for teenagers and adults with mild to moderate
            acne. If acne is severe, scarring or not improving after three
            months, see a doctor about other options.
        """,
        "tags": ["retinoid", "acne", "skin", "topical"],
    },
    {
        "drug": "doxycycline",
        "condition": "acne",
        "approval_status": "approved",
        "approval_note": "Approved for acne as part of combined treatment with a cream or gel.",
        "summary": """
            Doxycycline is an approved antibiotic treatment for moderate to severe
            inflammatory acne, usually taken for up to three months alongside a
            treatment applied to the skin.
        """,
        "what_it_is": """
            Doxycycline is a tetracycline antibiotic taken as a capsule or tablet
            once a day. For acne it is always combined with a cream or gel such as
            a retinoid or benzoyl peroxide, to work better and to limit antibiotic
            resistance.
        """,
        "how_it_works": [
            "Reduces the bacteria that live in blocked pores",
            "Calms the inflammation that makes spots red and sore",
        ],
        "benefits": [
            "Fewer red, inflamed spots and nodules",
            "Helps acne on the chest and back, which creams reach less easily",
        ],
        "what_to_expect": """
            Improvement usually starts after four to six weeks. Courses are kept
            as short as possible, typically up to three months, after which a
            cream or gel alone keeps acne under control.
        """,
        "audience_heading": "Who it is for: moderate to severe inflammatory acne",
        "audience_text": """
            Doxycycline suits acne with many red or tender spots, or acne on the
            back and chest. It is not used in pregnancy or in children under 12,
            and must never be taken together with isotretinoin.
        """,
        "sections": [
            (
                "How to take it",
                """
                Swallow it with a full glass of water while sitting or standing,
                and stay upright for at least 30 minutes. Keep it apart from
                milk, antacids and iron or zinc supplements by a couple of hours.
                """,
            ),
        ],
        "tags": ["antibiotic", "tetracycline", "acne", "skin", "oral"],
    },
    {
        "drug": "minocycline",
        "condition": "acne",
        "approval_status": "approved",
        "approval_note": """
            Approved for inflammatory acne in the US and UK; guidelines usually
            prefer doxycycline because of minocycline's rarer serious side effects.
        """,
        "summary": """
            Minocycline is an approved antibiotic for inflammatory acne. It works
            about as well as doxycycline, but rare serious side effects mean it is
            usually not the first choice.
        """,
        "what_it_is": """
            Minocycline is a tetracycline antibiotic taken by mouth, including as
            an extended-release tablet taken once a day.
        """,
        "how_it_works": [
            "Reduces acne bacteria in the pores",
            "Calms inflammation in red spots",
        ],
        "benefits": [
            "Fewer inflamed spots",
            "Once-daily forms are easy to fit into a routine",
        ],
        "what_to_expect": """
            As with other antibiotics for acne, improvement shows after several
            weeks and the course is kept to about three months, combined with a
            cream or gel.
        """,
        "audience_heading": "Who it is for: inflammatory acne when doxycycline does not suit",
        "audience_text": """
            Prescribers may choose minocycline when doxycycline is not tolerated.
            It is not used in pregnancy or in children under 12.
        """,
        "sections": [
            (
                "Warning signs to know",
                """
                Contact your prescriber about joint pain with a rash or fever,
                yellowing of the skin or eyes, or dark patches on the skin or
                gums. These are rare but need checking.
                """,
            ),
        ],
        "tags": ["antibiotic", "tetracycline", "acne", "skin", "oral"],
    },
    {
        "drug": "spironolactone",
        "condition": "acne",
        "approval_status": "off_label",
        "approval_note": """
            Not licensed for acne; used off-label by dermatologists for hormonal
            acne in women, a use supported by the American Academy of
            Dermatology's acne guideline.
        """,
        "summary": """
            Spironolactone is used off-label for acne in adult women. It blocks
            the hormone signals that drive oil production and is an option when
            creams and antibiotics have not been enough.
        """,
        "what_it_is": """
            Spironolactone is a water tablet licensed for heart failure, high
            blood pressure and fluid retention. At low to moderate doses
            dermatologists prescribe it off-label for acne in women, often for
            many months.
        """,
        "how_it_works": [
            "Blocks the effect of androgens (male-type hormones) on the oil glands",
            "Reduces the amount of oil the skin makes",
        ],
        "benefits": [
            "Helps acne around the jaw and chin that flares with periods",
            "Avoids long courses of antibiotics",
        ],
        "what_to_expect": """
            It takes about three months to see the full effect. Periods may
            become irregular, and breasts may feel tender. Because it is used
            off-label, your prescriber will explain why they suggest it and how
            you will be monitored.
        """,
        "audience_heading": "Who it is for: adult women with persistent acne",
        "audience_text": """
            It may suit women whose acne persists or flares with their cycle. It
            is not used for acne in men because of its hormonal effects, and it
            must not be taken during pregnancy.
        """,
        "sections": [
            (
                "Before you start",
                """
                Tell your prescriber about kidney problems and all your other
                medicines, especially for blood pressure. A blood test for
                potassium may be done before or during treatment. Use effective
                contraception while taking it.
                """,
            ),
        ],
        "tags": ["hormonal", "acne", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "clindamycin-gel",
        "condition": "acne",
        "approval_status": "approved",
        "approval_note": "Approved for acne, applied to the skin.",
        "summary": """
            Clindamycin gel is an approved antibiotic for inflammatory acne,
            applied to the skin and best used together with benzoyl peroxide.
        """,
        "what_it_is": """
            Clindamycin is an antibiotic. As a gel, lotion or solution it treats
            acne where it appears, without the whole-body effects of tablets.
        """,
        "how_it_works": [
            "Reduces acne bacteria on and in the skin",
            "Calms inflamed spots",
        ],
        "benefits": [
            "Fewer red, inflamed spots",
            "Few side effects beyond mild dryness",
        ],
        "what_to_expect": """
            Improvement shows after about six to eight weeks. Used alone,
            bacteria can become resistant, so it is normally prescribed with
            benzoyl peroxide or a retinoid, for about three months at a time.
        """,
        "audience_heading": "Who it is for: mild to moderate inflammatory acne",
        "audience_text": """
            It suits people with red, inflamed spots, as part of a combination
            treatment chosen with a pharmacist, nurse or doctor.
        """,
        "tags": ["antibiotic", "acne", "skin", "topical"],
    },
]
