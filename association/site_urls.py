from django.urls import path

from association import open_data, search, views

app_name = "association"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("pages/<slug:slug>/", views.PageView.as_view(), name="page"),
    path("news/", views.NewsListView.as_view(), name="news"),
    path("news/<slug:slug>/", views.NewsDetailView.as_view(), name="news-detail"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("open-data/", open_data.OpenDataView.as_view(), name="open-data"),
    path("open-data/<slug:name>.<str:extension>", open_data.download, name="open-data-download"),
]
