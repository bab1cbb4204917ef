import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from editorial.models import Citation
from tests.factories import make_drug, make_indication

pytestmark = pytest.mark.django_db


def citation(**fields):
    fields.setdefault("title", "Isotretinoin capsules: prescribing information")
    fields.setdefault("publisher", "US Food and Drug Administration")
    return Citation(**fields)


def test_citation_with_url_doi_and_pubmed_id_is_valid():
    cited = citation(
        drug=make_drug(), url="https://example.org/label", doi="10.1016/j.jaad.2018.10.057"
    )
    cited.pubmed_id = "30691918"

    cited.full_clean()


def test_malformed_url_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        citation(drug=make_drug(), url="www example org").full_clean()

    assert "url" in error.value.message_dict


def test_url_must_be_http_or_https():
    with pytest.raises(ValidationError) as error:
        citation(drug=make_drug(), url="ftp://example.org/label.pdf").full_clean()

    assert "url" in error.value.message_dict


@pytest.mark.parametrize("doi", ["10.12/x", "11.1000/abc", "10.1000/has space", "doi"])
def test_malformed_doi_is_a_field_error(doi):
    with pytest.raises(ValidationError) as error:
        citation(drug=make_drug(), doi=doi).full_clean()

    assert "doi" in error.value.message_dict


def test_doi_resolver_prefix_is_dropped():
    cited = citation(drug=make_drug(), doi="https://doi.org/10.1056/NEJMra1407327")

    cited.full_clean()

    assert cited.doi == "10.1056/NEJMra1407327"
    assert cited.link == "https://doi.org/10.1056/NEJMra1407327"


def test_pubmed_id_is_digits_only():
    with pytest.raises(ValidationError) as error:
        citation(drug=make_drug(), pubmed_id="PMID 123").full_clean()

    assert "pubmed_id" in error.value.message_dict


def test_citation_needs_a_way_to_find_the_source():
    with pytest.raises(ValidationError) as error:
        citation(drug=make_drug()).full_clean()

    assert "url" in error.value.message_dict


def test_citation_belongs_to_exactly_one_page():
    indication = make_indication()

    with pytest.raises(ValidationError):
        citation(drug=indication.drug, indication=indication, url="https://a.org/").full_clean()
    with pytest.raises(ValidationError):
        citation(url="https://a.org/").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        citation(url="https://a.org/").save()


def test_indication_lists_its_own_sources_before_its_drugs():
    indication = make_indication()
    citation(drug=indication.drug, url="https://drug.example.org/", title="Drug").save()
    citation(indication=indication, url="https://use.example.org/", title="Use").save()

    titles = [c.title for c in Citation.objects.for_page(indication)]

    assert titles == ["Use", "Drug"]
