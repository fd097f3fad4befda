"""The site search page: one form, the best matches of each kind (see ``core.search``)."""

from urllib.parse import urlencode

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.search import MAX_QUERY, has_terms, search, suggest


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class SearchView(TemplateView):
    template_name = "association/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm({"q": self.request.GET.get("q", "")})
        text = form.cleaned_data["q"].strip() if form.is_valid() else ""
        language = translation.get_language()
        groups = search(text, language) if has_terms(text) else []
        total = sum(group.count for group in groups)
        context.update(form=form, query=text, groups=groups, total=total, more=any(group.more for group in groups))
        # Nothing found: perhaps a typo in a name («Shanghia»). Offer the corrected search.
        if has_terms(text) and not groups and (suggestion := suggest(text, language)):
            context.update(suggestion=suggestion, suggestion_url=f"{self.request.path}?{urlencode({'q': suggestion})}")
        return context
