"""The models of the shared machinery: the search index and the staff permissions."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The result kinds with a GIN index of their own (the kinds registered with search; see core.registry).
#: A kind registered later is still searched, without an index of its own, until a migration adds one here.
SEARCH_KINDS = ("partner", "event", "society", "page", "news", "country", "agreement")


class SearchEntry(models.Model):
    """One public record's text in one language, as the page shows it (with the fallback).

    Maintained by ``core.search`` on save and delete; its ``document`` is a
    stored tsvector with a GIN index per kind of record: every search asks for one kind at
    a time, and a word found in thousands of events must not slow down finding partners.
    ``names`` are the record's other names as written (its title in the other languages,
    former names, its country), shown when the search matched one of them; ``name_keys``
    are its own names word by word as lemmas, what a query must equal to be an exact match.
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("language"), max_length=5)
    title = models.TextField(_("title"))
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=300)
    visible_from = models.DateField(null=True, blank=True)
    document = SearchVectorField(null=True, editable=False)
    names = ArrayField(models.TextField(), default=list, blank=True)
    name_keys = ArrayField(models.TextField(), default=list, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="searchentry_one_per_language")
        ]
        indexes = [
            GinIndex(fields=["document"], condition=models.Q(kind=kind), name=f"searchentry_{kind}_document")
            for kind in SEARCH_KINDS
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language})"


class StaffPermissions(models.Model):
    """Permissions that belong to no single model: the staff roles are made of them (see core.roles)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("edit_content", _("Can edit every field of the content, in every language")),
            ("publish", _("Can publish records and turn them into drafts")),
            ("translate_en", _("Can edit the English texts")),
            ("translate_vi", _("Can edit the Vietnamese texts")),
        ]
        verbose_name = _("staff permission")
        verbose_name_plural = _("staff permissions")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
