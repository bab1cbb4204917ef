"""Condition pages. One dict per condition, keyed by `slug`.

Fields: name, other_names (what readers also call it), summary (plain words,
Markdown), tags, status (default "published").
"""

CONDITIONS = [
    {
        "slug": "acne",
        "name": "Acne",
        "other_names": ["acne vulgaris", "spots", "pimples", "zits"],
        "summary": """
            A common skin condition in which hair follicles become blocked and
            inflamed, causing blackheads, whiteheads, red spots and sometimes
            deep, painful nodules on the face, chest and back. Severe acne can
            leave scars, so it is worth treating early.
        """,
        "tags": ["skin", "acne"],
    },
    {
        "slug": "psoriasis",
        "name": "Psoriasis",
        "other_names": ["plaque psoriasis", "psoriasis vulgaris"],
        "summary": """
            A long-term condition in which the immune system speeds up the
            renewal of skin cells, causing raised, red or darker patches covered
            with silvery scales, often on the elbows, knees, scalp and lower
            back. It comes and goes and is not contagious.
        """,
        "tags": ["skin", "psoriasis", "autoimmune"],
    },
    {
        "slug": "rosacea",
        "name": "Rosacea",
        "other_names": ["acne rosacea"],
        "summary": """
            A long-term condition of the face causing flushing, persistent
            redness, visible small blood vessels and sometimes acne-like spots.
            Triggers such as heat, alcohol and spicy food can make it flare.
        """,
        "tags": ["skin", "rosacea"],
    },
    {
        "slug": "atopic-dermatitis",
        "name": "Atopic dermatitis",
        "other_names": ["eczema", "atopic eczema"],
        "summary": """
            The most common form of eczema: dry, itchy, inflamed skin that flares
            and settles, often starting in childhood and linked to asthma and hay
            fever. Moisturisers are the base of treatment.
        """,
        "tags": ["skin", "eczema"],
    },
    {
        "slug": "hidradenitis-suppurativa",
        "name": "Hidradenitis suppurativa",
        "other_names": ["HS", "acne inversa"],
        "summary": """
            A long-term inflammatory condition causing painful lumps, abscesses
            and tunnels under the skin in the armpits, groin and under the
            breasts. It is not caused by poor hygiene and is not contagious.
        """,
        "tags": ["skin", "hidradenitis"],
    },
    {
        "slug": "psoriatic-arthritis",
        "name": "Psoriatic arthritis",
        "other_names": ["PsA", "arthritic psoriasis"],
        "summary": """
            Joint inflammation that affects some people with psoriasis, causing
            painful, stiff and swollen joints and tendons. Early treatment helps
            prevent lasting joint damage.
        """,
        "tags": ["arthritis", "psoriasis", "autoimmune"],
    },
    {
        "slug": "rheumatoid-arthritis",
        "name": "Rheumatoid arthritis",
        "other_names": ["RA", "inflammatory arthritis"],
        "summary": """
            An autoimmune condition in which the immune system attacks the lining
            of the joints, usually the small joints of the hands and feet on both
            sides, causing pain, swelling and stiffness that is worst in the
            morning.
        """,
        "tags": ["arthritis", "autoimmune"],
    },
    {
        "slug": "seborrhoeic-dermatitis",
        "name": "Seborrhoeic dermatitis",
        "other_names": ["seborrheic dermatitis", "dandruff", "cradle cap", "seborrheic eczema"],
        "summary": """
            A common rash causing red, flaky, greasy patches on the scalp, face
            (eyebrows and sides of the nose), ears and chest. It is linked to a
            yeast that lives on everyone's skin, and tends to come and go.
        """,
        "tags": ["skin", "eczema"],
    },
    {
        "slug": "ichthyosis",
        "name": "Ichthyosis",
        "other_names": ["congenital ichthyosis", "fish-scale skin"],
        "summary": """
            A group of mostly inherited conditions in which the skin builds up
            into thick, dry scales. Mild forms are common; severe forms are rare
            and need specialist care.
        """,
        "tags": ["skin", "rare-disease"],
    },
    {
        "slug": "perioral-dermatitis",
        "name": "Perioral dermatitis",
        "other_names": ["periorificial dermatitis", "rash around the mouth"],
        "summary": """
            A rash of small red bumps around the mouth, nose or eyes. It is often
            triggered or made worse by steroid creams used on the face, and by
            heavy face creams.
        """,
        "tags": ["skin", "rosacea"],
    },
]
