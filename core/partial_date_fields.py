"""Model storage of partial dates: the first day of the period plus its precision.

``partial_date_constraints`` keeps the pair honest in the database: a year is stored
as 1 January, a month as its first day.
"""

from django.db import models
from django.db.models import Q

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


def get_partial(instance: models.Model, prefix: str) -> PartialDate | None:
    return PartialDate.from_db(getattr(instance, f"{prefix}_on"), getattr(instance, f"{prefix}_precision"))


def set_partial(instance: models.Model, prefix: str, value: PartialDate | str | None) -> None:
    if isinstance(value, str):
        value = PartialDate.parse(value)
    setattr(instance, f"{prefix}_on", value.first_day if value else None)
    setattr(instance, f"{prefix}_precision", value.precision if value else None)


class PartialPeriodModel(models.Model):
    """A start (required) and an optional end, each a partial date.

    ``last_day`` is derived from them on save; it exists so that "upcoming" and
    date-range filters are plain indexed comparisons.
    """

    start_on = models.DateField(db_index=True)
    start_precision = models.PositiveSmallIntegerField(choices=Precision.choices)
    end_on = models.DateField(null=True, blank=True)
    end_precision = models.PositiveSmallIntegerField(choices=Precision.choices, null=True, blank=True)
    last_day = models.DateField(db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.start_on is not None:
            self.last_day = self.period.last_day
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "last_day"}
        super().save(*args, **kwargs)

    @property
    def start(self) -> PartialDate:
        return get_partial(self, "start")

    @start.setter
    def start(self, value: PartialDate | str) -> None:
        set_partial(self, "start", value)

    @property
    def end(self) -> PartialDate | None:
        return get_partial(self, "end")

    @end.setter
    def end(self, value: PartialDate | str | None) -> None:
        set_partial(self, "end", value)

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
