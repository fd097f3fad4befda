from django import template

register = template.Library()


@register.filter
def dormant_before(partner, year: int) -> bool:
    """``{% if partner|dormant_before:dormant_before %}``: nothing recorded since ``year``."""
    return partner.is_dormant(year)
