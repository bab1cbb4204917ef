from django.urls import path

from . import views

app_name = "interactions"

urlpatterns = [
    path("interactions/", views.InteractionCheckView.as_view(), name="interaction-check"),
    path(
        "interactions/<slug:slug>/",
        views.InteractionDetailView.as_view(),
        name="interaction-detail",
    ),
]
