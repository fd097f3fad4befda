import datetime

import pytest
from django.db import IntegrityError, transaction

from core.partial_dates import Precision
from events.models import Event
from partners.models import Milestone, Partner
from tests.factories import make_agreement, make_event, make_partner


def _fails(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


@pytest.mark.django_db
def test_event_end_before_start_is_rejected():
    event = make_event(start="2024-07-06")
    _fails(
        lambda: Event.objects.filter(pk=event.pk).update(end_on=datetime.date(2024, 7, 3), end_precision=Precision.DAY)
    )


@pytest.mark.django_db
def test_precision_must_match_the_stored_day():
    event = make_event(start="2024-07-06")
    # a "year" whose stored day is not 1 January
    _fails(lambda: Event.objects.filter(pk=event.pk).update(start_precision=Precision.YEAR))
    # a "month" whose stored day is not the 1st
    _fails(lambda: Event.objects.filter(pk=event.pk).update(start_precision=Precision.MONTH))
    # an end date without its precision
    _fails(lambda: Event.objects.filter(pk=event.pk).update(end_on=datetime.date(2024, 8, 1)))


@pytest.mark.django_db
def test_milestone_precision_is_checked():
    milestone = Milestone(agreement=make_agreement(make_partner()))
    milestone.date = "1956"
    milestone.save()
    _fails(lambda: Milestone.objects.filter(pk=milestone.pk).update(date_on=datetime.date(1956, 5, 1)))


@pytest.mark.django_db
def test_slugs_are_unique_and_generated_from_the_russian_name():
    first = make_partner(name_ru="Хошимин")
    second = make_partner(name_ru="Хошимин")
    assert first.slug == "khoshimin"
    assert second.slug == "khoshimin-2"
    _fails(lambda: Partner.objects.filter(pk=second.pk).update(slug="khoshimin"))


@pytest.mark.django_db
def test_slug_is_stable_when_the_name_changes():
    partner = make_partner(name_ru="Нур-Султан")
    partner.name_ru = "Астана"
    partner.save()
    partner.refresh_from_db()
    assert partner.slug == "nur-sultan"


@pytest.mark.django_db
def test_coordinates_must_be_on_earth():
    partner = make_partner()
    _fails(lambda: Partner.objects.filter(pk=partner.pk).update(latitude=91))


@pytest.mark.django_db
def test_last_day_is_derived_from_the_period():
    event = make_event(start="2024-06")
    assert event.last_day == datetime.date(2024, 6, 30)
    event.end = "2024-08"
    event.save()
    event.refresh_from_db()
    assert event.last_day == datetime.date(2024, 8, 31)
    assert str(event.period) == "2024-06/2024-08"
