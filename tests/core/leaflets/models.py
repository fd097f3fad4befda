from django.db import models

from core.translation_status import TextEditsModel


class Leaflet(TextEditsModel):
    title = models.CharField("title", max_length=200)
    body = models.TextField("body", blank=True)
    is_published = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/leaflets/{self.pk}/"
