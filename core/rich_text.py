"""The one HTML sanitiser of the portal: staff and imported text allows a small safe subset.

Rich fields (descriptions and bodies, the ``rich`` fields of the content registry) are sanitised when saved,
in every language, and again when rendered; the admin edits them with a small
toolbar (``RichTextarea``, ``static/admin-editor/``) that needs no internet. Every
other text is plain and escaped by the templates.
"""

import nh3
from django import forms
from django.db.models.signals import pre_save
from django.utils.html import escape, format_html, format_html_join, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.registry import Content, content_connect, content_for, on_bulk_prepare, on_content_registered

ALLOWED_TAGS = {"p", "br", "h2", "h3", "ul", "ol", "li", "strong", "em", "b", "i", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
BLOCK_TAGS = ("<p", "<h2", "<h3", "<ul", "<ol", "<blockquote")


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def is_html(text: str) -> bool:
    return "<" in text and ">" in text


def clean_rich(text: str | None) -> str | None:
    """What a rich field stores: HTML sanitised (loose lines become paragraphs); plain text as typed."""
    if not text or not is_html(text):
        return text
    if not any(tag in text.lower() for tag in BLOCK_TAGS):
        text = linebreaks(text)
    return sanitise(text)


def render_rich(text: str) -> SafeString:
    """HTML bodies are sanitised; plain text becomes escaped paragraphs."""
    if is_html(text):
        return mark_safe(sanitise(text))  # noqa: S308 — sanitised just above
    return mark_safe(linebreaks(escape(text)))  # noqa: S308 — escaped just above


def safe_url(url: str | None) -> str:
    """``url`` if it is a web address (http, https), else nothing: never ``javascript:`` in an href."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def rich_field_names(model) -> tuple[str, ...]:
    entry = content_for(model)
    return entry.rich if entry else ()


def _sanitise_on_save(sender, instance, raw=False, **kwargs) -> None:
    names = rich_field_names(sender)
    for field in sender._meta.concrete_fields:
        base = getattr(getattr(field, "translated_field", None), "name", field.name)
        if base in names:
            setattr(instance, field.attname, clean_rich(getattr(instance, field.attname)))


@on_content_registered
def _connect(entry: Content) -> None:
    if entry.rich:
        content_connect(pre_save, _sanitise_on_save, entry, "rich-text")


@on_bulk_prepare
def _sanitise_in_bulk(entry: Content, records) -> None:
    for record in records if entry.rich else ():
        _sanitise_on_save(entry.model, record)


class RichTextarea(forms.Textarea):
    """A textarea with a small toolbar above it for the allowed tags; without JavaScript, a plain textarea.

    The toolbar is written here, in the language of the page (the script only wires it up), and stays
    hidden until the script shows it.
    """

    BUTTONS = (
        ("P", "p", _("Paragraph")),
        ("H2", "h2", _("Heading")),
        ("H3", "h3", _("Subheading")),
        ("B", "strong", _("Bold")),
        ("I", "em", _("Italic")),
        ("•", "ul", _("Bulleted list")),
        ("1.", "ol", _("Numbered list")),
        ("URL", "a", _("Link")),
    )

    class Media:
        css = {"all": ["admin-editor/editor.css"]}
        js = ["admin-editor/editor.js"]

    def __init__(self, attrs=None):
        super().__init__({"data-rich-text": "true", "rows": 12, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        buttons = format_html_join(
            "",
            '<button type="button" data-tag="{}" title="{}" aria-label="{}">{}</button>',
            ((tag, label, label, text) for text, tag, label in self.BUTTONS),
        )
        toolbar = format_html(
            '<div class="rich-toolbar" role="toolbar" aria-label="{}" data-link-prompt="{}" data-item="{}" hidden>'
            "{}</div>",
            _("Formatting"),
            _("Link address (https://…)"),
            _("Item"),
            buttons,
        )
        return format_html('<div class="rich-text">{}{}</div>', toolbar, super().render(name, value, attrs, renderer))


class RichTextAdminMixin:
    """Gives the rich fields of a model admin (and of its inlines) the toolbar widget."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        base = getattr(getattr(db_field, "translated_field", None), "name", db_field.name)
        if base in rich_field_names(self.model):
            kwargs["widget"] = RichTextarea
        return super().formfield_for_dbfield(db_field, request, **kwargs)
