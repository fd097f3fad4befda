from django.urls import path

from core.cache import query_parameters
from societies import views

app_name = "societies"

urlpatterns = [
    path("", query_parameters("page")(views.SocietyListView.as_view()), name="list"),
    path("<slug:slug>/", views.SocietyDetailView.as_view(), name="detail"),
]
