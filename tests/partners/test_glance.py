"""The partnership at a glance: a sentence and a chart of events per year with the agreements' dates."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.partial_dates import PartialDate
from partners.glance import LEFT, MAX_TICKS, RIGHT, YearCount, partnership_glance, year_chart
from partners.models import Partner, agreements_with_milestones
from tests.factories import make_agreement, make_event, make_milestone, make_partner, make_status


def percent(value: str) -> float:
    return float(value)


def test_the_chart_runs_from_the_earliest_to_the_latest_year_and_a_year_without_events_is_a_zero():
    per_year = [YearCount(2020, 3), YearCount(2021, 0), YearCount(2022, 0), YearCount(2023, 0), YearCount(2024, 6)]
    chart = year_chart(per_year, [("ties", PartialDate(1956), "1956"), ("agreement", PartialDate(1993, 6, 8), "")])
    assert (chart.first_year, chart.last_year, chart.peak) == (1956, 2024, 6)
    bars = {bar.year: bar for bar in chart.bars}
    assert sorted(bars) == [2020, 2021, 2022, 2023, 2024]
    assert bars[2024].height == 2 * bars[2020].height  # proportional to the counts
    assert bars[2021].count == 0 and 0 < bars[2021].height <= 2  # a sliver on the line: a zero, not a gap
    assert all(percent(bar.x) >= LEFT and percent(bar.x) + percent(bar.width) <= RIGHT for bar in chart.bars)
    ties, signed = chart.marks
    assert percent(ties.x) < percent(signed.x) < percent(bars[2020].x)
    years = [tick.year for tick in chart.ticks]
    assert years[0] == 1956 and years[-1] == 2024 and len(years) <= MAX_TICKS
    assert not chart.counts_shown  # 69 years: the peak is labelled, not every bar


def test_a_short_chart_labels_every_bar_and_places_a_dated_mark_within_its_year():
    chart = year_chart([YearCount(2020, 1), YearCount(2021, 2)], [("agreement", PartialDate(2021, 12), "")])
    assert chart.counts_shown
    (mark,) = chart.marks
    december = percent(mark.x)
    assert percent(chart.bars[1].centre) < december < RIGHT


def test_nothing_to_draw_gives_no_chart():
    assert year_chart([], []) is None


def glance_of(partner, language="en"):
    partner = Partner.objects.prefetch_related(agreements_with_milestones()).get(pk=partner.pk)
    events = list(partner.events.order_by("-start_on"))
    with translation.override(language):
        return partnership_glance(partner, events, language)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("events", "agreements", "ru", "vi"),
    [
        (1, 1, ["1 соглашение", "1 мероприятие за 2024 г."], ["1 thỏa thuận", "1 sự kiện được ghi nhận năm 2024"]),
        (3, 2, ["2 соглашения", "3 мероприятия за 2022–2024 гг."], ["2 thỏa thuận", "3 sự kiện"]),
        (5, 5, ["5 соглашений", "5 мероприятий за 2020–2024 гг."], ["5 thỏa thuận", "5 sự kiện"]),
        (21, 0, ["соглашений не записано", "21 мероприятие за 2004–2024 гг."], ["chưa ghi nhận thỏa thuận nào"]),
    ],
)
def test_the_summary_counts_with_the_languages_plurals(events, agreements, ru, vi):
    partner = make_partner(ties_since="1956")
    for n in range(agreements):
        make_milestone(make_agreement(partner), f"{1990 + n}")
    for n in range(events):
        make_event(partners=[partner], start=f"{2024 - n}-03-01", report_year=2024 - n)
    summary = {language: " · ".join(glance_of(partner, language).summary) for language in ("ru", "en", "vi")}
    for phrase in ru:
        assert phrase in summary["ru"]
    for phrase in vi:
        assert phrase in summary["vi"]
    assert summary["en"].startswith("ties since 1956 · ")
    assert summary["en"].endswith("last recorded activity: 2024 (Committee report 2024)")


@pytest.mark.django_db
def test_an_event_entered_by_staff_names_no_report():
    partner = make_partner()
    make_event(partners=[partner], start="2023-05-01", report_year=None)
    assert glance_of(partner).summary[-1] == "last recorded activity: 2023"


@pytest.mark.django_db
def test_a_partner_with_no_event_says_so():
    glance = glance_of(make_partner())
    assert glance.summary == ("no agreement recorded", "no event recorded")
    assert glance.chart is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_the_partner_page_draws_the_chart_with_a_text_alternative(client, language):
    partner = make_partner(ties_since="1993-06-08")
    make_milestone(make_agreement(partner), "1993-06-08", label_en="signed")
    make_milestone(make_agreement(partner), "2018", label_en="road map")
    make_event(partners=[partner], start="2020-03-01", report_year=2020)
    make_event(partners=[partner], start="2020-09-01", report_year=2020)
    make_event(partners=[partner], start="2024-03-01", report_year=2024)
    html = client.get(f"/{language}/partners/{partner.slug}/").text
    section = html[html.index('<section class="glance"') : html.index("</section>")]
    svg = section[section.index("<svg") : section.index("</svg>")]
    assert 'role="img" aria-labelledby="glance-chart-title glance-chart-desc"' in svg
    assert '<title id="glance-chart-title">' in svg and "<desc" in svg
    assert "2020: 2, 2021: 0, 2022: 0, 2023: 0, 2024: 1." in svg  # the description gives every year
    assert svg.count('class="glance-chart__bar') == 5 and svg.count("glance-chart__bar--zero") == 3
    assert svg.count('class="glance-chart__mark glance-chart__mark--agreement"') == 2
    assert "<script" not in html
    # The figures again, as a table a screen reader can walk.
    table = section[section.index("<table") : section.index("</table>")]
    assert len(re.findall(r'<th scope="row">\d{4}</th>', table)) == 5
    assert re.search(r'<th scope="row">2021</th><td>0</td>', table)
    assert f'href="/{language}/events/?partner={partner.slug}&amp;year=2020">2</a>' in table
    if language == "en":
        assert "ties established" not in section  # the milestone of that day stands for the ties
        assert "8 June 1993: signed; 2018: road map." in section


@pytest.mark.django_db
def test_the_partner_page_with_its_chart_runs_the_same_queries_whatever_the_records(client):
    counts = []
    for n in (1, 10, 50):
        partner = make_partner(ties_since="1960")
        for i in range(n):
            make_milestone(make_agreement(partner), f"{1960 + i}")
            make_event(partners=[partner], start=f"{1975 + i}-05-01", report_year=1975 + i)
            make_status(partner, "active", f"{1961 + i}")
        client.get(f"/ru/partners/{partner.slug}/")  # computes the values cached across pages (the menu…)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/ru/partners/{partner.slug}/").text
        assert len(re.findall(r'<rect class="glance-chart__bar[^"]*" x=', html)) == n
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
