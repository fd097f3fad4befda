"""History: who changed what, when and why, field by field and link by link; restoring earlier or deleted records."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import VIEWER
from events.models import Event
from partners.models import Agreement, Milestone, Partner
from tests.factories import make_agreement, make_event, make_milestone, make_partner, make_society

pytestmark = pytest.mark.django_db


def post_data(obj, **changes) -> dict:
    data = {key: "" if value is None else value for key, value in model_to_dict(obj).items()}
    for name in ("partners", "societies"):
        if name in data:
            data[name] = [related.pk for related in data[name]]
    data.pop("image", None)
    return {**data, **changes}


def event_data(event: Event, **changes) -> dict:
    """The event's change form as the browser sends it (a partial date is one field)."""
    data = post_data(event, **changes)
    for name in ("start", "end"):
        for column in (f"{name}_on", f"{name}_precision"):
            data.pop(column, None)
        data.setdefault(name, getattr(event, name).short_format() if getattr(event, name) else "")
    data["initial-published_on"] = event.published_on  # a field with a default the form sends twice
    return data


def text(html: str) -> str:
    """What a reader sees of ``html``: its text, tags and repeated spaces gone."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def history_page(client, obj) -> str:
    opts = obj._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert response.status_code == 200
    return response.text


def change(client, event: Event, **changes):
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), event_data(event, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_a_change_in_the_admin_is_recorded_with_its_author_and_fields(staff_client, event):
    before = event.history.count()
    change(staff_client, event, title_en="Renamed visit")
    assert event.history.count() == before + 1  # one save, one version
    latest = event.history.first()
    assert latest.history_user.username == "editor"
    delta = latest.diff_against(latest.prev_record)
    changed = {change.field: (change.old, change.new) for change in delta.changes if change.old or change.new}
    assert changed == {"title_en": (event.title_en, "Renamed visit")}
    page = text(history_page(staff_client, event))
    assert "Renamed visit" in page
    assert event.title_en in page  # the old value beside the new one


def test_changing_an_events_partners_is_one_version_that_names_them(staff_client, event):
    beijing = make_partner(name_ru="Пекин")
    before = event.history.count()
    change(staff_client, event, partners=[*event.partners.values_list("pk", flat=True), beijing.pk])
    assert event.history.count() == before + 1
    latest = event.history.first()
    assert set(latest.partners.values_list("partner_id", flat=True)) == {*event.partners.values_list("pk", flat=True)}
    page = history_page(staff_client, event)
    diff = page[page.index('class="history-diff"') :]
    assert "Партнёры" in text(diff)
    assert "<ins>Пекин</ins>" in diff


def test_a_save_that_changes_nothing_writes_no_version(staff_client, event):
    before = event.history.count()
    change(staff_client, event)
    assert event.history.count() == before


def test_the_reason_is_asked_for_and_shown_never_none(staff_client, event):
    form = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).text
    assert 'name="history_change_reason"' in form
    change(staff_client, event, title_en="Renamed", history_change_reason="Corrected from the 2024 report")
    assert event.history.first().history_change_reason == "Corrected from the 2024 report"
    change(staff_client, event, title_en="Renamed again")
    assert event.history.first().history_change_reason is None
    page = text(history_page(staff_client, event))
    assert "Corrected from the 2024 report" in page
    assert "None" not in page


def test_whole_texts_are_shown_side_by_side(staff_client, event):
    long_text = "Программа визита включала встречи в Смольном и посещение музеев города. " * 6
    change(staff_client, event, description_ru=long_text)
    change(staff_client, event, description_ru=long_text + "Итоги подведены.")
    page = history_page(staff_client, event)
    assert "chars]" not in page
    assert text(page).count(long_text.strip()) >= 2  # before and after, whole
    assert "Итоги подведены.</ins>" in page


def test_a_partial_date_is_one_field_in_the_history(staff_client, event):
    change(staff_client, event, start="06.2024")
    page = text(history_page(staff_client, event))
    assert "03.07.2024" in page and "06.2024" in page
    for column in ("Start on", "Start precision", "start_on", "Start precision"):
        assert column not in page


def test_restoring_an_older_version_restores_its_links(staff_client, event):
    first_partners = set(event.partners.all())
    original = event.history.first()
    other = make_partner(name_ru="Ханой")
    society = make_society()
    change(staff_client, event, partners=[other.pk], societies=[society.pk], title_en="Changed")
    assert set(event.partners.all()) == {other}
    url = reverse("admin:events_event_simple_history", args=[event.pk, original.history_id])
    form = staff_client.get(url)
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["partners"] == [partner.pk for partner in first_partners]
    data = event_data(original.instance, partners=[partner.pk for partner in first_partners], societies=[])
    data["history_change_reason"] = form.context["adminform"].form.initial["history_change_reason"]
    response = staff_client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert set(event.partners.all()) == first_partners
    assert not event.societies.exists()
    assert event.title_en == original.title_en
    assert event.history.first().history_change_reason == data["history_change_reason"]
    assert data["history_change_reason"].startswith("Восстановлена версия от")  # offered by the form


def test_an_earlier_version_is_restored(staff_client):
    partner = make_partner(name_ru="Старое имя", latitude=53.55, longitude=10.0)
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
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert partner.name_ru == "Старое имя"
    assert partner.history.count() == 3


def delete(client, obj) -> None:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def restore(client, model, pk: int):
    opts = model._meta
    version = model.history.filter(id=pk, history_type="-").first()
    return client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_restore", args=[version.history_id]))


def test_a_deleted_event_is_found_and_restored_from_the_admin_with_its_links(staff_client):
    hanoi, hue = make_partner(name_ru="Ханой"), make_partner(name_ru="Хюэ")
    society = make_society(name_ru="Общество «Россия – Вьетнам»")
    event = make_event(partners=[hanoi, hue], societies=[society], title_ru="Дни Ханоя")
    pk = event.pk
    delete(staff_client, event)

    changelist = staff_client.get(reverse("admin:events_event_changelist")).text
    deleted_url = reverse("admin:events_event_deleted")
    assert f'href="{deleted_url}"' in changelist
    listed = text(staff_client.get(deleted_url).text)
    assert "Дни Ханоя" in listed
    assert "Ханой" in listed and "Хюэ" in listed and "Общество «Россия – Вьетнам»" in listed

    response = restore(staff_client, Event, pk)
    assert response.status_code == 302
    assert response.url == reverse("admin:events_event_change", args=[pk])
    restored = Event.objects.get(pk=pk)
    assert restored.title_ru == "Дни Ханоя"
    assert set(restored.partners.all()) == {hanoi, hue}
    assert set(restored.societies.all()) == {society}
    assert restored.history.first().history_type == "+"
    assert set(restored.history.first().partners.values_list("partner_id", flat=True)) == {hanoi.pk, hue.pk}
    assert staff_client.get(deleted_url).context["records"] == []


def test_a_deleted_agreement_comes_back_with_its_milestones(staff_client, partner):
    agreement = make_agreement(partner)
    make_milestone(agreement, "1993-06-08", label_ru="подписание")
    make_milestone(agreement, "2017", label_ru="продление")
    pk = agreement.pk
    delete(staff_client, agreement)
    assert not Milestone.objects.filter(agreement_id=pk).exists()
    assert restore(staff_client, Agreement, pk).status_code == 302
    milestones = Milestone.objects.filter(agreement_id=pk)
    assert sorted(str(milestone.date) for milestone in milestones) == ["1993-06-08", "2017"]


def test_a_deleted_partner_comes_back_with_its_agreements_and_its_events_links(staff_client, partner):
    agreement = make_agreement(partner)
    event = make_event(partners=[partner])
    pk = partner.pk
    delete(staff_client, partner)
    assert not event.partners.exists()
    assert restore(staff_client, Partner, pk).status_code == 302
    assert Agreement.objects.filter(pk=agreement.pk, partner_id=pk).exists()
    assert list(event.partners.values_list("pk", flat=True)) == [pk]


def test_a_link_edited_away_after_the_deletion_is_not_brought_back(staff_client, partner):
    event = make_event(partners=[partner], title_en="Kept apart")
    pk = partner.pk
    delete(staff_client, partner)
    change(staff_client, event, title_en="Edited after the deletion", partners=[])
    restore(staff_client, Partner, pk)
    assert not event.partners.exists()


def test_a_restore_that_would_break_a_unique_value_is_refused_with_a_message(staff_client, partner):
    slug = partner.slug
    pk = partner.pk
    delete(staff_client, partner)
    make_partner(country=partner.country, slug=slug)
    response = restore(staff_client, Partner, pk)
    assert response.status_code == 302
    page = staff_client.get(response.url).text
    assert "cannot be restored" in page or "нельзя восстановить" in page
    assert not Partner.objects.filter(pk=pk).exists()


def test_a_viewer_sees_the_deleted_records_but_cannot_restore_them(client, django_user_model, event):
    pk = event.pk
    event.delete()
    viewer = django_user_model.objects.create_user("viewer", password="pass-word-123", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWER))
    client.force_login(viewer)
    page = client.get(reverse("admin:events_event_deleted"))
    assert page.status_code == 200
    assert "Визит" in page.text
    assert "/restore/" not in page.text
    assert restore(client, Event, pk).status_code == 403
    assert not Event.objects.filter(pk=pk).exists()


def queries(client, url: str) -> int:
    """Queries of ``url`` once the values cached across requests (the site's settings…) are computed."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_history_page_reads_a_fixed_number_of_queries(staff_client, event):
    counts = []
    for n in (1, 10, 50):
        while event.history.count() < n + 1:
            other = make_partner()
            event.partners.add(other)
            event.title_en = f"Version {event.history.count()}"
            event.save()
        counts.append(queries(staff_client, reverse("admin:events_event_history", args=[event.pk])))
    assert counts[0] == counts[1] == counts[2], counts


def test_the_deleted_records_page_reads_a_fixed_number_of_queries(staff_client, partner):
    counts = []
    for n in (1, 10, 50):
        while Event.history.filter(history_type="-").count() < n:
            make_event(partners=[partner], societies=[make_society()]).delete()
        counts.append(queries(staff_client, reverse("admin:events_event_deleted")))
    assert counts[0] == counts[1] == counts[2], counts


def test_every_content_model_keeps_history():
    from django.apps import apps

    from core.roles import translated_models

    for app, name in translated_models():
        assert hasattr(apps.get_model(app, name), "history"), name
    assert Event.history.model._meta.get_field("title_vi")


def test_the_history_records_every_link_the_content_registry_declares():
    from core.history import tracked_links
    from core.registry import contents

    for entry in contents():
        if entry.links:
            assert {field.name for field in tracked_links(entry.model)} >= set(entry.links), entry.label


def test_versions_written_before_links_were_recorded_get_todays_links(partner):
    from django.apps import apps

    from core.history import history_links_backfill, link_history_model

    event = make_event(partners=[partner])
    link_history_model(Event._meta.get_field("partners")).objects.all().delete()  # as before the migration
    history_links_backfill(apps, None, model="events.Event")
    for version in event.history.all():
        assert list(version.partners.values_list("partner_id", flat=True)) == [partner.pk]


def test_links_written_in_bulk_are_recorded_in_the_latest_versions(partner):
    from core.history import history_links_amend

    event = make_event()
    Event.partners.through.objects.bulk_create([Event.partners.through(event=event, partner=partner)])
    assert not event.history.first().partners.exists()  # a bulk write sends no signal
    history_links_amend([event])
    assert list(event.history.first().partners.values_list("partner_id", flat=True)) == [partner.pk]
    assert event.history.count() == 1  # amended, not a version more
