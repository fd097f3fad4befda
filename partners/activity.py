"""When a partnership counts as dormant: derived from the recorded events, never asserted."""

from django.db.models import Max
from django.utils import timezone

from core.cache import derived

#: A partner with no recorded event in this many years up to the newest report is dormant.
DORMANT_AFTER_YEARS = 3


def newest_report_year() -> int:
    from events.models import Event

    def newest() -> int | None:
        return Event.objects.published().aggregate(year=Max("report_year"))["year"]

    return derived("newest-report-year", newest) or timezone.localdate().year


def dormant_before_year() -> int:
    """Partners whose last recorded activity is before this year are shown as dormant."""
    return newest_report_year() - DORMANT_AFTER_YEARS + 1
