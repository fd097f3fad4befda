from django.urls import path

from societies import views

app_name = "societies"

urlpatterns = [
    path("", views.SocietyListView.as_view(), name="list"),
    path("<slug:slug>/", views.SocietyDetailView.as_view(), name="detail"),
]
