from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("drugs/<slug:slug>/reviews/", views.DrugReviewListView.as_view(), name="drug-reviews"),
    path("drugs/<slug:slug>/reviews/new/", views.ReviewCreateView.as_view(), name="review-create"),
    path(
        "drugs/<slug:slug>/reviews/thanks/", views.ReviewThanksView.as_view(), name="review-thanks"
    ),
    path(
        "drugs/<slug:drug_slug>/for/<slug:condition_slug>/reviews/",
        views.IndicationReviewListView.as_view(),
        name="indication-reviews",
    ),
    path("reviews/<int:pk>/helpful/", views.ReviewHelpfulView.as_view(), name="review-helpful"),
    path("reviews/<int:pk>/report/", views.ReviewReportView.as_view(), name="review-report"),
]
