"""Pagination of the public lists: a page number that is not a number, or past the end, shows
the nearest real page instead of a 404 (shared links outlive the data they were made on)."""

from urllib.parse import urlencode


class LenientPaginationMixin:
    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


def selection_querystring(filterset) -> str:
    """The valid filter values of a bound filterset, for links to other pages of the same selection."""
    filterset.form.is_valid()
    errors = filterset.form.errors
    return urlencode(
        [(key, value) for key, value in filterset.data.items() if value and key != "page" and key not in errors]
    )
