"""History: who changed what and when, field by field, and restoring an earlier version."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from events.models import Event
from tests.factories import make_partner

pytestmark = pytest.mark.django_db


def post_data(obj, **changes) -> dict:
    data = {key: "" if value is None else value for key, value in model_to_dict(obj).items()}
    for name in ("partners", "societies"):
        if name in data:
            data[name] = [related.pk for related in data[name]]
    data.pop("image", None)
    return {**data, **changes}


def test_a_change_in_the_admin_is_recorded_with_its_author_and_fields(staff_client, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    response = staff_client.post(url, post_data(event, title_en="Renamed visit"))
    assert response.status_code == 302
    latest = event.history.first()
    assert latest.history_user.username == "editor"
    delta = latest.diff_against(latest.prev_record)
    changed = {change.field: (change.old, change.new) for change in delta.changes if change.old or change.new}
    assert changed == {"title_en": (event.title_en, "Renamed visit")}
    page = staff_client.get(reverse("admin:events_event_history", args=[event.pk])).text
    assert "Renamed visit" in page
    assert event.title_en in page  # the old value beside the new one


def test_an_earlier_version_is_restored(staff_client):
    partner = make_partner(name_ru="Старое имя")
    partner.name_ru = "Новое имя"
    partner.save()
    first = partner.history.earliest()
    url = reverse("admin:partners_partner_simple_history", args=[partner.pk, first.history_id])
    form = staff_client.get(url)
    assert form.status_code == 200
    assert "Старое имя" in form.text
    data = post_data(first.instance)
    data.pop("normalised_aliases", None)
    data["aliases"] = ""
    data["report_years"] = ""
    for prefix in ("agreements", "statuses"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert partner.name_ru == "Старое имя"
    assert partner.history.count() == 3


def test_every_content_model_keeps_history():
    from django.apps import apps

    from core.roles import translated_models

    for app, name in translated_models():
        assert hasattr(apps.get_model(app, name), "history"), name
    assert Event.history.model._meta.get_field("title_vi")
