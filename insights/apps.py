from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Side-effect mentions in reviews and screening for moderators."""

    name = "insights"
    verbose_name = "Insights"

    def ready(self):
        from editorial.services import on_live_change
        from insights.services import mentions_live_page_changed, mentions_reviews_shifted
        from reviews.services import on_approved_reviews_changed

        # Figures follow what readers see: a drug's side effects as published,
        # and the approved reviews, rescanned whenever the set changes.
        on_live_change(mentions_live_page_changed)
        on_approved_reviews_changed(mentions_reviews_shifted)
