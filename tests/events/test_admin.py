"""The events admin in daily use: the import summary, the preview row action."""

import re

import pytest
from django.urls import reverse

from events.models import ReportImport
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_the_import_summary_is_a_table_not_json(staff_client):
    counts = {
        "partners": 38,
        "partners_matched": 36,
        "partners_new": 2,
        "agreements": 5,
        "agreements_new": 1,
        "events": 90,
        "events_new": 4,
        "items_not_understood": 3,
        "partners_created": 2,
        "agreements_created": 1,
        "events_created": 4,
        "drafts_published": 7,
    }
    record = ReportImport.objects.create(year=2024, file_sha256="0" * 64, counts=counts)
    page = staff_client.get(reverse("admin:events_reportimport_change", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.text
    assert '"partners_new"' not in html and "{&quot;" not in html  # no raw JSON
    table = html[html.index('class="import-summary"') : html.index("</table>", html.index('class="import-summary"'))]
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table)]
    assert cells[:5] == ["", "In the report", "Found in the portal", "New", "Created"]
    assert cells[5:10] == ["Partners", "38", "36", "2", "2"]
    assert cells[10:15] == ["Agreements", "5", "—", "1", "1"]
    assert cells[15:20] == ["Events", "90", "—", "4", "4"]
    assert cells[20:22] == ["Items not understood", "3"]
    assert cells[22:] == ["Drafts published", "7"]  # a figure the table does not know yet, still shown


def test_the_preview_row_action_comes_right_after_the_title(staff_client):
    event = make_event(is_published=False)
    page = staff_client.get(reverse("admin:events_event_changelist")).text
    row = page[page.index(f'value="{event.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'class="(field-[a-z_]+)', row)
    assert cells[:2] == ["field-__str__", "field-preview_link"]
    assert reverse("admin:events_event_preview", args=[event.pk]) in row
