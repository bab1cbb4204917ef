from django.urls import path

from . import views

app_name = "leaflets"

urlpatterns = [
    path("drugs/<slug:slug>/handout/", views.DrugHandoutView.as_view(), name="drug-handout"),
]
