"""Partial dates in forms: one text field for a year, a month or a day.

Staff type ``1957``, ``06.2017`` or ``15.06.2017`` (the ISO ``2017-06`` and ``2017-06-15``
are understood too) and see a stored date in the same short form. ``PartialDateModelForm``
puts such a field in place of each ``PartialDateAttribute`` of its model and writes it to
the two columns; ``PartialDateAdminMixin`` gives an admin that form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ALL_FIELDS, ModelFormMetaclass
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.partial_date_fields import PartialDateAttribute, partial_date_attributes
from core.partial_dates import NotAPartialDate, PartialDate


class PartialDateFormField(forms.Field):
    """A year, a month or a day, typed as ``1957``, ``06.2017`` or ``15.06.2017``; cleans to a ``PartialDate``."""

    widget = forms.TextInput(attrs={"size": 10})
    default_error_messages = {
        "invalid": _("Enter a year, a month or a day: 1957, 06.2017 or 15.06.2017."),
        "nonexistent": _("There is no such date: %(value)s."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("A year, a month or a day: 1957, 06.2017 or 15.06.2017."))
        super().__init__(**kwargs)

    def to_python(self, value) -> PartialDate | None:
        if isinstance(value, PartialDate):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except NotAPartialDate:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        except ValueError:
            raise ValidationError(
                self.error_messages["nonexistent"], code="nonexistent", params={"value": text}
            ) from None

    def prepare_value(self, value):
        return value.short_format() if isinstance(value, PartialDate) else value


def partial_date_formfield(model, attribute: PartialDateAttribute) -> PartialDateFormField:
    return PartialDateFormField(label=capfirst(attribute.label(model)), required=attribute.is_required(model))


class PartialDateModelFormMetaclass(ModelFormMetaclass):
    """Declares a ``PartialDateFormField`` for each partial date of ``Meta.model`` that ``Meta.fields`` names.

    With ``fields = "__all__"`` every partial date is a field, and their columns are left out.
    """

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        model = getattr(meta, "model", None)
        if model is not None:
            fields = getattr(meta, "fields", None)
            exclude = list(getattr(meta, "exclude", None) or ())
            columns = []
            for attr_name, attribute in partial_date_attributes(model).items():
                wanted = fields == ALL_FIELDS or (fields is not None and attr_name in fields)
                if wanted and attr_name not in exclude and attr_name not in attrs:
                    attrs[attr_name] = partial_date_formfield(model, attribute)
                    columns += attribute.columns
            if fields == ALL_FIELDS and columns:
                attrs["Meta"] = type("Meta", (meta,), {"exclude": [*exclude, *columns]})
        return super().__new__(mcs, name, bases, attrs)


class PartialDateModelForm(forms.ModelForm, metaclass=PartialDateModelFormMetaclass):
    """A model form that edits each partial date as one field instead of its date and precision columns.

    List the attribute (``"date"``, ``"start"``) in ``fields``, not its columns: the form shows the
    stored value as ``06.2017``, writes the cleaned value to both columns before the model is
    validated (so the check constraints are), and reports the columns' errors under the field.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self._partial_dates():
            field = self.fields[name]
            self.initial.setdefault(name, getattr(self.instance, name))
            # A date left out of the submitted data altogether (a POST made by a script, not the
            # form, which sends an empty field to clear it) keeps the stored one, as Django keeps
            # a model field's default when its value is omitted.
            omitted = field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
            if self.is_bound and omitted and self.initial[name] is not None:
                field.disabled = True

    def _partial_dates(self) -> dict[str, PartialDateAttribute]:
        """The partial dates of the model that are fields of this form."""
        return {
            name: attribute
            for name, attribute in partial_date_attributes(self._meta.model).items()
            if name in self.fields
        }

    def _post_clean(self) -> None:
        stored = {}
        for name, attribute in self._partial_dates().items():
            if name in self.cleaned_data:
                stored.update({column: getattr(self.instance, column) for column in attribute.columns})
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()
        if self._errors:
            # A refused form leaves the stored dates on the record: the page that shows the errors
            # names the record (an event by its period), and an end before the start is no period.
            for column, value in stored.items():
                setattr(self.instance, column, value)

    def _get_validation_exclusions(self) -> set[str]:
        # The columns are not fields of the form; validate them wherever the form set them.
        exclude = super()._get_validation_exclusions()
        for name, attribute in self._partial_dates().items():
            if name in self.cleaned_data:
                exclude.difference_update(attribute.columns)
        return exclude

    def _update_errors(self, errors: ValidationError) -> None:
        if hasattr(errors, "error_dict"):
            owners = {column: name for name, attribute in self._partial_dates().items() for column in attribute.columns}
            moved: dict[str, list] = {}
            for field, messages in errors.error_dict.items():
                moved.setdefault(owners.get(field, field), []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)


class PartialDateAdminMixin:
    """An admin (or inline) whose partial dates are one field each: name the attribute in ``fields``.

    Where the role of the user makes the columns read-only, the date is shown read-only too,
    in the same short form; a changelist column of the attribute shows it so and sorts by date.
    """

    form = PartialDateModelForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, attribute in partial_date_attributes(self.model).items():
            if not hasattr(self, name):
                setattr(self, name, self._display(attribute))

    def _display(self, attribute: PartialDateAttribute):
        def display(obj) -> str:
            value = getattr(obj, attribute.name)
            return value.short_format() if value else self.get_empty_value_display()

        display.short_description = attribute.label(self.model)
        display.admin_order_field = attribute.on_field
        return display

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        for name, attribute in partial_date_attributes(self.model).items():
            if attribute.on_field in readonly and name not in readonly:
                readonly.append(name)
        return readonly
