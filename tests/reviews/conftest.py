import itertools

import pytest
from django.contrib.auth import get_user_model

_numbers = itertools.count(1)


@pytest.fixture
def moderator(db):
    """A staff user without a password hash (hashing is slow and irrelevant here)."""
    return get_user_model().objects.create(username=f"moderator-{next(_numbers)}", is_staff=True)
