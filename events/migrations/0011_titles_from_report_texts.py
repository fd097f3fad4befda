"""Events read from a report keep their sentence as the text of the report and get a short title.

Until now an event's title was the report's sentence. For each event with a report year and no
text of the report yet, the sentence (in every language) moves to ``report_text``, the Russian
title is derived from it as an import derives it, flagged for review, and the partners the event
has are recorded as those it is reported under. ``load_seed`` then writes the seed's own titles
over the seeded events (and clears their flag) and links the partners their texts name.
"""

from django.db import migrations
from django.db.models import Q

LANGUAGES = ("ru", "en", "vi")


def forwards(apps, schema_editor):
    from events.report.titles import title_from_report

    Event = apps.get_model("events", "Event")
    untouched = Q(report_text_ru="") | Q(report_text_ru__isnull=True)
    events = Event.objects.filter(untouched, report_year__isnull=False).exclude(title_ru="")
    for event in events.prefetch_related("partners").iterator(chunk_size=500):
        for code in LANGUAGES:
            setattr(event, f"report_text_{code}", getattr(event, f"title_{code}") or "")
        event.report_text = event.report_text_ru
        event.title_ru = event.title = title_from_report(event.report_text_ru, year=event.report_year)
        event.title_needs_review = True
        fields = ["title", "title_ru", "title_needs_review", "report_text", *(f"report_text_{c}" for c in LANGUAGES)]
        event.save(update_fields=fields)
        event.reported_under.set(event.partners.all())


def backwards(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.exclude(report_text_ru="").exclude(report_text_ru__isnull=True).iterator(chunk_size=500):
        for code in LANGUAGES:
            text = getattr(event, f"report_text_{code}")
            if text:
                setattr(event, f"title_{code}", text)
        event.title = event.title_ru
        event.save(update_fields=["title", *(f"title_{c}" for c in LANGUAGES)])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0010_report_text_and_rows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
