"""Plain factories: `make_<model>(**fields)` fills what a test leaves out."""

import itertools

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    PublicationStatus,
    SideEffect,
)
from reviews.models import Review

_counter = itertools.count(1)


def _unique(prefix):
    return f"{prefix} {next(_counter)}"


def make_user(**fields):
    fields.setdefault("username", slugify(_unique("user")))
    fields.setdefault("email", f"{fields['username']}@example.org")
    password = fields.pop("password", "correct-horse-battery-staple")
    user = get_user_model()(**fields)
    user.set_password(password)
    user.save()
    return user


def make_staff(**fields):
    fields.setdefault("is_staff", True)
    return make_user(**fields)


def make_drug_class(**fields):
    fields.setdefault("name", _unique("Class"))
    fields.setdefault("slug", slugify(fields["name"]))
    return DrugClass.objects.create(**fields)


def make_ingredient(**fields):
    fields.setdefault("name", _unique("Ingredient"))
    fields.setdefault("slug", slugify(fields["name"]))
    return ActiveIngredient.objects.create(**fields)


def make_drug(tags=(), classes=(), **fields):
    fields.setdefault("name", _unique("Drug"))
    fields.setdefault("slug", slugify(fields["name"]))
    fields.setdefault("summary", f"{fields['name']} is a medicine used in tests.")
    fields.setdefault("status", PublicationStatus.PUBLISHED)
    drug = Drug.objects.create(**fields)
    if tags:
        drug.tags.add(*tags)
    if classes:
        drug.drug_classes.add(*classes)
    return drug


def make_condition(tags=(), **fields):
    fields.setdefault("name", _unique("Condition"))
    fields.setdefault("slug", slugify(fields["name"]))
    fields.setdefault("summary", f"{fields['name']} is a condition used in tests.")
    fields.setdefault("status", PublicationStatus.PUBLISHED)
    condition = Condition.objects.create(**fields)
    if tags:
        condition.tags.add(*tags)
    return condition


def make_indication(tags=(), **fields):
    if "drug" not in fields:
        fields["drug"] = make_drug()
    if "condition" not in fields:
        fields["condition"] = make_condition()
    fields.setdefault("title", f"{fields['drug'].name} for {fields['condition'].name}")
    fields.setdefault("approval_status", Indication.ApprovalStatus.APPROVED)
    fields.setdefault("summary", "A summary.")
    fields.setdefault("what_it_is", "What it is.")
    fields.setdefault("how_it_works", "It does one thing\nIt does another")
    fields.setdefault("benefits", "One benefit\nAnother benefit")
    fields.setdefault("what_to_expect", "What to expect.")
    fields.setdefault("status", PublicationStatus.PUBLISHED)
    indication = Indication.objects.create(**fields)
    if tags:
        indication.tags.add(*tags)
    return indication


def make_side_effect(**fields):
    fields.setdefault("name", _unique("Side effect"))
    fields.setdefault("slug", slugify(fields["name"]))
    return SideEffect.objects.create(**fields)


def make_drug_side_effect(**fields):
    if "drug" not in fields:
        fields["drug"] = make_drug()
    if "side_effect" not in fields:
        fields["side_effect"] = make_side_effect()
    fields.setdefault("frequency", DrugSideEffect.Frequency.COMMON)
    return DrugSideEffect.objects.create(**fields)


def make_review(**fields):
    """A review row as stored; figures are not recounted (use reviews.services for that)."""
    if "drug" not in fields:
        indication = fields.get("indication") or make_indication()
        fields["indication"] = indication
        fields["drug"] = indication.drug
    fields.setdefault("rating", 8)
    fields.setdefault("body", _unique("It helped my skin a lot after a few weeks, review"))
    fields.setdefault("status", Review.Status.PENDING)
    return Review.objects.create(**fields)
