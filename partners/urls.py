from django.urls import path

from core.cache import query_parameters
from partners import views
from partners.filters import PartnerFilter

app_name = "partners"

urlpatterns = [
    path("", query_parameters(*PartnerFilter.base_filters, "page")(views.PartnerListView.as_view()), name="list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country"),
    path("<slug:slug>/", views.PartnerDetailView.as_view(), name="detail"),
]
