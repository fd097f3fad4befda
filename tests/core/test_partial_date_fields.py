"""Partial dates as one attribute of a model and one field of a form, in the admin too."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.forms.models import modelform_factory
from django.urls import reverse
from django.utils import translation

from core.partial_date_forms import PartialDateFormField, PartialDateModelForm
from core.partial_dates import PartialDate, Precision
from core.roles import TRANSLATOR_EN
from events.models import Event
from partners.admin import PartnerAdmin
from partners.models import Milestone, Partner, PartnerStatus
from tests.factories import make_agreement, make_event, make_milestone, make_partner

INVALID = {
    "en": "Enter a year, a month or a day: 1957, 06.2017 or 15.06.2017.",
    "ru": "Введите год, месяц или день: 1957, 06.2017 или 15.06.2017.",
    "vi": "Nhập năm, tháng hoặc ngày: 1957, 06.2017 hoặc 15.06.2017.",
}
NONEXISTENT = {
    "en": "There is no such date: {}.",
    "ru": "Такой даты не существует: {}.",
    "vi": "Ngày không tồn tại: {}.",
}


# The form field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017", PartialDate(2017)),
        ("06.2017", PartialDate(2017, 6)),
        ("15.06.2017", PartialDate(2017, 6, 15)),
        ("2017-06", PartialDate(2017, 6)),
        ("2017-06-15", PartialDate(2017, 6, 15)),
        ("  06.2017\t", PartialDate(2017, 6)),
        (" 1957 ", PartialDate(1957)),
    ],
)
def test_the_field_accepts_a_year_a_month_or_a_day(text, expected):
    value = PartialDateFormField().clean(text)
    assert value == expected
    assert value.precision == expected.precision


@pytest.mark.parametrize("language", ["ru", "en", "vi"])
@pytest.mark.parametrize(
    "text", ["June 2017", "июнь 2017", "2017/06", "17", "15.06.17", "06-2017", "2017-06-", "1957 г.", "2017.06", "x"]
)
def test_the_field_refuses_anything_else_in_the_language_of_the_page(language, text):
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            PartialDateFormField().clean(text)
        assert refused.value.messages == [INVALID[language]]
    assert refused.value.error_list[0].code == "invalid"


@pytest.mark.parametrize("language", ["ru", "en", "vi"])
@pytest.mark.parametrize("text", ["31.02.2017", "13.2017", "2017-13", "2017-02-30", "0000"])
def test_the_field_names_a_day_or_month_that_does_not_exist(language, text):
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            PartialDateFormField().clean(f" {text} ")
        assert refused.value.messages == [NONEXISTENT[language].format(text)]


def test_an_empty_field_is_required_unless_optional():
    with pytest.raises(ValidationError):
        PartialDateFormField().clean("   ")
    assert PartialDateFormField(required=False).clean("   ") is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [(PartialDate(1957), "1957"), (PartialDate(2017, 6), "06.2017"), (PartialDate(2017, 6, 15), "15.06.2017")],
)
def test_the_field_shows_a_value_in_the_short_form(value, shown):
    class Form(forms.Form):
        when = PartialDateFormField()

    assert PartialDateFormField().prepare_value(value) == shown
    assert f'value="{shown}"' in str(Form(initial={"when": value})["when"])


def test_the_field_shows_what_was_typed_back_when_it_is_refused():
    class Form(forms.Form):
        when = PartialDateFormField()

    form = Form(data={"when": "June 2017"})
    assert not form.is_valid()
    assert 'value="June 2017"' in str(form["when"])


# The model attribute


def test_the_attribute_writes_both_columns():
    milestone = Milestone()
    milestone.date = "06.2017"
    assert (milestone.date_on, milestone.date_precision) == (datetime.date(2017, 6, 1), Precision.MONTH)
    milestone.date = PartialDate(1957)
    assert (milestone.date_on, milestone.date_precision) == (datetime.date(1957, 1, 1), Precision.YEAR)
    milestone.date = datetime.date(2011, 6, 16)
    assert (milestone.date_on, milestone.date_precision) == (datetime.date(2011, 6, 16), Precision.DAY)


def test_the_attribute_reads_both_columns():
    status = PartnerStatus(date_on=datetime.date(2017, 6, 1), date_precision=Precision.MONTH)
    assert status.date == PartialDate(2017, 6)
    status.date_precision = Precision.YEAR
    assert status.date == PartialDate(2017)


def test_an_optional_attribute_is_cleared_with_both_columns():
    partner = Partner(ties_since="1957")
    assert partner.ties_since == PartialDate(1957)
    partner.ties_since = None
    assert (partner.ties_since, partner.ties_since_on, partner.ties_since_precision) == (None, None, None)


def test_the_attribute_refuses_text_that_is_no_date():
    with pytest.raises(ValueError):
        Milestone().date = "June 2017"


def test_a_period_model_has_start_and_end_attributes():
    event = Event(start="15.06.2017", end="2017-07")
    assert (event.start_on, event.start_precision) == (datetime.date(2017, 6, 15), Precision.DAY)
    assert (event.end_on, event.end_precision) == (datetime.date(2017, 7, 1), Precision.MONTH)
    assert event.period.last_day == datetime.date(2017, 7, 31)


@pytest.mark.django_db
def test_the_attribute_survives_the_database():
    milestone = make_milestone(make_agreement(make_partner()), "06.2017")
    stored = Milestone.objects.get(pk=milestone.pk)
    assert stored.date == PartialDate(2017, 6)
    assert Milestone.objects.filter(date_on=datetime.date(2017, 6, 1), date_precision=Precision.MONTH).exists()


# The model form


def test_a_model_form_has_the_attribute_instead_of_its_columns():
    form_class = modelform_factory(Milestone, form=PartialDateModelForm, fields="__all__")
    assert "date" in form_class.base_fields
    assert not {"date_on", "date_precision"} & set(form_class.base_fields)
    named = modelform_factory(Event, form=PartialDateModelForm, fields=["title_ru", "start", "end"])
    assert named.base_fields["start"].required
    assert not named.base_fields["end"].required
    with translation.override("en"):
        assert (str(named.base_fields["start"].label), str(named.base_fields["end"].label)) == ("Start", "End")
    with translation.override("ru"):
        assert str(form_class.base_fields["date"].label) == "Дата"


@pytest.mark.django_db
def test_a_model_form_shows_and_saves_the_date():
    agreement = make_agreement(make_partner())
    milestone = make_milestone(agreement, "2017")
    form_class = modelform_factory(Milestone, form=PartialDateModelForm, fields=["agreement", "date"])
    assert 'value="2017"' in str(form_class(instance=milestone)["date"])
    form = form_class(data={"agreement": agreement.pk, "date": "15.06.2017"}, instance=milestone)
    assert form.is_valid(), form.errors
    assert form.changed_data == ["date"]
    form.save()
    milestone.refresh_from_db()
    assert (milestone.date_on, milestone.date_precision) == (datetime.date(2017, 6, 15), Precision.DAY)


@pytest.mark.django_db
def test_a_model_form_checks_the_constraints_over_the_columns():
    event = make_event(start="2024-07-06")
    form_class = modelform_factory(Event, form=PartialDateModelForm, fields=["start", "end"])
    form = form_class(data={"start": "06.07.2024", "end": "03.07.2024"}, instance=event)
    assert not form.is_valid()
    event.refresh_from_db()
    assert event.end is None


@pytest.mark.django_db
def test_a_model_error_on_a_column_is_shown_under_the_date(monkeypatch):
    def clean(event):
        if event.end_on and event.end_on.year > 2030:
            raise ValidationError({"end_on": "Too far ahead."})

    monkeypatch.setattr(Event, "clean", clean)
    event = make_event(start="2024-07-06")
    form_class = modelform_factory(Event, form=PartialDateModelForm, fields=["start", "end"])
    form = form_class(data={"start": "06.07.2024", "end": "2031"}, instance=event)
    assert not form.is_valid()
    assert form.errors == {"end": ["Too far ahead."]}
    assert (event.end_on, event.end_precision) == (None, None)  # the record keeps its stored dates


@pytest.mark.django_db
def test_a_date_left_out_of_the_data_keeps_the_stored_one():
    event = make_event(start="2017-06")
    form_class = modelform_factory(Event, form=PartialDateModelForm, fields=["title_ru", "start", "end"])
    form = form_class(data={"title_ru": "Новое название"}, instance=event)
    assert form.is_valid(), form.errors
    form.save()
    event.refresh_from_db()
    assert (event.title_ru, event.start) == ("Новое название", PartialDate(2017, 6))
    # sent empty, a required date is missing
    assert not form_class(data={"title_ru": "x", "start": ""}, instance=event).is_valid()


# The admin


def submitted(response) -> dict:
    """What the admin change form in ``response`` submits when nothing is touched."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_ += [inline.formset.management_form, *inline.formset.forms]
    for form in forms_:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(bound.field, forms.FileField) or value is None:
                continue
            else:
                data[bound.html_name] = value
    return data


@pytest.mark.django_db
def test_the_event_admin_has_one_field_per_date(staff_client):
    event = make_event(start="2017-06", end="2017-07-03")
    page = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).text
    assert 'name="start"' in page and 'value="06.2017"' in page
    assert 'name="end"' in page and 'value="03.07.2017"' in page
    for column in ("start_on", "start_precision", "end_on", "end_precision"):
        assert f'name="{column}"' not in page


@pytest.mark.django_db
def test_an_admin_post_of_a_month_stores_a_month_on_an_event(staff_client):
    event = make_event(start="2024-07-03")
    url = reverse("admin:events_event_change", args=[event.pk])
    data = {**submitted(staff_client.get(url)), "start": "06.2017", "end": ""}
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.start_on, event.start_precision) == (datetime.date(2017, 6, 1), Precision.MONTH)
    assert event.last_day == datetime.date(2017, 6, 30)


@pytest.mark.django_db
def test_an_admin_post_of_a_month_stores_a_month_on_an_agreement_milestone(staff_client):
    agreement = make_agreement(make_partner())
    url = reverse("admin:partners_agreement_change", args=[agreement.pk])
    page = staff_client.get(url)
    assert 'name="milestones-0-date"' in page.text
    assert "date_precision" not in page.text
    data = {**submitted(page), "milestones-0-date": "06.2017", "milestones-0-label_ru": "подписано"}
    response = staff_client.post(url, data)
    assert response.status_code == 302, [formset.errors for formset in response.context["inline_admin_formsets"]]
    milestone = agreement.milestones.get()
    assert (milestone.date_on, milestone.date_precision) == (datetime.date(2017, 6, 1), Precision.MONTH)
    assert milestone.date == PartialDate(2017, 6)


@pytest.mark.django_db
def test_the_admin_says_what_is_wrong_with_a_date(staff_client):
    event = make_event(start="2024-07-03")
    url = reverse("admin:events_event_change", args=[event.pk])
    data = {**submitted(staff_client.get(url)), "start": "June 2017"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert INVALID["ru"] in response.text
    assert 'value="June 2017"' in response.text
    response = staff_client.post(url, data, headers={"accept-language": "vi"})
    assert INVALID["vi"] in response.text
    event.refresh_from_db()
    assert event.start == PartialDate(2024, 7, 3)


@pytest.mark.django_db
def test_an_end_before_the_start_is_an_error_in_the_admin_not_a_crash(staff_client):
    event = make_event(start="2024-07-06")
    url = reverse("admin:events_event_change", args=[event.pk])
    data = {**submitted(staff_client.get(url)), "end": "03.07.2024"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert not response.context["adminform"].form.is_valid()
    event.refresh_from_db()
    assert event.end is None


@pytest.mark.django_db
def test_the_partner_admin_edits_ties_since_as_one_field(staff_client):
    partner = make_partner(ties_since="1957", latitude=53.55, longitude=10.0)  # published: placed on the map
    url = reverse("admin:partners_partner_change", args=[partner.pk])
    page = staff_client.get(url)
    assert 'name="ties_since"' in page.text and 'value="1957"' in page.text
    assert 'name="ties_since_precision"' not in page.text
    data = {**submitted(page), "ties_since": "", "statuses-0-date": "2020", "statuses-0-status": "active"}
    data["statuses-0-source_ru"] = "Отчёт КВС за 2020 год"  # a status is recorded with its source
    data["statuses-TOTAL_FORMS"] = "1"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert (partner.ties_since_on, partner.ties_since_precision) == (None, None)
    assert partner.statuses.get().date == PartialDate(2020)


@pytest.mark.django_db
def test_the_changelist_shows_ties_since_in_the_short_form_and_sorts_by_it(staff_client):
    make_partner(ties_since="1984-03")
    make_partner(ties_since="1957")
    url = reverse("admin:partners_partner_changelist")
    column = 1 + PartnerAdmin.list_display.index("ties_since")  # after the selection checkbox
    oldest_first = staff_client.get(url, {"o": str(column)}).text
    assert oldest_first.index(">1957<") < oldest_first.index(">03.1984<")
    newest_first = staff_client.get(url, {"o": f"-{column}"}).text
    assert newest_first.index(">03.1984<") < newest_first.index(">1957<")


@pytest.mark.django_db
def test_a_translator_sees_the_dates_but_cannot_change_them(client, django_user_model):
    user = django_user_model.objects.create_user("translator", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATOR_EN))
    client.force_login(user)
    event = make_event(start="2017-06")
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    assert 'name="start"' not in page.text
    assert "06.2017" in page.text
    response = client.post(url, {**submitted(page), "title_en": "Translated", "start": "2020"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_en, event.start) == ("Translated", PartialDate(2017, 6))
