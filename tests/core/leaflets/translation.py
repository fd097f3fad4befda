from modeltranslation.translator import TranslationOptions, register

from core.history import track_history
from tests.core.leaflets.models import Leaflet


@register(Leaflet)
class LeafletTranslation(TranslationOptions):
    fields = ("title", "body")


track_history(Leaflet)
