"""Subscriptions in the admin: the figures per selection for all staff who may see them, addresses for editors only.

Nobody adds or edits a subscription here (only its owner can, through the signed links);
editors may delete one. There is no export: the addresses leave the site only as mail.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from events.selection import stored_selection
from subscriptions.models import Delivery, Subscription
from subscriptions.selections import selection_errors, selection_terms

ADDRESS_PERMISSION = "subscriptions.view_address"


def masked(email: str) -> str:
    """«a•••@example.org»: enough to tell two subscribers apart, not to write to them."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def described(selection: str) -> str:
    built = stored_selection(selection)
    if errors := selection_errors(built):
        return "⚠ " + "; ".join(errors)
    terms = selection_terms(built)
    return "; ".join(f"{label}: {value}" for label, value in terms) or str(_("All events"))


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("confirmed", _("confirmed")), ("unconfirmed", _("unconfirmed")), ("deactivated", _("deactivated"))]

    def queryset(self, request, queryset):
        if self.value() == "confirmed":
            return queryset.confirmed()
        if self.value() == "unconfirmed":
            return queryset.unconfirmed()
        if self.value() == "deactivated":
            return queryset.filter(deactivated_at__isnull=False)
        return queryset


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("created_at", "status", "new_count", "changed_count", "sent_at", "error")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-created_at",)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("masked_address", "selection_shown", "language", "frequency", "state", "last_sent_at", "failures")
    list_filter = (StateFilter, "frequency", "language")
    readonly_fields = (
        "masked_address",
        "selection_shown",
        "language",
        "frequency",
        "requested_at",
        "confirmed_at",
        "covered_until",
        "last_sent_at",
        "failures",
        "deactivated_at",
    )
    inlines = (DeliveryInline,)
    list_per_page = 50
    show_full_result_count = False

    def sees_addresses(self, request) -> bool:
        return request.user.has_perm(ADDRESS_PERMISSION)

    def get_search_fields(self, request):
        # Searching by address would tell anyone who may look whether an address is subscribed.
        return ("email",) if self.sees_addresses(request) else ()

    def get_list_display(self, request):
        return self._with_address(request, super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self._with_address(request, super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def _with_address(self, request, names):
        """Editors see the address itself where the others see it masked."""
        if not self.sees_addresses(request):
            return names
        return tuple("email" if name == "masked_address" else name for name in names)

    def get_actions(self, request):
        return super().get_actions(request) if self.sees_addresses(request) else {}

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("e-mail address"))
    def masked_address(self, obj: Subscription) -> str:
        return masked(obj.email)

    @admin.display(description=_("selection"))
    def selection_shown(self, obj: Subscription) -> str:
        return described(obj.selection)

    @admin.display(description=_("state"))
    def state(self, obj: Subscription) -> str:
        if obj.deactivated_at:
            return str(_("deactivated"))
        return str(_("confirmed") if obj.confirmed_at else _("unconfirmed"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "selections_url": reverse("admin:subscriptions_selections")}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.selections_view)
        return [path("selections/", view, name="subscriptions_selections"), *super().get_urls()]

    def selections_view(self, request):
        """How many subscribe to each selection: the figures, never the addresses."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        confirmed = Q(confirmed_at__isnull=False, deactivated_at__isnull=True)
        rows = (
            Subscription.objects.values("selection")
            .annotate(
                confirmed=Count("pk", filter=confirmed),
                weekly=Count("pk", filter=confirmed & Q(frequency=Subscription.Frequency.WEEKLY)),
                monthly=Count("pk", filter=confirmed & Q(frequency=Subscription.Frequency.MONTHLY)),
                unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
                deactivated=Count("pk", filter=Q(deactivated_at__isnull=False)),
            )
            .order_by("-confirmed", "selection")
        )
        selections = [{**row, "shown": described(row["selection"])} for row in rows]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Subscriptions by selection"),
            "selections": selections,
            "total": sum(row["confirmed"] for row in selections),
            "changelist_url": reverse("admin:subscriptions_subscription_changelist"),
        }
        return TemplateResponse(request, "admin/subscriptions/selections.html", context)
