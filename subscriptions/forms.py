from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from subscriptions.models import Subscription
from subscriptions.selections import has_control_characters


def tainted(data) -> bool:
    """Whether any name or value of submitted ``data`` (a QueryDict) holds a line break or another control character."""
    return any(has_control_characters(key, *map(str, values)) for key, values in data.lists())


class FrequencyField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            label=_("How often"),
            choices=Subscription.Frequency.choices,
            initial=Subscription.Frequency.WEEKLY,
            widget=forms.RadioSelect,
            **kwargs,
        )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={"invalid": _("Enter an e-mail address such as name@example.org.")},
    )
    frequency = FrequencyField()

    def clean(self):
        # A line break or another control character in any field is refused outright, whatever the field.
        if tainted(self.data):
            raise ValidationError(_("The form holds characters that are not allowed."))
        return super().clean()

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"])


class ChangeForm(forms.Form):
    frequency = FrequencyField()

    def clean(self):
        if tainted(self.data):
            raise ValidationError(_("The form holds characters that are not allowed."))
        return super().clean()
