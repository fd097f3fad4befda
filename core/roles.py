"""The staff roles, as groups of permissions, and what the admin lets each of them touch.

- **Editor** — adds, changes and deletes all content and publishes it; lifts sign-in
  lockouts (django-axes' access attempts).
- **Translator EN** / **Translator VI** — edit only the texts of their language; they
  cannot create, delete or publish, and every other field is shown read-only.
- **Viewer** — reads everything, changes nothing.

The groups are created by a data migration
and kept in step after every migrate by ``roles_ensure``, over the models of the content
registry; the admin enforces the field limits with
``RoleAdminMixin``, so a hand-made POST is held to the same rules as the form.
"""

from __future__ import annotations

from django.conf import settings
from modeltranslation.translator import NotRegistered, translator

from core.registry import contents

EDITOR = "Editor"
TRANSLATOR_EN = "Translator EN"
TRANSLATOR_VI = "Translator VI"
VIEWER = "Viewer"

PUBLICATION_FIELDS = ("is_published", "published_on")
ROLE_NAMES = (EDITOR, TRANSLATOR_EN, TRANSLATOR_VI, VIEWER)

# Permissions on records that are not content (an app's own staff screens), granted by the app.
_granted: dict[str, list[str]] = {}


def roles_grant(role: str, *perms: str) -> None:
    """Adds ``perms`` (``app_label.codename``) to ``role``; an app calls it in its ``ready()``."""
    if role not in ROLE_NAMES:
        raise ValueError(f"not a role: {role}")
    _granted.setdefault(role, [])
    _granted[role] += [perm for perm in perms if perm not in _granted[role]]


def content_models() -> list[tuple[str, str]]:
    """Every registered content model as ``(app_label, model_name)``."""
    return [(entry.model._meta.app_label, entry.model._meta.model_name) for entry in contents()]


def translated_models() -> list[tuple[str, str]]:
    """The content models translators may change."""
    return [(entry.model._meta.app_label, entry.model._meta.model_name) for entry in contents() if entry.translators]


def _model_perms(models, actions) -> list[str]:
    return [f"{app}.{action}_{model}" for app, model in models for action in actions]


def roles() -> dict[str, list[str]]:
    """Each role's permissions, over the content models registered now, with those apps granted."""
    content, translated = content_models(), translated_models()
    base = {
        EDITOR: [
            *_model_perms(content, ("add", "change", "delete", "view")),
            "core.edit_content",
            "core.publish",
            # django-axes' failed sign-ins: editors see them and lift a lockout by deleting them.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
        ],
        TRANSLATOR_EN: [*_model_perms(translated, ("change", "view")), "core.translate_en"],
        TRANSLATOR_VI: [*_model_perms(translated, ("change", "view")), "core.translate_vi"],
        VIEWER: _model_perms(content, ("view",)),
    }
    return {role: [*perms, *_granted.get(role, ())] for role, perms in base.items()}


def roles_sync(apps, extra: dict[str, list[str]] | None = None) -> None:
    """Create the role groups and give each exactly its permissions (used by migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    roles_assign(apps, extra)


def roles_assign(apps, extra: dict[str, list[str]] | None = None) -> None:
    """Give each role group exactly its permissions, creating the groups where missing."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in roles().items():
        perms = [*perms, *(extra or {}).get(name, [])]
        wanted = [perm.split(".", 1) for perm in perms]
        found = Permission.objects.none()
        for app_label, codename in wanted:
            found = found | Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(found)


def editable_languages(user) -> frozenset[str] | None:
    """The languages whose texts ``user`` may edit; ``None`` when every field is open to them."""
    if user.has_perm("core.edit_content"):
        return None
    codes = [code for code, _name in settings.LANGUAGES]
    return frozenset(code for code in codes if user.has_perm(f"core.translate_{code}"))


def _translated_fields(model) -> dict[str, set[str]]:
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return {}
    return {name: {field.name for field in fields} for name, fields in options.all_fields.items()}


class RoleAdminMixin:
    """Limits a role to its fields: translators edit their language only, publishing needs ``publish``."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        languages = editable_languages(request.user)
        if languages is None:
            if not request.user.has_perm("core.publish"):
                readonly += [name for name in PUBLICATION_FIELDS if _has_field(self.model, name)]
            return readonly
        translated = _translated_fields(self.model)
        allowed = {f"{name}_{code}" for name in translated for code in languages}
        hidden = set(translated)  # the base columns: the admin shows their per-language fields instead
        for field in self.model._meta.get_fields():
            editable = getattr(field, "editable", False) and not field.auto_created
            if (field.concrete or field.many_to_many) and editable and field.name not in allowed | hidden:
                readonly.append(field.name)
        return list(dict.fromkeys(readonly))


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def roles_ensure(sender, using: str = "default", **kwargs) -> None:
    """After every migrate (and every flush, which empties the groups table), the roles exist."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    roles_assign(apps)
