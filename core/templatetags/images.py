from django import template
from django.utils.html import format_html, format_html_join

from core.i18n import text_in_language
from core.images import image_field_name, renditions

register = template.Library()


@register.simple_tag
def responsive_image(obj, sizes: str = "(max-width: 40em) 100vw, 40em", css_class: str = "record-image"):
    """``{% responsive_image partner %}``: the record's image with its renditions and translated alt text.

    The image leads its detail page, in or near the first screen, and is most often the
    largest thing painted there: it is fetched early and eagerly, not lazily.
    """
    name = image_field_name(obj)
    field_file = getattr(obj, name)
    sizes_list = renditions(field_file, getattr(obj, f"{name}_width", None))
    if not sizes_list:
        return ""
    srcset = format_html_join(", ", "{} {}w", ((item.url, item.width) for item in sizes_list))
    alt, _language = text_in_language(obj, "image_alt")
    return format_html(
        '<img class="{}" src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" fetchpriority="high">',
        css_class,
        sizes_list[-1].url,
        srcset,
        sizes,
        alt,
        getattr(obj, f"{name}_width"),
        getattr(obj, f"{name}_height"),
    )
