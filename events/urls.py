from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("calendar.ics", feeds.EventCalendarView.as_view(), name="calendar"),
    path("feed.atom", feeds.EventAtomFeed.as_view(), name="atom"),
    path("societies/<slug:society>/calendar.ics", feeds.EventCalendarView.as_view(), name="society-calendar"),
    path("societies/<slug:society>/feed.atom", feeds.EventAtomFeed.as_view(), name="society-atom"),
    path("partners/<slug:partner>/calendar.ics", feeds.EventCalendarView.as_view(), name="partner-calendar"),
    path("partners/<slug:partner>/feed.atom", feeds.EventAtomFeed.as_view(), name="partner-atom"),
    path("countries/<str:country>/calendar.ics", feeds.EventCalendarView.as_view(), name="country-calendar"),
    path("countries/<str:country>/feed.atom", feeds.EventAtomFeed.as_view(), name="country-atom"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:year>/review/", views.YearReviewView.as_view(), name="review"),
    path("<int:pk>/event.ics", feeds.EventSingleCalendarView.as_view(), name="detail-calendar"),
]
