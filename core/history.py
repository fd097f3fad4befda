"""Who changed what and when, field by field, for every content model (django-simple-history).

The historical models are registered here, after modeltranslation has added the
``_ru/_en/_vi`` columns, so that every language's text is recorded; each app's
``translation.py`` calls ``track_history`` right after registering its translations.
The admin shows the history and restores an earlier version (``SimpleHistoryAdmin``).
"""

from __future__ import annotations

import simple_history
from django.db import models

UNTRACKED = ("updated_at", "text_edited_at")


def track_history(*model_classes: type[models.Model]) -> None:
    for model in model_classes:
        names = {field.name for field in model._meta.get_fields()}
        simple_history.register(model, excluded_fields=[name for name in UNTRACKED if name in names])
