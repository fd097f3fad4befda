"""The subscription pages: subscribe, confirm, manage and leave. None of them is ever cached.

The events list (and the partner, country and society pages) carry a plain GET form that
leads here with the selection in the query string, so those pages stay cacheable; the
subscribe page reads the selection with the list's own ``event_selection`` and holds the
CSRF-protected POST form. Every other page is reached by a signed link from an e-mail.
"""

from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from events.filters import EventFilter
from events.selection import event_selection, stored_selection
from subscriptions.forms import ChangeForm, SubscribeForm, tainted
from subscriptions.models import CONFIRMATION_DAYS, Subscription
from subscriptions.selections import (
    InvalidSelection,
    selection_errors,
    selection_filters,
    selection_terms,
    selection_text,
)
from subscriptions.services import (
    AlreadyExists,
    MailUnavailable,
    RateLimited,
    subscription_change,
    subscription_confirm,
    subscription_delete,
    subscription_for_link,
    subscription_request,
)
from subscriptions.tokens import CONFIRM, MANAGE, InvalidLink, token_make, token_read

EXTRA = {"section": "events", "confirmation_days": CONFIRMATION_DAYS}


def invalid_link(request: HttpRequest, error: InvalidLink) -> HttpResponse:
    status = 400 if error.reason == InvalidLink.FORGED else 410
    return render(request, "subscriptions/invalid_link.html", {**EXTRA, "message": error.message}, status=status)


def list_url(selection: str) -> str:
    return reverse("events:list") + (f"?{selection}" if selection else "")


@method_decorator(never_cache, name="dispatch")
class SubscribeView(View):
    """The form for the selection named by the query string, as the events list names it."""

    def context(self, form: SubscribeForm) -> dict:
        selection = event_selection(self.request)
        context = {**EXTRA, "form": form, "selection_errors": [], "selection": "", "terms": []}
        try:
            if tainted(self.request.GET):
                raise InvalidSelection([_("The selection holds characters that are not allowed.")])
            context["selection"] = selection_text(selection)
        except InvalidSelection as error:
            context["selection_errors"] = error.messages
        else:
            context["terms"] = selection_terms(selection)
        context["list_url"] = list_url(context["selection"])
        return context

    def get(self, request):
        frequency = request.GET.get("frequency")
        initial = {"frequency": frequency} if frequency in Subscription.Frequency.values else {}
        context = self.context(SubscribeForm(initial=initial))
        status = 400 if context["selection_errors"] else 200
        return render(request, "subscriptions/subscribe.html", context, status=status)

    def post(self, request):
        form = SubscribeForm(request.POST)
        context = self.context(form)
        if context["selection_errors"] or not form.is_valid():
            return render(request, "subscriptions/subscribe.html", context, status=400)
        try:
            subscription_request(
                email=form.cleaned_data["email"],
                selection=context["selection"],
                frequency=form.cleaned_data["frequency"],
                language=get_language(),
                client=get_client_ip_address(request) or "",
            )
        except RateLimited:
            context["refusal"] = _("Too many requests for this address or from your connection. Try again in an hour.")
            return render(request, "subscriptions/subscribe.html", context, status=429)
        except MailUnavailable:
            context["refusal"] = _("The confirmation could not be sent just now. Nothing was saved: try again later.")
            return render(request, "subscriptions/subscribe.html", context, status=503)
        return redirect("subscriptions:requested")


class RequestedView(TemplateView):
    """The same answer for every address: new, waiting for confirmation or already subscribed."""

    template_name = "subscriptions/requested.html"
    extra_context = EXTRA


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """The link of the confirmation mail shows a button: mail scanners that open links confirm nothing."""

    def get(self, request, token: str):
        try:
            subscription = subscription_for_link(token=token, purpose=CONFIRM)
        except InvalidLink as error:
            return invalid_link(request, error)
        context = {**EXTRA, "subscription": subscription, **_described(subscription)}
        return render(request, "subscriptions/confirm.html", context)

    def post(self, request, token: str):
        try:
            subscription = subscription_confirm(token=token)
        except InvalidLink as error:
            return invalid_link(request, error)
        messages.success(request, _("Your subscription is confirmed. The first digest comes with the next new events."))
        return redirect("subscriptions:manage", token=token_make(subscription, MANAGE))


def _described(subscription: Subscription) -> dict:
    selection = stored_selection(subscription.selection)
    errors = selection_errors(selection)
    return {
        "selection": selection,
        "terms": [] if errors else selection_terms(selection),
        "selection_errors": errors,
        "list_url": list_url(subscription.selection),
    }


@method_decorator(never_cache, name="dispatch")
class ManageView(View):
    """From any mail's link, no account: change how often, change the selection, or leave."""

    def get(self, request, token: str):
        try:
            subscription = subscription_for_link(token=token, purpose=MANAGE)
        except InvalidLink as error:
            return invalid_link(request, error)
        return self.render(subscription, token, ChangeForm(initial={"frequency": subscription.frequency}))

    def post(self, request, token: str):
        try:
            subscription = subscription_for_link(token=token, purpose=MANAGE)
        except InvalidLink as error:
            return invalid_link(request, error)
        form = ChangeForm(request.POST)
        chosen = {key: request.POST.get(key) for key in selection_filters() if request.POST.get(key)}
        selection = stored_selection(urlencode(chosen))
        try:
            text = selection_text(selection) if form.is_valid() else None
        except InvalidSelection as error:
            return self.render(subscription, token, form, errors=error.messages, chosen=selection, status=400)
        if text is None:
            return self.render(subscription, token, form, chosen=selection, status=400)
        try:
            subscription_change(subscription=subscription, frequency=form.cleaned_data["frequency"], selection=text)
        except AlreadyExists:
            errors = [_("This address already receives that selection.")]
            return self.render(subscription, token, form, errors=errors, chosen=selection, status=400)
        messages.success(request, _("Your subscription is changed."))
        return redirect("subscriptions:manage", token=token)

    def render(self, subscription, token, form, *, errors=(), chosen: EventFilter | None = None, status=200):
        described = _described(subscription)
        chooser = chosen or described["selection"]
        chooser.offer_choices()
        context = {
            **EXTRA,
            **described,
            "subscription": subscription,
            "form": form,
            "chooser": chooser,
            "change_errors": list(errors),
            "unsubscribe_url": reverse("subscriptions:unsubscribe", kwargs={"token": token}),
        }
        return render(self.request, "subscriptions/manage.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """One click leaves: the button of the page, or a mail program's one-click POST (RFC 8058).

    The one-click POST comes with no cookie and no CSRF token, by design of RFC 8058; the
    signed link is what authorises it, and it can only delete the subscription it names.
    """

    def get(self, request, token: str):
        try:
            subscription = subscription_for_link(token=token, purpose=MANAGE)
        except InvalidLink as error:
            return invalid_link(request, error)
        context = {**EXTRA, "subscription": subscription, **_described(subscription)}
        return render(request, "subscriptions/unsubscribe.html", context)

    def post(self, request, token: str):
        try:
            subscription_id = token_read(token, MANAGE)
        except InvalidLink as error:
            return invalid_link(request, error)
        subscription_delete(subscription_id=subscription_id)
        return render(request, "subscriptions/unsubscribed.html", EXTRA)
