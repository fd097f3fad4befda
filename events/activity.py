"""What the recorded events say of a partnership: its last activity, and when it counts as dormant.

Derived from the events, never asserted; it lives with the events so that partners
need not know them.
"""

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from core.cache import derived
from events.models import Event

#: A partner with no recorded event in this many years up to the newest report is dormant.
DORMANT_AFTER_YEARS = 3


def with_last_activity(partners: QuerySet) -> QuerySet:
    """Annotate ``last_activity_on``: the start of the latest published event with each partner."""
    latest = Event.objects.published().filter(partners=OuterRef("pk")).order_by("-start_on").values("start_on")[:1]
    return partners.annotate(last_activity_on=Subquery(latest))


def newest_report_year() -> int:
    def newest() -> int | None:
        return Event.objects.published().aggregate(year=Max("report_year"))["year"]

    return derived("newest-report-year", newest, cheap=True) or timezone.localdate().year


def dormant_before_year() -> int:
    """Partners whose last recorded activity is before this year are shown as dormant."""
    return newest_report_year() - DORMANT_AFTER_YEARS + 1
