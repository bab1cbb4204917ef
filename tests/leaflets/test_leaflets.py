"""Patient information sections: rules, the drug page, citations, the handout."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import DrugSideEffect
from editorial.content import uncited_sections
from editorial.models import Citation
from leaflets.models import LeafletSection
from tests.factories import make_drug, make_drug_side_effect, make_user
from tests.interactions.factories import make_interaction

pytestmark = pytest.mark.django_db

Kind = LeafletSection.Kind


def section(drug, kind, body):
    return LeafletSection.objects.create(drug=drug, kind=kind, body=body)


def test_a_drug_has_at_most_one_section_of_each_kind():
    drug = make_drug()
    section(drug, Kind.STORAGE, "Keep it cool [1].")
    with pytest.raises(IntegrityError), transaction.atomic():
        section(drug, Kind.STORAGE, "Again.")


def test_key_facts_longer_than_seven_lines_are_refused():
    facts = LeafletSection(
        drug=make_drug(), kind=Kind.KEY_FACTS, body="\n".join(f"Fact {n}." for n in range(8))
    )
    with pytest.raises(ValidationError, match="at most 7 lines"):
        facts.full_clean()


def test_sections_read_in_position_then_leaflet_order():
    drug = make_drug()
    storage = section(drug, Kind.STORAGE, "Cool.")
    missed = section(drug, Kind.MISSED_DOSE, "Skip it.")
    assert list(LeafletSection.objects.filter(drug=drug).in_reading_order()) == [missed, storage]


def test_sections_without_a_citation_are_flagged_for_the_reviewer():
    drug = make_drug(boxed_warning="", pregnancy_warning="")
    section(drug, Kind.HOW_TO_TAKE, "Take it with food [1].")
    section(drug, Kind.STORAGE, "Keep it somewhere cool.")
    assert uncited_sections(drug) == ["How to store it"]
    drug.boxed_warning = "Causes birth defects."
    drug.save()
    assert uncited_sections(drug) == ["Boxed warning", "How to store it"]


def test_drug_page_shows_key_facts_sections_and_the_emergency_number(client, settings):
    settings.EMERGENCY_NUMBER = "112"
    drug = make_drug(boxed_warning="Causes birth defects.")
    Citation.objects.create(drug=drug, title="Label", publisher="Regulator", url="https://e.org")
    section(drug, Kind.KEY_FACTS, "Take it once a day [1].\nNever with X.")
    section(drug, Kind.OVERDOSE, "Too much makes you drowsy [1].")
    html = client.get(drug.get_absolute_url()).content.decode()
    assert html.index("Causes birth defects.") < html.index("Take it once a day")
    assert 'id="overdose"' in html and "Call 112 now" in html
    # Cited in the text, and the reference links back to where it is cited.
    assert '<a href="#ref-1" id="cite-key-facts-1"' in html
    assert 'href="#cite-key-facts-1">Key facts</a>' in html
    assert 'href="#overdose"' in html


def test_drug_page_lists_its_interactions_most_severe_first(client):
    drug = make_drug(name="Isotretinoin")
    make_interaction(drug=drug, severity=3, kind="alcohol", other_name="Alcohol")
    make_interaction(drug=drug, severity=1, other_drug=make_drug(name="Doxycycline"))
    html = client.get(drug.get_absolute_url()).content.decode()
    assert html.index("Doxycycline</a>:") < html.index("Alcohol</a>:")


def test_drug_page_queries_do_not_grow_with_sections_interactions_and_side_effects(client):
    drug = make_drug()
    client.get(drug.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(drug.get_absolute_url())
    for kind in list(Kind.values)[:6]:
        section(drug, kind, "Text [1].")
    for _ in range(5):
        make_interaction(drug=drug)
        make_drug_side_effect(drug=drug, seriousness=DrugSideEffect.Seriousness.SERIOUS)
    with CaptureQueriesContext(connection) as many:
        response = client.get(drug.get_absolute_url())
    assert response.status_code == 200
    assert len(many) == len(few)


def test_handout_has_key_facts_what_to_act_on_interactions_and_review(client):
    drug = make_drug(name="Isotretinoin")
    section(drug, Kind.KEY_FACTS, "Take it with food.")
    section(drug, Kind.HOW_TO_TAKE, "Swallow whole.")
    make_drug_side_effect(
        drug=drug, seriousness=DrugSideEffect.Seriousness.SERIOUS, advice="Get help now."
    )
    make_interaction(drug=drug, severity=1, summary="Raised pressure.")
    response = client.get(reverse("leaflets:drug-handout", kwargs={"slug": drug.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Take it with food.",
        "Swallow whole.",
        "Get help now.",
        "Raised pressure.",
        "Not yet medically reviewed.",
    ):
        assert text in html, text


def test_handout_of_a_draft_drug_is_not_found_for_the_public(client):
    drug = make_drug(status="draft")
    response = client.get(reverse("leaflets:drug-handout", kwargs={"slug": drug.slug}))
    assert response.status_code == 404


def test_drug_admin_edits_patient_information_inline(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    drug = make_drug()
    section(drug, Kind.STORAGE, "Keep it cool [1].")
    response = client.get(reverse("admin:drugs_drug_change", args=[drug.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "leaflet_sections-TOTAL_FORMS" in html
    assert "Keep it cool [1]." in html


def test_markdown_citations_link_to_references_and_leave_links_alone():
    from drugs.templatetags.formulary import markdown

    html = str(markdown("Fact [1, 2]. See [the guide](https://e.org/[3]).", "how"))
    assert '<a href="#ref-1" id="cite-how-1"' in html
    assert '<a href="#ref-2" id="cite-how-2"' in html
    assert "#ref-3" not in html


def test_editors_write_patient_information_and_interactions_reviewers_only_read_them():
    from tests.editorial.conftest import make_member

    editor = make_member("Editors")
    reviewer = make_member("Medical reviewers")
    for code in ("leaflets.change_leafletsection", "interactions.change_interaction"):
        assert editor.has_perm(code)
        assert not reviewer.has_perm(code)
    assert reviewer.has_perm("interactions.view_interaction")
    assert not editor.has_perm("interactions.delete_interaction")


def test_article_page_queries_do_not_grow_with_the_drugs_patient_information(client):
    from tests.factories import make_indication

    indication = make_indication()
    drug = indication.drug
    client.get(indication.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(indication.get_absolute_url())
    for kind in list(Kind.values)[:5]:
        section(drug, kind, "Text [1].")
    for _ in range(4):
        make_interaction(drug=drug)
        make_drug_side_effect(drug=drug, seriousness=DrugSideEffect.Seriousness.SERIOUS)
    with CaptureQueriesContext(connection) as many:
        response = client.get(indication.get_absolute_url())
    assert response.status_code == 200
    assert len(many) == len(few)


def test_demo_sections_cite_only_sources_their_drug_lists():
    from django.core.management import call_command

    from drugs.citations import cited_numbers

    call_command("load_demo", verbosity=0)
    sections = LeafletSection.objects.select_related("drug")
    assert sections.count() >= 30
    for row in sections:
        references = Citation.objects.for_page(row.drug).count()
        cited = cited_numbers(row.body)
        assert cited, f"{row.drug}: {row} cites nothing"
        assert max(cited) <= references, f"{row.drug}: {row} cites [{max(cited)}]"
