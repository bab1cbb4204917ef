import io

import pytest
from django.core.management import call_command

from insights.models import DrugMention, ReviewMention
from tests.factories import make_drug_side_effect, make_review, make_side_effect

pytestmark = pytest.mark.django_db


def run(*args, verbosity=1):
    out = io.StringIO()
    call_command("recompute_mentions", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


@pytest.fixture
def reviews():
    link = make_drug_side_effect(side_effect=make_side_effect(name="Rash", other_names="hives"))
    for body in ["A rash on day 3", "hives!", "no rash", "a car crash"]:
        make_review(drug=link.drug, body=body, status="approved")
    return link


def test_command_rebuilds_figures_and_reports(reviews):
    output = run()
    assert "Stored 2 mentions from 4 approved reviews: 1 drug and 0 indication figures" in output
    figure = DrugMention.objects.get()
    assert (figure.mention_count, figure.review_count) == (2, 4)


def test_dry_run_reports_without_changing_anything(reviews):
    output = run("--dry-run")
    assert "Would store 2 mentions" in output and "nothing was changed" in output
    assert not ReviewMention.objects.exists()


def test_progress_is_shown_per_batch_at_higher_verbosity(reviews):
    output = run("--batch-size", "2", verbosity=2)
    assert "2 of 4 reviews scanned" in output and "4 of 4 reviews scanned" in output


def test_verbosity_zero_is_silent(reviews):
    assert run(verbosity=0) == ""
    assert ReviewMention.objects.count() == 2


def test_running_twice_gives_the_same_figures(reviews):
    run(verbosity=0)
    run(verbosity=0)
    assert ReviewMention.objects.count() == 2
    assert DrugMention.objects.get().mention_count == 2


def test_command_has_help():
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("recompute_mentions", "--help", stdout=out)
