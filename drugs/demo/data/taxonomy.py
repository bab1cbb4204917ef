"""Shared vocabulary: active ingredients, drug classes and side effects.

Slugs are the keys other modules use. Side effects carry `other_names`: the
words patients write in reviews ("chapped lips" for dry lips), which are matched
as plain text, so list the everyday forms readers really use, and avoid words
that reviews use for the condition itself ("redness" in rosacea, "breakout" in
acne), which would be miscounted as side effects.
"""

INGREDIENTS = [
    {"slug": "isotretinoin", "name": "Isotretinoin"},
    {"slug": "acitretin", "name": "Acitretin"},
    {"slug": "tretinoin", "name": "Tretinoin"},
    {"slug": "adapalene", "name": "Adapalene"},
    {"slug": "doxycycline", "name": "Doxycycline"},
    {"slug": "minocycline", "name": "Minocycline"},
    {"slug": "methotrexate", "name": "Methotrexate"},
    {"slug": "ciclosporin", "name": "Ciclosporin", "description": "Also spelled cyclosporine."},
    {"slug": "adalimumab", "name": "Adalimumab"},
    {"slug": "apremilast", "name": "Apremilast"},
    {"slug": "spironolactone", "name": "Spironolactone"},
    {"slug": "hydrocortisone", "name": "Hydrocortisone"},
    {"slug": "ibuprofen", "name": "Ibuprofen"},
    {"slug": "clindamycin", "name": "Clindamycin"},
    {"slug": "azelaic-acid", "name": "Azelaic acid"},
]

DRUG_CLASSES = [
    {
        "slug": "retinoids",
        "name": "Retinoids",
        "description": """
            Medicines related to vitamin A. They change how skin cells grow and
            shed. Taken by mouth, retinoids can cause serious birth defects, so
            they come with strict pregnancy prevention rules.
        """,
    },
    {
        "slug": "tetracycline-antibiotics",
        "name": "Tetracycline antibiotics",
        "description": """
            Antibiotics that stop bacteria making proteins. In skin disease they
            are valued as much for calming inflammation as for killing bacteria.
            They are not used in pregnancy or in young children.
        """,
    },
    {
        "slug": "lincosamide-antibiotics",
        "name": "Lincosamide antibiotics",
        "description": "Antibiotics such as clindamycin, used on the skin or by mouth.",
    },
    {
        "slug": "dmards",
        "name": "Disease-modifying antirheumatic drugs (DMARDs)",
        "description": """
            Medicines that calm an overactive immune system and slow the damage
            it does in conditions such as rheumatoid arthritis, psoriatic
            arthritis and psoriasis, rather than only easing symptoms.
        """,
    },
    {
        "slug": "immunosuppressants",
        "name": "Immunosuppressants",
        "description": """
            Medicines that damp down the immune system. They raise the risk of
            infections, so they need regular check-ups and blood tests.
        """,
    },
    {
        "slug": "antimetabolites",
        "name": "Antimetabolites",
        "description": "Medicines that block substances cells need to divide, such as folic acid.",
    },
    {
        "slug": "calcineurin-inhibitors",
        "name": "Calcineurin inhibitors",
        "description": "Immunosuppressants that switch off the activation of T cells.",
    },
    {
        "slug": "tnf-inhibitors",
        "name": "TNF inhibitors",
        "description": """
            Biologic medicines, given by injection, that block tumour necrosis
            factor (TNF), a messenger that drives inflammation.
        """,
    },
    {
        "slug": "pde4-inhibitors",
        "name": "PDE4 inhibitors",
        "description": "Tablets that lower inflammatory signals inside immune cells.",
    },
    {
        "slug": "aldosterone-antagonists",
        "name": "Aldosterone antagonists",
        "description": """
            Potassium-sparing diuretics ("water tablets") that block the hormone
            aldosterone; some also block the effects of male hormones.
        """,
    },
    {
        "slug": "topical-corticosteroids",
        "name": "Topical corticosteroids",
        "description": """
            Steroid creams and ointments that calm inflamed, itchy skin. They
            range from mild (hydrocortisone) to very potent.
        """,
    },
    {
        "slug": "nsaids",
        "name": "Non-steroidal anti-inflammatory drugs (NSAIDs)",
        "description": "Painkillers that also reduce inflammation, such as ibuprofen.",
    },
]

SIDE_EFFECTS = [
    {
        "slug": "dry-lips",
        "name": "Dry lips",
        "other_names": ["chapped lips", "cracked lips", "peeling lips", "cheilitis"],
    },
    {
        "slug": "dry-skin",
        "name": "Dry skin",
        "other_names": ["flaky skin", "itchy dry skin", "xerosis"],
    },
    {
        "slug": "dry-eyes",
        "name": "Dry or irritated eyes",
        "other_names": ["dry eyes", "gritty eyes", "sore eyes", "conjunctivitis"],
    },
    {
        "slug": "nosebleeds",
        "name": "Nosebleeds",
        "other_names": ["nosebleed", "nose bleed", "bloody nose", "epistaxis"],
    },
    {
        "slug": "joint-and-muscle-pain",
        "name": "Joint and muscle pain",
        "other_names": ["aching joints", "muscle aches", "back pain", "arthralgia", "myalgia"],
    },
    {
        "slug": "raised-blood-fats",
        "name": "Raised blood fats",
        "other_names": ["high triglycerides", "high cholesterol", "hyperlipidaemia"],
        "description": "Found by blood tests; usually causes no symptoms.",
    },
    {
        "slug": "raised-liver-enzymes",
        "name": "Raised liver enzymes",
        "other_names": ["abnormal liver tests", "raised ALT", "abnormal LFTs"],
        "description": "Found by blood tests; a sign the liver is under strain.",
    },
    {
        "slug": "liver-damage",
        "name": "Liver damage",
        "other_names": ["hepatitis", "jaundice", "yellow skin", "yellow eyes"],
    },
    {"slug": "headache", "name": "Headache", "other_names": ["headaches", "head pain"]},
    {
        "slug": "mood-changes",
        "name": "Mood changes and depression",
        "other_names": [
            "depression",
            "low mood",
            "mood swings",
            "anxiety",
            "irritability",
            "suicidal thoughts",
        ],
    },
    {
        "slug": "raised-intracranial-pressure",
        "name": "Raised pressure around the brain",
        "other_names": [
            "benign intracranial hypertension",
            "idiopathic intracranial hypertension",
            "pseudotumor cerebri",
        ],
        "description": "A severe headache with sickness or blurred or double vision.",
    },
    {
        "slug": "pancreatitis",
        "name": "Inflamed pancreas",
        "other_names": ["pancreatitis", "severe stomach pain"],
    },
    {
        "slug": "poor-night-vision",
        "name": "Poor night vision",
        "other_names": ["night blindness", "trouble seeing in the dark"],
    },
    {
        "slug": "acne-flare",
        "name": "Acne getting worse at first",
        "other_names": ["initial flare", "initial breakout", "purging"],
    },
    {
        "slug": "hair-thinning",
        "name": "Hair thinning",
        "other_names": ["hair loss", "hair shedding", "alopecia"],
    },
    {
        "slug": "peeling-palms-and-soles",
        "name": "Peeling palms and soles",
        "other_names": ["peeling hands", "peeling feet", "sticky skin"],
    },
    {
        "slug": "skin-irritation",
        "name": "Skin irritation where applied",
        "other_names": ["stinging", "burning skin", "irritated skin", "retinoid dermatitis"],
    },
    {
        "slug": "sun-sensitivity",
        "name": "Sensitivity to sunlight",
        "other_names": ["photosensitivity", "burning easily", "sunburn"],
    },
    {"slug": "nausea", "name": "Feeling sick", "other_names": ["nausea", "queasy", "vomiting"]},
    {
        "slug": "indigestion",
        "name": "Indigestion",
        "other_names": ["heartburn", "stomach ache", "dyspepsia", "acid reflux"],
    },
    {
        "slug": "oesophageal-irritation",
        "name": "Irritated food pipe",
        "other_names": ["oesophagitis", "esophagitis", "painful swallowing"],
    },
    {
        "slug": "diarrhoea",
        "name": "Diarrhoea",
        "other_names": ["diarrhea", "loose stools", "runny stools"],
    },
    {
        "slug": "severe-diarrhoea",
        "name": "Severe or bloody diarrhoea",
        "other_names": ["C. diff", "C. difficile", "colitis", "bloody diarrhea"],
        "description": "Inflammation of the bowel that antibiotics can rarely trigger.",
    },
    {
        "slug": "thrush",
        "name": "Thrush",
        "other_names": ["yeast infection", "candida", "vaginal thrush", "oral thrush"],
    },
    {
        "slug": "dizziness",
        "name": "Dizziness",
        "other_names": ["dizzy", "light-headed", "vertigo"],
    },
    {
        "slug": "skin-discolouration",
        "name": "Skin discolouration",
        "other_names": [
            "blue-grey skin",
            "grey patches",
            "blue-black pigmentation",
            "skin discoloration",
        ],
    },
    {
        "slug": "lupus-like-reaction",
        "name": "Lupus-like reaction",
        "other_names": ["drug-induced lupus", "joint pain with rash and fever"],
    },
    {
        "slug": "mouth-ulcers",
        "name": "Mouth ulcers",
        "other_names": ["mouth sores", "sore mouth", "stomatitis"],
    },
    {
        "slug": "tiredness",
        "name": "Tiredness",
        "other_names": ["fatigue", "exhaustion", "lethargy"],
    },
    {
        "slug": "low-blood-counts",
        "name": "Low blood counts",
        "other_names": [
            "bone marrow suppression",
            "anaemia",
            "low white cells",
            "bruising easily",
            "neutropenia",
        ],
    },
    {
        "slug": "lung-inflammation",
        "name": "Lung inflammation",
        "other_names": ["pneumonitis", "breathlessness", "dry cough"],
    },
    {
        "slug": "infections",
        "name": "Infections",
        "other_names": ["colds", "sore throat", "sinus infection", "chest infection"],
    },
    {
        "slug": "serious-infections",
        "name": "Serious infections",
        "other_names": ["tuberculosis", "sepsis", "pneumonia"],
    },
    {
        "slug": "high-blood-pressure",
        "name": "High blood pressure",
        "other_names": ["hypertension", "raised blood pressure"],
    },
    {
        "slug": "kidney-problems",
        "name": "Kidney problems",
        "other_names": ["kidney damage", "reduced kidney function", "nephrotoxicity"],
    },
    {
        "slug": "swollen-gums",
        "name": "Swollen gums",
        "other_names": ["gum overgrowth", "gingival hyperplasia"],
    },
    {
        "slug": "excess-hair-growth",
        "name": "Extra hair growth",
        "other_names": ["excess hair", "hirsutism", "hypertrichosis"],
    },
    {"slug": "tremor", "name": "Shaking", "other_names": ["tremor", "shaky hands"]},
    {
        "slug": "injection-site-reactions",
        "name": "Injection site reactions",
        "other_names": ["injection site pain", "redness at injection site", "sore injection site"],
    },
    {"slug": "weight-loss", "name": "Weight loss", "other_names": ["losing weight"]},
    {
        "slug": "high-potassium",
        "name": "High potassium",
        "other_names": ["hyperkalaemia", "hyperkalemia"],
        "description": "Found by blood tests; very high levels can upset the heart rhythm.",
    },
    {
        "slug": "irregular-periods",
        "name": "Irregular periods",
        "other_names": ["spotting", "bleeding between periods", "menstrual irregularity"],
    },
    {
        "slug": "breast-tenderness",
        "name": "Breast tenderness",
        "other_names": ["sore breasts", "breast enlargement", "breast pain"],
    },
    {
        "slug": "skin-thinning",
        "name": "Skin thinning",
        "other_names": ["thin skin", "stretch marks", "skin atrophy", "easy bruising"],
    },
    {
        "slug": "stomach-bleeding",
        "name": "Stomach ulcer or bleeding",
        "other_names": ["black stools", "vomiting blood", "peptic ulcer", "GI bleed"],
    },
    {
        "slug": "heart-and-stroke-risk",
        "name": "Heart attack or stroke",
        "other_names": ["chest pain", "heart attack", "stroke"],
    },
    {
        "slug": "allergic-reaction",
        "name": "Severe allergic reaction",
        "other_names": ["anaphylaxis", "swollen face", "swollen lips", "hives", "wheezing"],
    },
    {
        "slug": "serious-skin-reaction",
        "name": "Serious skin reaction",
        "other_names": ["blistering rash", "Stevens-Johnson syndrome", "DRESS", "peeling rash"],
    },
    {
        "slug": "cancer-risk",
        "name": "Lymphoma and skin cancer",
        "other_names": ["lymphoma", "skin cancer"],
    },
    {
        "slug": "worse-rosacea",
        "name": "Rosacea or perioral dermatitis made worse",
        "other_names": ["steroid rosacea", "rash around the mouth", "rebound redness"],
    },
]
