"""Each role does in the admin exactly what it should, through the UI and by direct POST."""

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from django.urls import reverse

from core.roles import EDITOR, TRANSLATOR_EN, TRANSLATOR_VI, VIEWER
from events.models import Event
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def post_data(event: Event, **changes) -> dict:
    data = {key: "" if value is None else value for key, value in model_to_dict(event).items()}
    data["partners"] = [partner.pk for partner in data["partners"]]
    data["societies"] = [society.pk for society in data["societies"]]
    data.pop("image")
    return {**data, **changes}


def change_url(event: Event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


def test_the_four_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, TRANSLATOR_EN, TRANSLATOR_VI, VIEWER}
    editor = Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True)
    assert {"add_event", "delete_partner", "change_newsitem", "publish", "edit_content"} <= set(editor)
    viewer = set(Group.objects.get(name=VIEWER).permissions.values_list("codename", flat=True))
    assert viewer and all(codename.startswith("view_") for codename in viewer)


def test_editor_creates_changes_publishes_and_deletes(login, partner):
    client = login(EDITOR)
    assert client.get(reverse("admin:events_event_add")).status_code == 200
    event = make_event(partners=[partner], is_published=False)
    response = client.post(change_url(event), post_data(event, title_ru="Новое название", is_published="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.title_ru, event.is_published) == ("Новое название", True)
    response = client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(("role", "own", "other"), [(TRANSLATOR_EN, "en", "vi"), (TRANSLATOR_VI, "vi", "en")])
def test_translator_edits_only_their_language(login, partner, role, own, other):
    client = login(role)
    event = make_event(partners=[partner], is_published=False)
    page = client.get(change_url(event)).text
    assert f'name="title_{own}"' in page
    assert f'name="description_{own}"' in page
    for name in ("title_ru", f"title_{other}", "kind", "is_published", "partners"):
        assert f'name="{name}"' not in page
    changes = {
        f"title_{own}": "Translated",
        "title_ru": "Подмена",
        f"title_{other}": "Tampered",
        "is_published": "on",
        "kind": Event.Kind.CONCERT,
    }
    response = client.post(change_url(event), post_data(event, **changes))
    assert response.status_code == 302
    fresh = Event.objects.get(pk=event.pk)
    assert getattr(fresh, f"title_{own}") == "Translated"
    assert fresh.title_ru == event.title_ru
    assert getattr(fresh, f"title_{other}") == getattr(event, f"title_{other}")
    assert (fresh.is_published, fresh.kind) == (False, event.kind)


@pytest.mark.parametrize("role", [TRANSLATOR_EN, TRANSLATOR_VI, VIEWER])
def test_only_editors_create_delete_and_publish(login, partner, role):
    client = login(role)
    event = make_event(partners=[partner], is_published=False)
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    assert client.post(reverse("admin:events_event_add"), post_data(event)).status_code == 403
    assert client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:events_event_changelist")
    assert "publish_selected" not in client.get(changelist).text
    client.post(changelist, {"action": "publish_selected", "_selected_action": [event.pk]})
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert Event.objects.filter(pk=event.pk, is_published=False).exists()
    assert client.get(reverse("admin:events_reportimport_import")).status_code == 403


def test_viewer_reads_but_cannot_change(login, partner):
    client = login(VIEWER)
    event = make_event(partners=[partner])
    assert client.get(reverse("admin:partners_partner_changelist")).status_code == 200
    page = client.get(change_url(event))
    assert page.status_code == 200
    assert 'name="title_ru"' not in page.text
    assert 'name="_save"' not in page.text
    assert client.post(change_url(event), post_data(event, title_ru="Подмена")).status_code == 403
    assert Event.objects.get(pk=event.pk).title_ru == event.title_ru


@pytest.mark.parametrize("role", [TRANSLATOR_EN, VIEWER])
def test_non_editors_see_no_add_button(login, role):
    page = login(role).get(reverse("admin:partners_partner_changelist")).text
    assert reverse("admin:partners_partner_add") not in page


def test_translator_sees_inlines_read_only_except_their_language(login, partner):
    from tests.factories import make_agreement

    make_agreement(partner)
    page = login(TRANSLATOR_EN).get(reverse("admin:partners_partner_change", args=[partner.pk]))
    assert page.status_code == 200
    assert 'name="agreements-0-title_en"' in page.text
    assert 'name="agreements-0-title_ru"' not in page.text
    assert 'name="agreements-0-kind"' not in page.text
