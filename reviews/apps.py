from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Patient reviews, moderation and rating figures."""

    name = "reviews"
    verbose_name = "Reviews"
