from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
    path("editorial/", views.EditorialIndexView.as_view(), name="index"),
    path("editorial/overdue/", views.OverdueReviewListView.as_view(), name="overdue-list"),
    path(
        "editorial/awaiting-sign-off/",
        views.AwaitingSignOffListView.as_view(),
        name="awaiting-list",
    ),
    path("editorial/schedule/", views.ScheduleReportView.as_view(), name="schedule-list"),
    path("editorial/recent-changes/", views.RecentChangeListView.as_view(), name="recent-changes"),
]
