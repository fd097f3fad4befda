"""The generated Russian report is valid input for the import: the seed's 2020 and 2024 survive a round trip.

Exported from the seed, imported into a site that has only the regions and countries, the
table gives back the same partners (country, name, date of ties), their agreements (titles
and steps: dates, precisions, labels) and the year's events (partners, exact dates, the
report's sentences: the table holds those, not the titles written for the site).
Imported into the site it came from, it creates nothing. What the import guesses rather than
reads — a partner's kind, an agreement's kind and party, an event's kind and place — is not
in the table, so it is not compared; nor is the case of an event title's first letter, which
the import capitalises.
"""

import io

import pytest
from django.core.management import call_command

from events.models import Event
from events.report.export.content import ReportScope, report_partners
from events.report.export.service import yearly_report
from events.report.service import report_import
from partners.models import Agreement, Partner

pytestmark = pytest.mark.usefixtures("english")


def export(year: int, file_format: str) -> bytes:
    out = io.BytesIO()
    yearly_report(year=year, language="ru", file_format=file_format, out=out)
    return out.getvalue()


def _words(text: str) -> str:
    return " ".join(text.split())


def _title(text: str) -> str:
    text = _words(text)
    return text[:1].lower() + text[1:]


def state(year: int, partners) -> dict:
    """What the table of ``year`` holds, as comparable values."""
    partners = Partner.objects.filter(pk__in=partners.values("pk")).select_related("country")
    agreements = Agreement.objects.filter(partner__in=partners).prefetch_related("milestones")
    events = Event.objects.in_year(year).filter(partners__in=partners).distinct().prefetch_related("partners__country")
    name = {partner.pk: (partner.country.code, partner.name_ru) for partner in partners}
    return {
        "partners": sorted((*name[p.pk], str(p.ties_since)) for p in partners),
        "agreements": sorted(
            (
                *name[agreement.partner_id],
                agreement.position,
                _words(agreement.title_ru),
                tuple((str(m.date), m.label_ru) for m in agreement.milestones.all()),
            )
            for agreement in agreements
        ),
        "events": sorted(
            (
                # Among the partners the table lists: a partner an event's text names, but that the
                # year's table does not list, is not in the table to come back.
                tuple(sorted(name[p.pk] for p in event.partners.all() if p.pk in name)),
                event.period.isoformat(),
                _title(event.report_text_ru or event.title_ru),
            )
            for event in events
        ),
    }


def empty_the_site() -> None:
    """Everything but the regions and countries, which an import needs to exist."""
    Event.objects.all().delete()
    Partner.objects.all().delete()


@pytest.mark.parametrize("year", [2020, 2024])
@pytest.mark.parametrize("file_format", ["docx", "xlsx"])
def test_the_seed_year_survives_a_round_trip(db, year, file_format):
    call_command("load_seed", verbosity=0)
    listed = report_partners(ReportScope(year, "ru"))
    before = state(year, listed)
    assert len(before["events"]) == Event.objects.filter(report_year=year).count()
    data = export(year, file_format)

    again = report_import(data=data, filename=f"report.{file_format}", year=year)
    assert again.created_nothing and not again.plan.not_understood and not again.plan.unmatched

    empty_the_site()
    outcome = report_import(data=data, filename=f"report.{file_format}", year=year, create_missing=True)
    assert not outcome.plan.not_understood
    after = state(year, Partner.objects.all())
    for part in ("partners", "agreements", "events"):
        assert after[part] == before[part], part
