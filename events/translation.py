from modeltranslation.translator import TranslationOptions, register

from core.history import track_history
from events.models import Event


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "report_text", "description", "image_alt")
    required_languages = ("ru",)


# After the translations, so that the history records every language.
track_history(Event)
