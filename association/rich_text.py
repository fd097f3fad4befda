"""The one HTML sanitiser of the portal: staff and imported text allows a small safe subset."""

import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "h2", "h3", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_rich(text: str) -> SafeString:
    """HTML bodies are sanitised; plain text becomes escaped paragraphs."""
    if "<" in text and ">" in text:
        return mark_safe(sanitise(text))  # noqa: S308 — sanitised just above
    return mark_safe(linebreaks(escape(text)))  # noqa: S308 — escaped just above
