"""Model storage of partial dates: the first day of the period plus its precision.

A model declares the two columns, ``<name>_on`` and ``<name>_precision``, and a
``PartialDateAttribute`` named ``<name>`` that reads and writes them as one ``PartialDate``.
``partial_date_constraints`` keeps the pair honest in the database: a year is stored
as 1 January, a month as its first day.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.partial_dates import PartialDate, PartialPeriod, Precision


def partial_date_constraints(prefix: str, app_model: str, *, nullable: bool) -> list:
    """Check constraints for the pair ``<prefix>_on`` / ``<prefix>_precision``."""
    on, precision = f"{prefix}_on", f"{prefix}_precision"
    # Explicit IS NOT NULL: a CHECK whose condition is NULL would pass.
    rules = Q(**{f"{on}__isnull": False, f"{precision}__isnull": False}) & (
        Q(**{precision: Precision.DAY})
        | Q(**{precision: Precision.MONTH, f"{on}__day": 1})
        | Q(**{precision: Precision.YEAR, f"{on}__day": 1, f"{on}__month": 1})
    )
    if nullable:
        rules |= Q(**{f"{on}__isnull": True, f"{precision}__isnull": True})
    return [models.CheckConstraint(condition=rules, name=f"{app_model}_{prefix}_precision_matches")]


class PartialDateAttribute(property):
    """A ``PartialDate`` attribute of a model, kept in the columns ``<name>_on`` and ``<name>_precision``.

    ::

        ties_since_on = models.DateField(null=True, blank=True)
        ties_since_precision = models.PositiveSmallIntegerField(choices=Precision.choices, null=True, blank=True)
        ties_since = PartialDateAttribute()

    Reading gives a ``PartialDate``, or ``None`` while the columns are empty. Writing takes a
    ``PartialDate``, text (``"1957"``, ``"06.2017"``, ``"2017-06-15"``), a ``date`` or ``None``
    and sets both columns. Being a property with a setter, it is also accepted as a keyword
    of the model (``Event(start="2024-07")``, ``create()``, ``update_or_create()`` defaults).
    ``PartialDateModelForm`` (``core.partial_date_forms``) shows it as one form field.

    ``verbose_name`` labels it in forms and the admin (the ``_on`` column's by default).
    """

    def __init__(self, verbose_name=None) -> None:
        def fget(instance: models.Model) -> PartialDate | None:
            return PartialDate.from_db(getattr(instance, self.on_field), getattr(instance, self.precision_field))

        def fset(instance: models.Model, value: PartialDate | date | str | None) -> None:
            value = PartialDate.coerce(value)
            setattr(instance, self.on_field, value.first_day if value else None)
            setattr(instance, self.precision_field, value.precision if value else None)

        super().__init__(fget, fset)
        self.verbose_name = verbose_name

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner
        self.fget.admin_order_field = self.on_field  # a changelist column of it sorts by the date

    @property
    def on_field(self) -> str:
        return f"{self.name}_on"

    @property
    def precision_field(self) -> str:
        return f"{self.name}_precision"

    @property
    def columns(self) -> tuple[str, str]:
        return self.on_field, self.precision_field

    def column(self, model: type[models.Model] | None = None) -> models.DateField:
        """The ``_on`` column, as ``model`` (a subclass of the owner, say) has it."""
        return (model or self.owner)._meta.get_field(self.on_field)

    def label(self, model: type[models.Model] | None = None):
        return self.verbose_name or self.column(model).verbose_name

    @property
    def short_description(self):
        """What the admin calls it in lists and read-only fields."""
        return self.label()

    def is_required(self, model: type[models.Model] | None = None) -> bool:
        return not self.column(model).blank


def partial_date_attributes(model: type[models.Model]) -> dict[str, PartialDateAttribute]:
    """The partial dates of ``model`` by name, in the order they are declared (inherited ones too)."""
    found: dict[str, PartialDateAttribute] = {}
    seen: set[str] = set()
    for klass in model.__mro__:
        for name, value in vars(klass).items():
            if name not in seen and isinstance(value, PartialDateAttribute):
                found[name] = value
            seen.add(name)
    return found


class PartialPeriodModel(models.Model):
    """A start (required) and an optional end, each a partial date.

    ``last_day`` is derived from them on save; it exists so that "upcoming" and
    date-range filters are plain indexed comparisons.
    """

    #: the columns ``period`` is made of: what ``only()`` keeps for a list that shows dates
    PERIOD_COLUMNS = ("start_on", "start_precision", "end_on", "end_precision")

    start_on = models.DateField(db_index=True)
    start_precision = models.PositiveSmallIntegerField(choices=Precision.choices)
    end_on = models.DateField(null=True, blank=True)
    end_precision = models.PositiveSmallIntegerField(choices=Precision.choices, null=True, blank=True)
    last_day = models.DateField(db_index=True, editable=False)

    start = PartialDateAttribute(_("start"))
    end = PartialDateAttribute(_("end"))

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.prepare_save()
        if self.start_on is not None and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "last_day"}
        super().save(*args, **kwargs)

    def prepare_save(self) -> None:
        """The derived last day, for ``save()`` and for bulk writes (``core.bulk``)."""
        if self.start_on is not None:
            self.last_day = self.period.last_day

    @property
    def period(self) -> PartialPeriod:
        return PartialPeriod(self.start, self.end)


def period_constraints(app_model: str) -> list:
    return [
        *partial_date_constraints("start", app_model, nullable=False),
        *partial_date_constraints("end", app_model, nullable=True),
        models.CheckConstraint(
            condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
            name=f"{app_model}_ends_after_start",
        ),
        models.CheckConstraint(
            condition=Q(last_day__gte=models.F("start_on")), name=f"{app_model}_last_day_after_start"
        ),
    ]
