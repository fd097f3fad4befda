from django.urls import path

from core.cache import query_parameters
from events import feeds, views
from events.filters import EventFilter

app_name = "events"

# The selection's filters, read from the query string by the list, the calendars and the feeds.
selection = query_parameters(*EventFilter.base_filters)
listing = query_parameters(*EventFilter.base_filters, "page")

urlpatterns = [
    path("", listing(views.EventListView.as_view()), name="list"),
    path("calendar.ics", selection(feeds.EventCalendarView.as_view()), name="calendar"),
    path("feed.atom", selection(feeds.EventAtomFeed.as_view()), name="atom"),
    path(
        "societies/<slug:society>/calendar.ics",
        selection(feeds.EventCalendarView.as_view()),
        name="society-calendar",
    ),
    path("societies/<slug:society>/feed.atom", selection(feeds.EventAtomFeed.as_view()), name="society-atom"),
    path(
        "partners/<slug:partner>/calendar.ics",
        selection(feeds.EventCalendarView.as_view()),
        name="partner-calendar",
    ),
    path("partners/<slug:partner>/feed.atom", selection(feeds.EventAtomFeed.as_view()), name="partner-atom"),
    path(
        "countries/<str:country>/calendar.ics",
        selection(feeds.EventCalendarView.as_view()),
        name="country-calendar",
    ),
    path("countries/<str:country>/feed.atom", selection(feeds.EventAtomFeed.as_view()), name="country-atom"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="detail"),
    path("<int:year>/review/", views.YearReviewView.as_view(), name="review"),
    path("<int:pk>/event.ics", feeds.EventSingleCalendarView.as_view(), name="detail-calendar"),
]
