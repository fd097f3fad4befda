from django.urls import path

from bench import views

urlpatterns = [path("bench/ceiling/", views.ceiling)]
