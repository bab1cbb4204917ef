"""Drug pages. One dict per drug, keyed by `slug`.

Fields: name, generic_name, brand_names, availability ("rx", "otc" or
"rx_otc"), summary, active_ingredients and drug_classes (slugs from
taxonomy.py), similar_drugs (drug slugs chosen by editors), boxed_warning and
pregnancy_warning (only where the real label has one; never invent one),
side_effect_advice, tags, status (default "published") and side_effects.

A side effect is {"effect": slug, "frequency": very_common | common | uncommon
| rare | not_known, "seriousness": mild | moderate | serious, "advice": ...}.
Frequency bands follow the product labels: very common is more than 1 in 10
people, common up to 1 in 10, uncommon up to 1 in 100, rare up to 1 in 1,000.
"""

ORAL_RETINOID_PREGNANCY = """
    **Do not take {name} if you are pregnant, could become pregnant or are
    breastfeeding.** Even one dose can cause severe birth defects or miscarriage.
    Anyone who could become pregnant may only take it within a pregnancy
    prevention programme: pregnancy tests before, during and after treatment,
    and effective contraception from at least one month before starting until
    {after} after the last dose. If you think you may be pregnant, stop taking
    it and contact your prescriber straight away.
"""

TETRACYCLINE_PREGNANCY = """
    Not used in pregnancy or while breastfeeding: tetracyclines can affect the
    development of a baby's bones and stain its teeth. Tell your prescriber if
    you are pregnant or planning a pregnancy.
"""

DRUGS = [
    {
        "slug": "isotretinoin",
        "name": "Isotretinoin",
        "generic_name": "isotretinoin",
        "brand_names": ["Absorica", "Amnesteem", "Claravis", "Zenatane"],
        "availability": "rx",
        "summary": """
            Isotretinoin is a retinoid capsule, related to vitamin A, for severe acne
            that has not cleared with other treatments. It is prescribed by
            dermatologists under strict pregnancy prevention rules because it
            causes birth defects.
        """,
        "active_ingredients": ["isotretinoin"],
        "drug_classes": ["retinoids"],
        "similar_drugs": ["acitretin", "tretinoin", "adapalene"],
        "boxed_warning": """
            Isotretinoin causes severe birth defects. It must not be taken by
            anyone who is pregnant or may become pregnant, and it is only
            supplied within a pregnancy prevention programme (iPLEDGE in the
            United States). Never share your capsules and do not give blood
            during treatment or for one month after it.
        """,
        "pregnancy_warning": ORAL_RETINOID_PREGNANCY.format(name="isotretinoin", after="one month"),
        "side_effect_advice": """
            Most side effects of isotretinoin come from dryness and ease when the
            course ends. Use lip balm many times a day, a plain moisturiser on your
            skin, and lubricating eye drops if your eyes feel gritty (you may need
            glasses instead of contact lenses for a while). A little petroleum
            jelly inside the nostrils helps prevent nosebleeds. Protect your skin
            from the sun and avoid waxing, laser and dermabrasion during
            treatment and for six months after.

            **Tell your prescriber straight away** about low mood, anxiety,
            irritability or any thoughts of harming yourself, and ask people
            close to you to say if they notice a change. Get medical help now
            for a severe headache with sickness or blurred vision, severe
            stomach pain, or a blistering rash.
        """,
        "tags": ["retinoid", "skin", "acne", "oral", "pregnancy-risk"],
        "side_effects": [
            {
                "effect": "dry-lips",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Apply a lip balm or petroleum jelly often, including at night.",
            },
            {
                "effect": "dry-skin",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Use a fragrance-free moisturiser and a gentle, soap-free wash.",
            },
            {
                "effect": "dry-eyes",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Lubricating eye drops help; see your doctor if your eyes become red or painful.",
            },
            {
                "effect": "joint-and-muscle-pain",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Ease off intense exercise; tell your prescriber if the pain is severe.",
            },
            {
                "effect": "raised-blood-fats",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Checked with blood tests before and during treatment.",
            },
            {
                "effect": "raised-liver-enzymes",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Checked with blood tests; avoid drinking much alcohol.",
            },
            {
                "effect": "nosebleeds",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Petroleum jelly inside the nostrils and a humid room can help.",
            },
            {
                "effect": "headache",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Get medical help now if it is severe and comes with sickness or blurred vision.",
            },
            {
                "effect": "acne-flare",
                "frequency": "not_known",
                "seriousness": "mild",
                "advice": "Acne can briefly get worse in the first weeks; tell your prescriber if it is severe.",
            },
            {
                "effect": "mood-changes",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Stop taking it and contact your prescriber at once; in a crisis call emergency services.",
            },
            {
                "effect": "raised-intracranial-pressure",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Get medical help now. Never combine isotretinoin with tetracycline antibiotics.",
            },
            {
                "effect": "pancreatitis",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Severe stomach pain spreading to the back needs urgent medical help.",
            },
            {
                "effect": "poor-night-vision",
                "frequency": "rare",
                "seriousness": "moderate",
                "advice": "Take care driving at night and tell your prescriber.",
            },
            {
                "effect": "serious-skin-reaction",
                "frequency": "not_known",
                "seriousness": "serious",
                "advice": "Stop taking it and get medical help now for a blistering or peeling rash.",
            },
        ],
    },
    {
        "slug": "acitretin",
        "name": "Acitretin",
        "generic_name": "acitretin",
        "brand_names": ["Soriatane", "Neotigason"],
        "availability": "rx",
        "summary": """
            Acitretin is a retinoid capsule, related to vitamin A, for severe
            psoriasis and some rare inherited skin conditions. It is prescribed
            by dermatologists. It causes birth defects and stays in the body for
            years, so anyone who could become pregnant needs very long
            contraception after stopping.
        """,
        "active_ingredients": ["acitretin"],
        "drug_classes": ["retinoids"],
        "similar_drugs": ["isotretinoin", "methotrexate", "ciclosporin"],
        "boxed_warning": """
            Acitretin causes severe birth defects. It must not be taken by anyone
            who is pregnant or may become pregnant during treatment or for three
            years after stopping. Alcohol turns acitretin into a substance that
            stays in the body even longer, so people who could become pregnant
            must avoid alcohol during treatment and for two months after. It can
            also damage the liver. Do not give blood during treatment or for
            three years after.
        """,
        "pregnancy_warning": ORAL_RETINOID_PREGNANCY.format(name="acitretin", after="three years"),
        "side_effect_advice": """
            Dryness of the lips, skin, eyes and nose is expected; lip balm,
            moisturisers and eye drops help. Hair may thin for a while and
            palms and soles may peel; both usually recover after the dose is
            lowered or treatment stops. You will have blood tests for liver
            function and blood fats. Get medical help now for yellow skin or
            eyes, a severe headache with blurred vision, or a blistering rash.
        """,
        "tags": ["retinoid", "skin", "psoriasis", "oral", "pregnancy-risk"],
        "side_effects": [
            {
                "effect": "dry-lips",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Use lip balm often.",
            },
            {
                "effect": "dry-skin",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Moisturise daily with a fragrance-free product.",
            },
            {
                "effect": "nosebleeds",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Petroleum jelly inside the nostrils can prevent them.",
            },
            {
                "effect": "hair-thinning",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Usually regrows after the dose is lowered or treatment stops.",
            },
            {
                "effect": "peeling-palms-and-soles",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "A thick emollient on hands and feet helps.",
            },
            {
                "effect": "raised-blood-fats",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Checked with regular blood tests.",
            },
            {
                "effect": "raised-liver-enzymes",
                "frequency": "common",
                "seriousness": "moderate",
                "advice": "Checked with regular blood tests; avoid alcohol.",
            },
            {
                "effect": "dry-eyes",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Lubricating eye drops help.",
            },
            {
                "effect": "joint-and-muscle-pain",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Tell your prescriber if it persists.",
            },
            {
                "effect": "raised-intracranial-pressure",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Get medical help now for a severe headache with sickness or blurred vision.",
            },
            {
                "effect": "liver-damage",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Stop and get medical help now for yellow skin or eyes or dark urine.",
            },
        ],
    },
    {
        "slug": "tretinoin",
        "name": "Tretinoin",
        "generic_name": "tretinoin (topical)",
        "brand_names": ["Retin-A", "Altreno", "Atralin", "Renova"],
        "availability": "rx",
        "summary": """
            Tretinoin cream or gel is a retinoid applied to the skin for acne.
            It unblocks pores and helps prevent new spots. This page is about the
            skin forms; tretinoin capsules for a type of leukaemia are a
            different medicine.
        """,
        "active_ingredients": ["tretinoin"],
        "drug_classes": ["retinoids"],
        "similar_drugs": ["adapalene", "isotretinoin", "clindamycin-gel"],
        "pregnancy_warning": """
            Not recommended in pregnancy or if you are planning a pregnancy:
            retinoids taken by mouth cause birth defects, and although very
            little tretinoin passes through the skin, it is safest to avoid it.
            Talk to your prescriber.
        """,
        "side_effect_advice": """
            Start with a pea-sized amount every other night and build up as your
            skin gets used to it. Apply to dry skin, keep away from the eyes,
            mouth and corners of the nose, and use a moisturiser and daily
            sunscreen.
        """,
        "tags": ["retinoid", "skin", "acne", "topical"],
        "side_effects": [
            {
                "effect": "skin-irritation",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Use less often for a while; it usually settles within weeks.",
            },
            {
                "effect": "dry-skin",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Use a non-greasy moisturiser.",
            },
            {
                "effect": "sun-sensitivity",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Use sunscreen daily and avoid sunbeds.",
            },
            {
                "effect": "acne-flare",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Spots may increase for the first few weeks; keep going unless it is severe.",
            },
        ],
    },
    {
        "slug": "adapalene",
        "name": "Adapalene",
        "generic_name": "adapalene",
        "brand_names": ["Differin"],
        "availability": "rx_otc",
        "summary": """
            Adapalene is a retinoid gel or cream for acne. It keeps pores clear
            and calms inflammation, and is often a first treatment for mild to
            moderate acne. The weakest strength is sold without prescription in
            some countries.
        """,
        "active_ingredients": ["adapalene"],
        "drug_classes": ["retinoids"],
        "similar_drugs": ["tretinoin", "clindamycin-gel"],
        "pregnancy_warning": """
            Adapalene is not recommended in pregnancy. If you are pregnant, trying
            to become pregnant or breastfeeding, ask your prescriber or pharmacist
            before using it, and stop and seek advice if you become pregnant.
        """,
        "side_effect_advice": """
            Apply a thin layer once a day in the evening to dry skin, avoiding the
            eyes, lips and nostrils. Mild dryness and stinging in the first weeks
            are normal; a moisturiser helps. Use sunscreen every day.
        """,
        "tags": ["retinoid", "skin", "acne", "topical"],
        "side_effects": [
            {
                "effect": "skin-irritation",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Apply every other day until your skin adjusts.",
            },
            {
                "effect": "dry-skin",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Use a non-greasy moisturiser.",
            },
            {
                "effect": "sun-sensitivity",
                "frequency": "uncommon",
                "seriousness": "mild",
                "advice": "Use sunscreen daily.",
            },
        ],
    },
    {
        "slug": "doxycycline",
        "name": "Doxycycline",
        "generic_name": "doxycycline",
        "brand_names": ["Vibramycin", "Doryx", "Oracea", "Efracea"],
        "availability": "rx",
        "summary": """
            Doxycycline is a tetracycline antibiotic taken by mouth. In skin
            conditions such as acne and rosacea it is used for its
            anti-inflammatory effect as much as against bacteria, usually for a
            few months alongside a cream or gel.
        """,
        "active_ingredients": ["doxycycline"],
        "drug_classes": ["tetracycline-antibiotics"],
        "similar_drugs": ["minocycline", "clindamycin-gel"],
        "pregnancy_warning": TETRACYCLINE_PREGNANCY,
        "side_effect_advice": """
            Swallow capsules whole with a full glass of water while sitting or
            standing, and stay upright for at least half an hour, so the capsule
            does not irritate your food pipe. Avoid taking it at the same time as
            milk, antacids or iron. Use sunscreen: it makes skin burn more easily.
            Never take it with isotretinoin.
        """,
        "tags": ["antibiotic", "tetracycline", "skin", "acne", "rosacea", "oral"],
        "side_effects": [
            {
                "effect": "nausea",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Take it with food (but not with milk).",
            },
            {
                "effect": "sun-sensitivity",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Cover up and use a high-factor sunscreen.",
            },
            {
                "effect": "headache",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Get medical help now if severe with blurred vision.",
            },
            {
                "effect": "oesophageal-irritation",
                "frequency": "uncommon",
                "seriousness": "moderate",
                "advice": "Take with plenty of water and do not lie down straight after.",
            },
            {
                "effect": "thrush",
                "frequency": "uncommon",
                "seriousness": "mild",
                "advice": "A pharmacist can suggest treatment.",
            },
            {
                "effect": "severe-diarrhoea",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Contact a doctor now for severe, watery or bloody diarrhoea.",
            },
            {
                "effect": "raised-intracranial-pressure",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Get medical help now for a severe headache with vision changes.",
            },
        ],
    },
    {
        "slug": "minocycline",
        "name": "Minocycline",
        "generic_name": "minocycline",
        "brand_names": ["Minocin", "Solodyn", "Minolira"],
        "availability": "rx",
        "summary": """
            Minocycline is a tetracycline antibiotic taken by mouth for
            inflammatory acne. It works like doxycycline but has a few rarer,
            more serious side effects, so many prescribers try doxycycline first.
        """,
        "active_ingredients": ["minocycline"],
        "drug_classes": ["tetracycline-antibiotics"],
        "similar_drugs": ["doxycycline"],
        "pregnancy_warning": TETRACYCLINE_PREGNANCY,
        "side_effect_advice": """
            Take with a full glass of water. Dizziness is common at first: do not
            drive until you know how it affects you. Tell your prescriber about
            joint pain with a rash or fever, yellow skin, or dark patches on your
            skin, gums or nails. Never take it with isotretinoin.
        """,
        "tags": ["antibiotic", "tetracycline", "skin", "acne", "oral"],
        "side_effects": [
            {
                "effect": "dizziness",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Do not drive or use machines if you feel dizzy.",
            },
            {
                "effect": "nausea",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Take it with food.",
            },
            {
                "effect": "skin-discolouration",
                "frequency": "not_known",
                "seriousness": "moderate",
                "advice": "More likely with long use; tell your prescriber.",
            },
            {
                "effect": "lupus-like-reaction",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Contact your prescriber now for joint pain with rash or fever.",
            },
            {
                "effect": "liver-damage",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Get medical help now for yellow skin or eyes.",
            },
            {
                "effect": "serious-skin-reaction",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Stop and get medical help now for a rash with fever or swollen glands.",
            },
        ],
    },
    {
        "slug": "methotrexate",
        "name": "Methotrexate",
        "generic_name": "methotrexate",
        "brand_names": ["Otrexup", "Rasuvo", "Metoject", "Trexall", "Jylamvo"],
        "availability": "rx",
        "summary": """
            Methotrexate calms the immune system. Taken **once a week** as
            tablets or an injection, it treats psoriasis, psoriatic arthritis and
            rheumatoid arthritis. It needs regular blood tests, and taking it
            daily by mistake can be fatal.
        """,
        "active_ingredients": ["methotrexate"],
        "drug_classes": ["dmards", "immunosuppressants", "antimetabolites"],
        "similar_drugs": ["ciclosporin", "adalimumab", "acitretin", "apremilast"],
        "boxed_warning": """
            Methotrexate can cause serious, sometimes fatal harm to the bone
            marrow, liver, lungs, kidneys, gut and skin, and serious infections.
            For psoriasis and arthritis it is taken **once a week**: taking it
            every day by mistake has caused deaths. It causes birth defects and
            miscarriage. It should only be prescribed by doctors experienced in
            its use, with regular blood tests.
        """,
        "pregnancy_warning": """
            **Do not take methotrexate if you are pregnant, planning a pregnancy or
            breastfeeding.** It can cause miscarriage and birth defects. Use
            effective contraception during treatment, whether you or your partner
            could become pregnant, and for the time after stopping that your
            prescriber advises (usually several months).
        """,
        "side_effect_advice": """
            Take it on the same day each week; your prescriber will usually add
            folic acid on other days, which reduces sickness and mouth ulcers.
            Keep to your blood-test schedule and limit alcohol. Avoid live
            vaccines. Contact your prescriber straight away about a sore throat,
            fever, mouth ulcers, unusual bruising, breathlessness or a new cough.
        """,
        "tags": ["immunosuppressant", "dmard", "psoriasis", "arthritis", "pregnancy-risk"],
        "side_effects": [
            {
                "effect": "nausea",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Taking it in the evening or as an injection may help; folic acid helps too.",
            },
            {
                "effect": "raised-liver-enzymes",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Monitored by regular blood tests; keep alcohol low.",
            },
            {
                "effect": "tiredness",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Often worst the day after the weekly dose.",
            },
            {
                "effect": "mouth-ulcers",
                "frequency": "common",
                "seriousness": "moderate",
                "advice": "Tell your prescriber: it can be an early sign of low blood counts.",
            },
            {
                "effect": "infections",
                "frequency": "common",
                "seriousness": "moderate",
                "advice": "Tell your prescriber about fever or an infection that is not clearing.",
            },
            {
                "effect": "hair-thinning",
                "frequency": "uncommon",
                "seriousness": "mild",
                "advice": "Mention it to your prescriber.",
            },
            {
                "effect": "low-blood-counts",
                "frequency": "common",
                "seriousness": "serious",
                "advice": "Get medical help now for fever, sore throat, bleeding or bruising.",
            },
            {
                "effect": "lung-inflammation",
                "frequency": "uncommon",
                "seriousness": "serious",
                "advice": "Get medical help now for breathlessness or a dry cough.",
            },
        ],
    },
    {
        "slug": "ciclosporin",
        "name": "Ciclosporin",
        "generic_name": "ciclosporin (cyclosporine)",
        "brand_names": ["Neoral", "Sandimmune", "Gengraf", "Capimune"],
        "availability": "rx",
        "summary": """
            Ciclosporin is an immunosuppressant taken by mouth. It works quickly
            in severe psoriasis and severe eczema and is usually given for short
            periods, because longer use can harm the kidneys and raise blood
            pressure.
        """,
        "active_ingredients": ["ciclosporin"],
        "drug_classes": ["immunosuppressants", "calcineurin-inhibitors", "dmards"],
        "similar_drugs": ["methotrexate", "adalimumab"],
        "boxed_warning": """
            Ciclosporin should only be prescribed by doctors experienced in
            immunosuppressive treatment. It increases the risk of serious
            infections and some cancers, including skin cancer, especially in
            people who have had phototherapy. It can cause kidney damage and high
            blood pressure, so both are checked regularly. Different brands are
            not interchangeable.
        """,
        "side_effect_advice": """
            You will have your blood pressure and kidney function checked before
            starting and regularly during treatment. Avoid grapefruit, sunbeds
            and too much sun, and check with a pharmacist before taking any other
            medicine, including ibuprofen and herbal remedies. Avoid live vaccines.
        """,
        "tags": ["immunosuppressant", "skin", "psoriasis", "eczema", "oral"],
        "side_effects": [
            {
                "effect": "high-blood-pressure",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Checked at each visit; your dose may be lowered.",
            },
            {
                "effect": "kidney-problems",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Checked with blood tests; drink plenty of fluids.",
            },
            {
                "effect": "tremor",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Usually mild; tell your prescriber if it troubles you.",
            },
            {
                "effect": "headache",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Tell your prescriber if it persists.",
            },
            {
                "effect": "excess-hair-growth",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Goes after treatment stops.",
            },
            {
                "effect": "swollen-gums",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Brush and floss carefully and see your dentist regularly.",
            },
            {
                "effect": "serious-infections",
                "frequency": "uncommon",
                "seriousness": "serious",
                "advice": "Get medical help for fever or feeling very unwell.",
            },
            {
                "effect": "cancer-risk",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Protect your skin from the sun and report new or changing skin spots.",
            },
        ],
    },
    {
        "slug": "adalimumab",
        "name": "Adalimumab",
        "generic_name": "adalimumab",
        "brand_names": ["Humira", "Amgevita", "Hyrimoz", "Imraldi", "Hadlima", "Yuflyma"],
        "availability": "rx",
        "summary": """
            Adalimumab is a biologic medicine injected under the skin every week
            or two. It blocks TNF, a driver of inflammation, and treats psoriasis,
            psoriatic arthritis, rheumatoid arthritis, hidradenitis suppurativa
            and several bowel and eye conditions. Several biosimilar versions exist.
        """,
        "active_ingredients": ["adalimumab"],
        "drug_classes": ["tnf-inhibitors", "immunosuppressants", "dmards"],
        "similar_drugs": ["methotrexate", "apremilast", "ciclosporin"],
        "boxed_warning": """
            Adalimumab raises the risk of serious infections, including
            tuberculosis (TB) and fungal infections, which have led to hospital
            stays and deaths. You will be checked for TB before starting. Lymphoma
            and other cancers have been reported, particularly in children and
            young adults.
        """,
        "side_effect_advice": """
            Let the pen warm to room temperature and change the injection site
            each time to reduce soreness. Avoid live vaccines. Tell your
            prescriber before any surgery and whenever you have a fever or an
            infection; get medical help now for a persistent cough, weight loss
            and night sweats (possible TB) or signs of a severe allergy.
        """,
        "tags": ["biologic", "immunosuppressant", "psoriasis", "arthritis", "injection"],
        "side_effects": [
            {
                "effect": "injection-site-reactions",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "A cold pack helps; change the site each time.",
            },
            {
                "effect": "infections",
                "frequency": "very_common",
                "seriousness": "moderate",
                "advice": "Tell your prescriber; a dose may need to be delayed.",
            },
            {
                "effect": "headache",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Ordinary painkillers usually help.",
            },
            {
                "effect": "serious-infections",
                "frequency": "uncommon",
                "seriousness": "serious",
                "advice": "Get medical help now for high fever, feeling very unwell or signs of TB.",
            },
            {
                "effect": "allergic-reaction",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Call emergency services for swelling of the face or trouble breathing.",
            },
            {
                "effect": "cancer-risk",
                "frequency": "uncommon",
                "seriousness": "serious",
                "advice": "Report swollen glands, weight loss or new skin growths.",
            },
        ],
    },
    {
        "slug": "apremilast",
        "name": "Apremilast",
        "generic_name": "apremilast",
        "brand_names": ["Otezla"],
        "availability": "rx",
        "summary": """
            Apremilast is a tablet, taken twice a day, that damps down
            inflammation inside immune cells. It treats plaque psoriasis and
            psoriatic arthritis and does not need routine blood tests.
        """,
        "active_ingredients": ["apremilast"],
        "drug_classes": ["pde4-inhibitors", "dmards"],
        "similar_drugs": ["methotrexate", "adalimumab"],
        "pregnancy_warning": """
            Do not take apremilast if you are pregnant, and use effective
            contraception during treatment if you could become pregnant; its
            safety in pregnancy has not been established. Do not breastfeed while
            taking it.
        """,
        "side_effect_advice": """
            The dose is increased slowly over the first week to reduce stomach
            upset; diarrhoea and sickness usually settle within a few weeks.
            Weigh yourself now and then. Tell your prescriber straight away about
            low mood, changes in behaviour or thoughts of harming yourself.
        """,
        "tags": ["psoriasis", "arthritis", "skin", "oral"],
        "side_effects": [
            {
                "effect": "diarrhoea",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Drink plenty of fluids; contact your prescriber if it is severe.",
            },
            {
                "effect": "nausea",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Usually eases within the first month.",
            },
            {
                "effect": "headache",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Ordinary painkillers usually help.",
            },
            {
                "effect": "infections",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Mostly colds; tell your prescriber if one does not clear.",
            },
            {
                "effect": "weight-loss",
                "frequency": "common",
                "seriousness": "moderate",
                "advice": "Tell your prescriber about unexplained or large weight loss.",
            },
            {
                "effect": "mood-changes",
                "frequency": "uncommon",
                "seriousness": "serious",
                "advice": "Contact your prescriber now about low mood or thoughts of self-harm.",
            },
        ],
    },
    {
        "slug": "spironolactone",
        "name": "Spironolactone",
        "generic_name": "spironolactone",
        "brand_names": ["Aldactone", "CaroSpir"],
        "availability": "rx",
        "summary": """
            Spironolactone is a water tablet used for high blood pressure, heart
            failure and fluid retention. Because it blocks the effects of male
            hormones on the skin, dermatologists also prescribe it off-label for
            hormonal acne in women.
        """,
        "active_ingredients": ["spironolactone"],
        "drug_classes": ["aldosterone-antagonists"],
        "similar_drugs": ["doxycycline"],
        "pregnancy_warning": """
            Do not take spironolactone for acne if you are pregnant or trying to
            become pregnant: its hormone-blocking effect could affect the
            development of a male baby. Use effective contraception while taking
            it for acne, and talk to your prescriber before a planned pregnancy.
        """,
        "side_effect_advice": """
            Take it in the morning so you are not up at night to pass urine. Avoid
            potassium supplements and salt substitutes unless your prescriber
            agrees, and tell them about other medicines for blood pressure or
            kidneys. Stand up slowly if you feel light-headed.
        """,
        "tags": ["hormonal", "acne", "skin", "oral", "pregnancy-risk"],
        "side_effects": [
            {
                "effect": "irregular-periods",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Often settles; a contraceptive pill can help regulate periods.",
            },
            {
                "effect": "breast-tenderness",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Tell your prescriber if it is troublesome; a lower dose may help.",
            },
            {
                "effect": "dizziness",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Stand up slowly and drink enough fluids.",
            },
            {
                "effect": "high-potassium",
                "frequency": "common",
                "seriousness": "serious",
                "advice": "More likely with kidney problems or other medicines that raise potassium; "
                "get medical help now for muscle weakness or an irregular heartbeat.",
            },
        ],
    },
    {
        "slug": "hydrocortisone-cream",
        "name": "Hydrocortisone cream",
        "generic_name": "hydrocortisone (topical)",
        "brand_names": ["Cortizone-10", "Dermacort", "HC45"],
        "availability": "rx_otc",
        "summary": """
            Hydrocortisone cream is a mild steroid for the skin. It eases itching
            and redness in eczema, dermatitis and insect bites. The 1% cream is
            sold without prescription for short use on small areas.
        """,
        "active_ingredients": ["hydrocortisone"],
        "drug_classes": ["topical-corticosteroids"],
        "similar_drugs": [],
        "side_effect_advice": """
            Apply a thin layer once or twice a day to the affected skin only and
            stop when it has cleared. Without medical advice, do not use it on the
            face, on broken or infected skin, in children under 10 or for longer
            than a week. Keep using your usual moisturiser.
        """,
        "tags": ["steroid", "skin", "eczema", "topical"],
        "side_effects": [
            {
                "effect": "skin-irritation",
                "frequency": "uncommon",
                "seriousness": "mild",
                "advice": "Stop using it if it stings or the rash gets worse.",
            },
            {
                "effect": "skin-thinning",
                "frequency": "not_known",
                "seriousness": "moderate",
                "advice": "Only a risk with long use on the same area; use for short periods.",
            },
            {
                "effect": "worse-rosacea",
                "frequency": "not_known",
                "seriousness": "moderate",
                "advice": "Do not use it on the face unless a doctor advises.",
            },
        ],
    },
    {
        "slug": "ibuprofen",
        "name": "Ibuprofen",
        "generic_name": "ibuprofen",
        "brand_names": ["Advil", "Motrin", "Nurofen", "Brufen"],
        "availability": "rx_otc",
        "summary": """
            Ibuprofen is an anti-inflammatory painkiller (an NSAID) for pain,
            fever and inflammation, including joint pain in arthritis. Low doses
            are sold without prescription; higher doses need one.
        """,
        "active_ingredients": ["ibuprofen"],
        "drug_classes": ["nsaids"],
        "similar_drugs": [],
        "boxed_warning": """
            Like other NSAIDs, ibuprofen can raise the risk of heart attack and
            stroke, especially at high doses or with long use, and can cause
            bleeding, ulcers or holes in the stomach or gut without warning. Do
            not use it around heart bypass surgery.
        """,
        "pregnancy_warning": """
            Do not take ibuprofen in the last three months of pregnancy: it can
            harm the baby's heart and kidneys and delay labour. From 20 weeks it
            can reduce the fluid around the baby. Earlier in pregnancy, only take
            it if a doctor advises.
        """,
        "side_effect_advice": """
            Take it with or after food, at the lowest dose that helps, for the
            shortest time. Do not combine it with other NSAIDs such as aspirin or
            naproxen. Get medical help now for black stools, vomiting blood,
            chest pain, or swelling of the face or lips.
        """,
        "tags": ["nsaid", "pain", "arthritis", "oral"],
        "side_effects": [
            {
                "effect": "indigestion",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Take with food; ask about a stomach-protecting medicine for long use.",
            },
            {
                "effect": "nausea",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Take with food.",
            },
            {
                "effect": "high-blood-pressure",
                "frequency": "uncommon",
                "seriousness": "moderate",
                "advice": "Have your blood pressure checked if you take it regularly.",
            },
            {
                "effect": "stomach-bleeding",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Stop and get medical help now for black stools or vomiting blood.",
            },
            {
                "effect": "kidney-problems",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Drink enough fluids; more likely in older people and with dehydration.",
            },
            {
                "effect": "heart-and-stroke-risk",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Call emergency services for chest pain or weakness on one side.",
            },
            {
                "effect": "allergic-reaction",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Call emergency services for wheezing or swelling of the face.",
            },
        ],
    },
    {
        "slug": "clindamycin-gel",
        "name": "Clindamycin gel",
        "generic_name": "clindamycin phosphate (topical)",
        "brand_names": ["Cleocin T", "Dalacin T", "Clindagel", "Zindaclin"],
        "availability": "rx",
        "summary": """
            Clindamycin gel or lotion is an antibiotic applied to the skin for
            inflammatory acne. It is best combined with benzoyl peroxide, which
            stops bacteria becoming resistant.
        """,
        "active_ingredients": ["clindamycin"],
        "drug_classes": ["lincosamide-antibiotics"],
        "similar_drugs": ["adapalene", "doxycycline"],
        "side_effect_advice": """
            Apply a thin layer to the whole area prone to spots, not only to
            single spots, and keep it away from the eyes and mouth. Contact a
            doctor straight away about severe or bloody diarrhoea, even weeks after
            stopping.
        """,
        "tags": ["antibiotic", "skin", "acne", "topical"],
        "side_effects": [
            {
                "effect": "dry-skin",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "A light moisturiser helps.",
            },
            {
                "effect": "skin-irritation",
                "frequency": "common",
                "seriousness": "mild",
                "advice": "Use it less often for a while if your skin stings.",
            },
            {
                "effect": "severe-diarrhoea",
                "frequency": "rare",
                "seriousness": "serious",
                "advice": "Stop and contact a doctor now for severe or bloody diarrhoea.",
            },
        ],
    },
    {
        # A draft, to show the workflow: invisible to the public until published.
        "slug": "azelaic-acid",
        "name": "Azelaic acid",
        "generic_name": "azelaic acid (topical)",
        "brand_names": ["Finacea", "Skinoren"],
        "availability": "rx",
        "status": "draft",
        "summary": """
            Azelaic acid gel or cream is applied to the skin for acne and the
            spots of rosacea. It calms inflammation and evens out dark marks.
        """,
        "active_ingredients": ["azelaic-acid"],
        "drug_classes": [],
        "similar_drugs": ["adapalene", "doxycycline"],
        "side_effect_advice": "Stinging in the first weeks is common and usually settles.",
        "tags": ["skin", "acne", "rosacea", "topical"],
        "side_effects": [
            {
                "effect": "skin-irritation",
                "frequency": "very_common",
                "seriousness": "mild",
                "advice": "Usually settles within a few weeks.",
            },
        ],
    },
]
