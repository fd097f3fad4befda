import pytest
from django.contrib import admin
from django.urls import reverse

MODELS = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"association", "partners", "events", "societies"}
)


def test_every_content_model_has_an_admin():
    assert {name for _app, name in MODELS} >= {
        "page",
        "newsitem",
        "region",
        "country",
        "partner",
        "agreement",
        "event",
        "reportimport",
        "society",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), MODELS)
def test_changelist_and_add_form_open(staff_client, app, model, event, society):
    # follow: the site settings' list opens its one record, or the form to create it
    assert staff_client.get(reverse(f"admin:{app}_{model}_changelist"), follow=True).status_code == 200
    assert staff_client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": "Город"}, follow=True).status_code == 200
    add = staff_client.get(reverse(f"admin:{app}_{model}_add"))
    assert add.status_code in (200, 403)  # report imports are created by the import, not by hand


@pytest.mark.django_db
def test_partner_change_form_has_translation_tabs_and_agreement_inline(staff_client, partner):
    response = staff_client.get(reverse("admin:partners_partner_change", args=[partner.pk]))
    assert response.status_code == 200
    for code in ("ru", "en", "vi"):
        assert f'name="name_{code}"' in response.text
    assert "agreements-TOTAL_FORMS" in response.text
    assert "vendor/jquery-ui/jquery-ui.min.js" in response.text


def test_manage_py_check_is_clean():
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_every_partial_date_in_the_admin_is_one_field(rf, django_user_model):
    """A year, a month or a day in one field (``06.2017``), never a date and a precision (Start on, Start precision)."""
    from core.partial_date_fields import partial_date_attributes
    from core.partial_date_forms import PartialDateFormField

    request = rf.get("/admin/")
    request.user = django_user_model.objects.create_superuser("root", "root@example.org", "pass-word-123")
    checked = []
    for model, model_admin in admin.site._registry.items():
        forms = [(model, model_admin.get_form(request))]
        inlines = model_admin.get_inline_instances(request)
        forms += [(inline.model, inline.get_formset(request).form) for inline in inlines]
        for form_model, form in forms:
            for name, attribute in partial_date_attributes(form_model).items():
                assert isinstance(form.base_fields.get(name), PartialDateFormField), (form_model, name)
                assert not set(attribute.columns) & set(form.base_fields), (form_model, name)
                checked.append(f"{form_model._meta.model_name}.{name}")
    assert {"event.start", "event.end", "partner.ties_since", "milestone.date", "partnerstatus.date"} <= set(checked)
