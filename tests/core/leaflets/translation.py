from modeltranslation.translator import TranslationOptions, register

from tests.core.leaflets.models import Leaflet


@register(Leaflet)
class LeafletTranslation(TranslationOptions):
    fields = ("title", "body")
