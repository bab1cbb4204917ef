"""Articles about treatments for psoriatic and rheumatoid arthritis."""

INDICATIONS = [
    {
        "drug": "methotrexate",
        "condition": "psoriatic-arthritis",
        "approval_status": "approved",
        "approval_note": """
            Licensed in the UK and EU for severe psoriatic arthritis; in the US
            this use is off-label but long established.
        """,
        "summary": """
            Methotrexate is a standard first tablet or injection for psoriatic
            arthritis, helping both the joints and the skin.
        """,
        "what_it_is": """
            Methotrexate is a disease-modifying antirheumatic drug (DMARD) taken
            once a week. It is often the first DMARD tried for psoriatic
            arthritis, especially when the skin is also affected.
        """,
        "how_it_works": [
            "Calms the immune activity that inflames joints and tendons",
            "Slows skin cell overgrowth in psoriasis",
        ],
        "benefits": [
            "Less joint pain, swelling and stiffness for many people",
            "Improves skin psoriasis at the same time",
        ],
        "what_to_expect": """
            The full effect takes about three months. Folic acid is taken on
            other days, and regular blood tests check the blood count, liver and
            kidneys. If it is not enough, a biologic may be added or used instead.
        """,
        "audience_heading": "Who it is for: active psoriatic arthritis",
        "audience_text": """
            Adults with psoriatic arthritis affecting several joints. It is not
            suitable in pregnancy or with significant liver disease.
        """,
        "sections": [
            (
                "Once a week, never daily",
                """
                Methotrexate for arthritis is taken once a week, on the same day.
                Taking it daily by mistake is dangerous; ask your pharmacist if
                you are unsure.
                """,
            ),
        ],
        "tags": ["immunosuppressant", "dmard", "arthritis", "psoriasis", "pregnancy-risk"],
    },
    {
        "drug": "apremilast",
        "condition": "psoriatic-arthritis",
        "approval_status": "approved",
        "approval_note": "Approved for active psoriatic arthritis in adults.",
        "summary": """
            Apremilast is an approved tablet for active psoriatic arthritis,
            an option when methotrexate does not suit.
        """,
        "what_it_is": """
            Apremilast is a PDE4 inhibitor tablet taken twice a day, used alone or
            with other DMARDs.
        """,
        "how_it_works": [
            "Lowers inflammatory messengers inside immune cells",
            "Reduces joint and skin inflammation",
        ],
        "benefits": [
            "Less joint pain and swelling for some people",
            "Also helps skin psoriasis",
            "No routine blood tests",
        ],
        "what_to_expect": """
            Stomach upset is common in the first weeks. Benefit is judged after
            about 16 weeks. It works more modestly than biologic medicines.
        """,
        "audience_heading": "Who it is for: adults with active psoriatic arthritis",
        "audience_text": """
            It suits adults when other DMARDs have not worked or are unsuitable.
            It is not used in pregnancy.
        """,
        "tags": ["arthritis", "psoriasis", "oral"],
    },
    {
        "drug": "methotrexate",
        "condition": "rheumatoid-arthritis",
        "approval_status": "approved",
        "approval_note": "Approved for rheumatoid arthritis; usually the first DMARD offered.",
        "summary": """
            Methotrexate is the usual first treatment for rheumatoid arthritis. It
            slows joint damage and is taken once a week.
        """,
        "what_it_is": """
            Methotrexate is a disease-modifying antirheumatic drug (DMARD). For
            rheumatoid arthritis it is taken once a week as tablets or an
            injection, often with other DMARDs or biologics.
        """,
        "how_it_works": [
            "Calms the immune attack on the joint lining",
            "Reduces inflammation that wears away cartilage and bone",
        ],
        "benefits": [
            "Less pain, swelling and morning stiffness",
            "Slows or prevents joint damage",
            "Helps other medicines such as biologics work better",
        ],
        "what_to_expect": """
            It takes six to twelve weeks to work; your rheumatology team may give
            a short course of steroids meanwhile. Expect regular blood tests and
            folic acid on other days.
        """,
        "audience_heading": "Who it is for: newly diagnosed or active rheumatoid arthritis",
        "audience_text": """
            Most adults with rheumatoid arthritis are offered methotrexate early.
            It is not suitable in pregnancy or with significant liver, kidney or
            lung disease.
        """,
        "sections": [
            (
                "Once a week, never daily",
                """
                Take it on the same day each week. Taking it daily by mistake
                can be fatal.
                """,
            ),
        ],
        "tags": ["immunosuppressant", "dmard", "arthritis", "pregnancy-risk"],
    },
    {
        "drug": "ibuprofen",
        "condition": "rheumatoid-arthritis",
        "approval_status": "approved",
        "approval_note": """
            Approved at prescription doses for the pain and inflammation of
            rheumatoid arthritis; it relieves symptoms but does not slow joint
            damage.
        """,
        "summary": """
            Ibuprofen eases the pain and stiffness of rheumatoid arthritis but
            does not change the course of the disease, so it is used alongside
            DMARDs such as methotrexate.
        """,
        "what_it_is": """
            Ibuprofen is a non-steroidal anti-inflammatory drug (NSAID). For
            arthritis it is taken regularly at doses set by a doctor.
        """,
        "how_it_works": [
            "Blocks enzymes that make prostaglandins, which cause pain and swelling",
        ],
        "benefits": [
            "Relief of pain and morning stiffness",
            "Works within hours",
        ],
        "what_to_expect": """
            Relief starts within an hour or two of a dose. Long-term use raises
            the risk of stomach bleeding, kidney problems and heart disease, so
            your doctor will use the lowest dose that helps, may add a
            stomach-protecting medicine, and will check your blood pressure.
        """,
        "audience_heading": "Who it is for: symptom relief alongside DMARDs",
        "audience_text": """
            Adults with rheumatoid arthritis who need pain relief. It may not
            suit people with stomach ulcers, heart or kidney disease, or asthma
            made worse by NSAIDs, or anyone in the last three months of
            pregnancy.
        """,
        "tags": ["nsaid", "arthritis", "pain", "oral"],
    },
]
