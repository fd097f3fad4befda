from django.urls import path

from association import open_data, search, views
from core.cache import query_parameters

app_name = "association"

# query_parameters: what each page reads from its query string; the page cache ignores the rest.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pages/<slug:slug>/", views.PageView.as_view(), name="page"),
    path("news/", query_parameters("page")(views.NewsListView.as_view()), name="news"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news-detail"),
    path("search/", query_parameters("q")(search.SearchView.as_view()), name="search"),
    path("open-data/", open_data.OpenDataView.as_view(), name="open-data"),
    path(
        "open-data/<slug:name>.<str:extension>",
        query_parameters(*open_data.PARAMETERS)(open_data.download),
        name="open-data-download",
    ),
]
