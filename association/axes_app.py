"""django-axes (failed sign-ins and lockouts, see ``association.signin``) installed under a name that the
admin shows in the staff's language: its own app config has none, so the admin's index read "Axes"."""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInProtectionConfig(AppConfig):
    verbose_name = _("Sign-in protection")
