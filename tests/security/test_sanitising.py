"""Staff Markdown passes an allow-list; names and public text are escaped; nothing runs."""

import pytest
from django.db import models

from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    IndicationSection,
    SideEffect,
)
from drugs.templatetags.formulary import markdown
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_ingredient,
    make_side_effect,
)

from .html_inspection import runnable_content

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( java\tscript:alert(1))",
    '<a href="javascript&#58;alert(1)">entity</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "![pic](javascript:alert(1))",
    '<iframe src="https://example.com"></iframe>',
    '<object data="x.swf"></object>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<a href="https://example.com" onclick="alert(1)">link</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/"><button formaction="javascript:alert(1)">go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '"><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    '<div onmouseover="alert(1)">hover</div>',
]
PAYLOAD = "\n\n".join(ATTACKS)
SHORT_PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>"

STAFF_MODELS = [
    ActiveIngredient,
    DrugClass,
    Drug,
    Condition,
    Indication,
    IndicationSection,
    SideEffect,
    DrugSideEffect,
]


def text_fields(model):
    """Every free-text field an editor fills in (not slugs, not choices)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField)
        and not field.choices
    ]


def hostile(model, **fields):
    """Fill every free-text field of `model` with attacks (short ones where length is limited)."""
    for field in text_fields(model):
        value = SHORT_PAYLOAD if field.max_length else PAYLOAD
        fields.setdefault(field.name, value[: field.max_length] if field.max_length else value)
    return fields


@pytest.fixture
def hostile_world():
    """A drug, its class, condition, article, section and side effect, all written by an attacker."""
    drug_class = make_drug_class(**hostile(DrugClass))
    ingredient = make_ingredient(**hostile(ActiveIngredient))
    drug = make_drug(tags=["retinoid"], classes=[drug_class], **hostile(Drug, slug="drug-x"))
    drug.active_ingredients.add(ingredient)
    condition = make_condition(tags=["retinoid"], **hostile(Condition, slug="condition-x"))
    indication = make_indication(
        tags=["retinoid"], drug=drug, condition=condition, **hostile(Indication)
    )
    IndicationSection.objects.create(indication=indication, **hostile(IndicationSection))
    side_effect = make_side_effect(**hostile(SideEffect, slug="side-effect-x"))
    make_drug_side_effect(drug=drug, side_effect=side_effect, **hostile(DrugSideEffect))
    return {"drug": drug, "indication": indication, "drug_class": drug_class}


def hostile_pages(world):
    drug, indication = world["drug"], world["indication"]
    return [
        "/",
        "/drugs/",
        "/drugs/?letter=0-9",
        "/conditions/",
        drug.get_absolute_url(),
        f"/drugs/{drug.slug}/side-effects/",
        indication.get_absolute_url(),
        indication.condition.get_absolute_url(),
        world["drug_class"].get_absolute_url(),
        "/tags/retinoid/",
    ]


def test_every_staff_text_field_is_covered():
    covered = {
        (model.__name__, field.name) for model in STAFF_MODELS for field in text_fields(model)
    }
    assert ("Indication", "benefits") in covered
    assert ("DrugSideEffect", "advice") in covered
    assert len(covered) >= 25


def test_no_staff_text_field_can_put_script_on_a_public_page(client, hostile_world):
    for url in hostile_pages(hostile_world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert runnable_content(html) == [], url


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        '<p style="color:red">x</p>',
    ],
)
def test_the_inspection_itself_catches_runnable_markup(html):
    assert runnable_content(html) != []


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_markdown_filter_removes_every_attack(attack):
    assert runnable_content(str(markdown(attack))) == []


def test_the_markdown_filter_keeps_what_editors_need():
    html = str(
        markdown(
            "### Dose\n\n**Take** it *daily*.\n\n- one\n- two\n\n"
            "[NICE guidance](https://www.nice.org.uk/) and <abbr title='by mouth'>PO</abbr>"
        )
    )
    assert "<h3>Dose</h3>" in html
    assert "<strong>Take</strong>" in html
    assert "<li>one</li>" in html
    assert 'href="https://www.nice.org.uk/"' in html
    assert 'rel="noopener noreferrer"' in html
    assert '<abbr title="by mouth">PO</abbr>' in html


def test_names_are_shown_as_text_not_markup(client, hostile_world):
    html = client.get(hostile_world["drug"].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_public_review_text_is_shown_escaped_everywhere(client):
    from reviews.services import review_approve
    from tests.factories import make_review

    indication = make_indication()
    review = make_review(indication=indication, body=PAYLOAD, nickname=SHORT_PAYLOAD[:50])
    review_approve(review=review, moderator=None)
    drug = indication.drug
    pages = [
        f"/drugs/{drug.slug}/reviews/",
        f"/drugs/{drug.slug}/for/{indication.condition.slug}/reviews/",
        f"/reviews/{review.pk}/report/",
        drug.get_absolute_url(),
        indication.get_absolute_url(),
        f"/feeds/drugs/{drug.slug}/reviews/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        if response.status_code == 200 and "html" in response["Content-Type"]:
            html = response.content.decode()
            assert runnable_content(html) == [], url
    html = client.get(pages[0]).content.decode()
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
