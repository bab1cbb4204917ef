"""Articles about rosacea, eczema, hidradenitis suppurativa and other skin conditions."""

INDICATIONS = [
    {
        "drug": "isotretinoin",
        "condition": "rosacea",
        "approval_status": "off_label",
        "approval_note": """
            Not approved for rosacea. Specialists sometimes use low doses off-label
            for severe spots of rosacea that resist other treatment; a few trials
            support this.
        """,
        "summary": """
            Low-dose isotretinoin is an off-label option some dermatologists use
            for severe, stubborn rosacea spots. It carries the same pregnancy and
            mood precautions as for acne.
        """,
        "what_it_is": """
            Isotretinoin is a retinoid capsule approved for severe acne. In
            rosacea it is not licensed, but dermatologists sometimes prescribe it
            at lower doses than for acne when the bumps and pustules of rosacea
            have not responded to creams and antibiotics.
        """,
        "how_it_works": [
            "Shrinks oil glands and reduces oil production",
            "Calms inflammation around the hair follicles",
        ],
        "benefits": [
            "Fewer bumps and pustules in some people with severe rosacea",
            "May help thickened skin on the nose in its early stages",
            "Does little for flushing or constant redness",
        ],
        "what_to_expect": """
            Improvement may take several months, and rosacea can return after
            stopping. Dryness of the eyes can be a particular problem, since
            rosacea often affects the eyes too. All the usual precautions apply,
            including pregnancy prevention and mood monitoring.
        """,
        "audience_heading": "Who it is for: severe rosacea that resists standard treatment",
        "audience_text": """
            This is a specialist choice for adults with severe papules and
            pustules that have not improved with creams and antibiotic tablets.
            Standard treatments such as azelaic acid, metronidazole, ivermectin
            cream and doxycycline come first.
        """,
        "tags": ["retinoid", "rosacea", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "doxycycline",
        "condition": "rosacea",
        "approval_status": "approved",
        "approval_note": """
            A 40 mg modified-release capsule (Oracea, Efracea) is approved for the
            spots of rosacea; standard antibiotic doses are also sometimes used.
        """,
        "summary": """
            Low-dose doxycycline is an approved treatment for the bumps and
            pustules of rosacea, working through its anti-inflammatory effect.
        """,
        "what_it_is": """
            Doxycycline is a tetracycline antibiotic. For rosacea a low-dose,
            slow-release capsule is taken once a day; at this dose it calms
            inflammation without acting as a full antibiotic.
        """,
        "how_it_works": [
            "Reduces the inflammatory molecules that cause rosacea bumps",
            "At low doses, has little effect on bacteria, lowering the risk of resistance",
        ],
        "benefits": [
            "Fewer bumps and pustules",
            "Can be combined with creams such as ivermectin or azelaic acid",
        ],
        "what_to_expect": """
            Improvement usually shows within four to eight weeks; a course of
            around 16 weeks is common. It does not remove constant redness or
            visible blood vessels.
        """,
        "audience_heading": "Who it is for: moderate to severe rosacea with spots",
        "audience_text": """
            It suits adults whose rosacea has many bumps and pustules. It is not
            used in pregnancy or in children.
        """,
        "tags": ["antibiotic", "tetracycline", "rosacea", "skin", "oral"],
    },
    {
        "drug": "hydrocortisone-cream",
        "condition": "rosacea",
        "approval_status": "not_recommended",
        "approval_note": """
            Not recommended: steroid creams on the face can worsen rosacea and
            cause a rebound flare when stopped.
        """,
        "summary": """
            Hydrocortisone and other steroid creams are not recommended for
            rosacea: they may seem to calm redness at first but tend to make
            rosacea worse.
        """,
        "what_it_is": """
            Hydrocortisone is a mild steroid cream for eczema and dermatitis. Some
            people try it on facial redness, mistaking rosacea for a rash.
        """,
        "how_it_works": [
            "Steroids briefly shrink blood vessels and reduce redness",
            "With continued use they thin facial skin and can trigger rosacea-like rashes",
        ],
        "benefits": [
            "None lasting for rosacea",
            "Any early improvement is usually followed by a flare",
        ],
        "what_to_expect": """
            If you have been using a steroid cream on your face, talk to a doctor
            or pharmacist before stopping, because redness often flares for a
            while afterwards. Proven rosacea treatments include azelaic acid,
            metronidazole or ivermectin creams and, for spots, low-dose
            doxycycline.
        """,
        "audience_heading": "Who this page is for: anyone with facial redness",
        "audience_text": """
            If your face is red, flushed or spotty, ask a pharmacist or doctor
            whether it could be rosacea before using any steroid cream on it.
        """,
        "tags": ["steroid", "rosacea", "skin", "topical"],
    },
    {
        "drug": "hydrocortisone-cream",
        "condition": "atopic-dermatitis",
        "approval_status": "approved",
        "approval_note": "Approved for eczema; the 1% cream is sold without prescription for short use.",
        "summary": """
            Hydrocortisone cream is an approved mild steroid for flares of eczema,
            used for short periods alongside regular moisturisers.
        """,
        "what_it_is": """
            Hydrocortisone is the mildest of the steroid creams. It is suitable
            for short courses on small areas of eczema and, on a doctor's advice,
            for thinner skin such as the face.
        """,
        "how_it_works": [
            "Calms inflammation in the skin",
            "Reduces itching and redness",
        ],
        "benefits": [
            "Eases itch and redness within days",
            "Mild enough for short use on sensitive areas under medical advice",
        ],
        "what_to_expect": """
            Apply a thin layer once or twice a day during a flare and stop when
            the skin has settled, usually within a week. Keep using moisturisers
            every day, even when the eczema is clear.
        """,
        "audience_heading": "Who it is for: mild eczema flares",
        "audience_text": """
            It suits adults and children over 10 with mild flares (younger
            children on a doctor's advice). Eczema that is widespread, infected or
            not improving within a week needs a doctor's review.
        """,
        "sections": [
            (
                "Using it safely",
                """
                Apply moisturiser and hydrocortisone at different times, about
                half an hour apart. Do not use it on broken or infected skin
                without advice.
                """,
            ),
        ],
        "tags": ["steroid", "eczema", "skin", "topical"],
    },
    {
        "drug": "ciclosporin",
        "condition": "atopic-dermatitis",
        "approval_status": "approved",
        "approval_note": """
            Approved in the UK and EU for short-term treatment of severe atopic
            dermatitis in adults; in the US this use is off-label.
        """,
        "summary": """
            Ciclosporin is a fast-acting tablet treatment for severe eczema,
            approved in the UK and EU for short courses in adults.
        """,
        "what_it_is": """
            Ciclosporin is an immunosuppressant taken by mouth. Dermatologists use
            it to bring severe eczema under control when creams and phototherapy
            are not enough.
        """,
        "how_it_works": [
            "Switches off T cells that drive eczema inflammation",
            "Reduces itching and inflammation within weeks",
        ],
        "benefits": [
            "Rapid relief of severe itch and inflammation",
            "Better sleep and quality of life during flares",
        ],
        "what_to_expect": """
            Improvement usually starts within two weeks. Courses are kept short,
            often a few months, with regular blood pressure checks and kidney
            blood tests. Eczema may return after stopping, so a longer-term plan is
            made at the same time.
        """,
        "audience_heading": "Who it is for: severe eczema in adults",
        "audience_text": """
            It suits adults with severe eczema that has not responded to strong
            creams. Newer options such as biologic injections may suit long-term
            control better; your dermatologist will discuss them.
        """,
        "tags": ["immunosuppressant", "eczema", "skin", "oral"],
    },
    {
        "drug": "adalimumab",
        "condition": "hidradenitis-suppurativa",
        "approval_status": "approved",
        "approval_note": """
            Approved for moderate to severe hidradenitis suppurativa in adults
            and adolescents from 12 years when antibiotics have not worked.
        """,
        "summary": """
            Adalimumab was the first approved medicine for hidradenitis
            suppurativa. It reduces painful lumps and flares in moderate to severe
            disease.
        """,
        "what_it_is": """
            Adalimumab is a biologic injection that blocks TNF. For HS it is
            injected weekly after starting doses.
        """,
        "how_it_works": [
            "Blocks TNF, which drives the inflammation in HS",
            "Reduces new lumps and abscesses",
        ],
        "benefits": [
            "Fewer painful lumps and flares for many people",
            "Less pain and drainage",
        ],
        "what_to_expect": """
            Response is usually judged after about 12 weeks. It does not remove
            established tunnels or scars, which may still need surgery. Weight
            management and stopping smoking improve results.
        """,
        "audience_heading": "Who it is for: moderate to severe HS",
        "audience_text": """
            It suits people aged 12 and over whose HS has not improved with
            antibiotic courses. Screening for TB and hepatitis comes first.
        """,
        "tags": ["biologic", "immunosuppressant", "hidradenitis", "skin", "injection"],
    },
    {
        "drug": "clindamycin-gel",
        "condition": "hidradenitis-suppurativa",
        "approval_status": "off_label",
        "approval_note": """
            Not licensed for HS, but recommended by HS guidelines as a first
            treatment for mild disease.
        """,
        "summary": """
            Clindamycin solution or gel is an off-label but guideline-recommended
            first treatment for mild hidradenitis suppurativa.
        """,
        "what_it_is": """
            Clindamycin is an antibiotic applied to the skin. In HS it is used on
            the affected areas, such as the armpits and groin, twice a day.
        """,
        "how_it_works": [
            "Reduces bacteria on the skin around HS lumps",
            "Calms inflammation in early lesions",
        ],
        "benefits": [
            "Fewer new inflamed lumps in mild HS",
            "Few side effects",
        ],
        "what_to_expect": """
            It is usually tried for about three months and then reviewed. It does
            not help deep tunnels or scarring.
        """,
        "audience_heading": "Who it is for: mild HS",
        "audience_text": """
            It suits people with a few isolated lumps without tunnels. If HS is
            spreading or painful, ask for a specialist referral.
        """,
        "tags": ["antibiotic", "hidradenitis", "skin", "topical"],
    },
    {
        "drug": "apremilast",
        "condition": "hidradenitis-suppurativa",
        "approval_status": "investigational",
        "approval_note": """
            Investigational: studied only in small trials; not approved for HS and
            not a standard treatment.
        """,
        "summary": """
            Apremilast is being studied for hidradenitis suppurativa. Early, small
            trials suggest some benefit, but it is not an established treatment.
        """,
        "what_it_is": """
            Apremilast is a tablet approved for psoriasis and psoriatic
            arthritis. Because HS shares some inflammatory pathways with
            psoriasis, researchers have tested it in HS.
        """,
        "how_it_works": [
            "Lowers inflammatory messengers inside immune cells",
            "Its effect on HS lumps is still being measured",
        ],
        "benefits": [
            "Small trials reported less pain and fewer lumps in some people",
            "Larger studies are needed before it can be recommended",
        ],
        "what_to_expect": """
            Outside a clinical trial, apremilast is not a usual treatment for HS.
            If you are interested in trials, ask your dermatologist.
        """,
        "audience_heading": "Who this page is for: people following HS research",
        "audience_text": """
            This page explains the research; it is not a recommendation. Approved
            and guideline-backed treatments should come first.
        """,
        "tags": ["hidradenitis", "skin", "oral"],
    },
    {
        # A draft, to show the workflow: invisible to the public until published.
        "drug": "spironolactone",
        "condition": "hidradenitis-suppurativa",
        "status": "draft",
        "approval_status": "off_label",
        "approval_note": "Not licensed for HS; sometimes used off-label in women with hormonal flares.",
        "summary": """
            Spironolactone is sometimes used off-label for hidradenitis
            suppurativa in women whose flares follow their cycle.
        """,
        "what_it_is": """
            Spironolactone is a water tablet with anti-androgen effects, also used
            off-label for hormonal acne.
        """,
        "how_it_works": ["Blocks the effects of androgens on the skin"],
        "benefits": ["May reduce flares in some women; evidence is limited"],
        "what_to_expect": "Draft: to be completed and medically reviewed.",
        "audience_heading": "Who it is for: women with hormonal HS flares",
        "audience_text": "Draft: to be completed and medically reviewed.",
        "tags": ["hormonal", "hidradenitis", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "hydrocortisone-cream",
        "condition": "seborrhoeic-dermatitis",
        "approval_status": "approved",
        "approval_note": "Approved for short-term relief of itching and inflammation, including seborrhoeic dermatitis.",
        "summary": """
            Hydrocortisone cream is an approved short-term treatment for flares
            of seborrhoeic dermatitis, usually alongside an antifungal.
        """,
        "what_it_is": """
            A mild steroid cream. In seborrhoeic dermatitis it is used briefly to
            calm red, itchy patches, while an antifungal cream or shampoo treats
            the yeast involved.
        """,
        "how_it_works": [
            "Calms inflammation and itching",
            "Works best alongside an antifungal treatment",
        ],
        "benefits": [
            "Quick relief of redness and itch",
            "Mild enough for short courses on the face under medical advice",
        ],
        "what_to_expect": """
            Patches usually settle within a few days to a week. Seborrhoeic
            dermatitis tends to return, so an antifungal shampoo or cream is
            often continued to keep it away, while the steroid is kept for flares.
        """,
        "audience_heading": "Who it is for: flares on the face, scalp or chest",
        "audience_text": """
            Adults with a flare of seborrhoeic dermatitis. Use on the face only
            on a doctor's or pharmacist's advice, and only for short periods.
        """,
        "tags": ["steroid", "eczema", "skin", "topical"],
    },
    {
        "drug": "acitretin",
        "condition": "ichthyosis",
        "approval_status": "approved",
        "approval_note": """
            Approved in the UK and EU for severe congenital ichthyosis; in the US
            this use is off-label.
        """,
        "summary": """
            Acitretin is used for severe inherited ichthyosis, where it thins the
            build-up of scale. It is a specialist treatment with strict pregnancy
            rules.
        """,
        "what_it_is": """
            Acitretin is a retinoid capsule, related to vitamin A, prescribed by
            dermatologists for severe skin conditions with thickened skin.
        """,
        "how_it_works": [
            "Normalises how skin cells mature and shed",
            "Reduces the thick build-up of scale",
        ],
        "benefits": [
            "Thinner scale and more comfortable skin",
            "Less time spent on daily skin care for some people",
        ],
        "what_to_expect": """
            The dose is kept as low as possible and adjusted to balance benefit
            and side effects such as dryness and skin fragility. Treatment is
            often long-term, with regular blood tests.
        """,
        "audience_heading": "Who it is for: severe inherited ichthyosis",
        "audience_text": """
            A specialist decision for people with severe forms of ichthyosis. It
            is rarely suitable for anyone who could become pregnant, because of
            its very long-lasting risk of birth defects.
        """,
        "tags": ["retinoid", "skin", "oral", "pregnancy-risk"],
    },
    {
        "drug": "hydrocortisone-cream",
        "condition": "perioral-dermatitis",
        "approval_status": "not_recommended",
        "approval_note": """
            Not recommended: steroid creams commonly cause or worsen perioral
            dermatitis.
        """,
        "summary": """
            Hydrocortisone and other steroid creams are not recommended for
            perioral dermatitis, which they often trigger and make worse.
        """,
        "what_it_is": """
            Hydrocortisone is a mild steroid cream. It can seem to help a rash
            around the mouth at first, which is why people keep using it.
        """,
        "how_it_works": [
            "Briefly reduces redness",
            "With continued use, feeds the rash and causes a rebound flare when stopped",
        ],
        "benefits": [
            "None lasting for perioral dermatitis",
        ],
        "what_to_expect": """
            Stopping steroid creams on the face is usually the first step, and
            the rash may flare for a few weeks before improving. A doctor may
            suggest a non-steroid cream or a course of a tetracycline antibiotic
            such as doxycycline.
        """,
        "audience_heading": "Who this page is for: anyone with a rash around the mouth",
        "audience_text": """
            If you have small red bumps around your mouth, nose or eyes, see a
            pharmacist or doctor before using any steroid cream.
        """,
        "tags": ["steroid", "rosacea", "skin", "topical"],
    },
]
