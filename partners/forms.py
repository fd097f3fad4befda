"""The partner's admin form: a partner entered without coordinates is placed by the gazetteer."""

from __future__ import annotations

from core.partial_date_forms import PartialDateModelForm
from partners.gazetteer import Place, gazetteer
from partners.models import Partner


class PartnerAdminForm(PartialDateModelForm):
    """Empty coordinates are filled in from the gazetteer (``partners.gazetteer``) within the partner's country,
    before the model's validation asks for them in a published partner; ``place`` says which city it was."""

    place: Place | None = None

    def clean(self):
        data = super().clean()
        country = data.get("country")
        if country is None or data.get("latitude") is not None or data.get("longitude") is not None:
            return data
        names = [data.get(f"name_{code}") or "" for code in ("ru", "en", "vi")] + list(data.get("aliases") or [])
        government = data.get("kind") == Partner.Kind.GOVERNMENT
        found = gazetteer().locate(names, country.code, government=government)
        if found and not found[0].approximate:
            self.place = found[0]
            data["latitude"], data["longitude"] = self.place.coordinates
        return data
