"""Small factories for test data (never the seed content)."""

import itertools

from events.models import Event
from partners.models import Agreement, Country, Milestone, Partner, PartnerStatus, Region
from societies.models import Society

_counter = itertools.count(1)


def make_region(**fields) -> Region:
    n = next(_counter)
    defaults = {"code": f"region-{n}", "name_ru": f"Регион {n}", "name_en": f"Region {n}", "name_vi": f"Vùng {n}"}
    return Region.objects.create(**{**defaults, **fields})


def make_country(**fields) -> Country:
    n = next(_counter)
    code = fields.pop("code", None) or _unused_code(n)
    region = fields.pop("region", None) or make_region()
    defaults = {"name_ru": f"Страна {n}", "name_en": f"Country {n}", "name_vi": f"Nước {n}"}
    return Country.objects.create(code=code, region=region, **{**defaults, **fields})


def _unused_code(n: int) -> str:
    """A two-letter code from the counter that no country of the test has (fixtures give real countries theirs)."""
    taken = set(Country.objects.values_list("code", flat=True))
    while (code := f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}") in taken:
        n = next(_counter)
    return code


def make_partner(**fields) -> Partner:
    n = next(_counter)
    country = fields.pop("country", None) or make_country()
    defaults = {"name_ru": f"Город {n}", "name_en": f"City {n}", "name_vi": f"Thành phố {n}"}
    partner = Partner(country=country, **{**defaults, **fields})
    partner.save()
    return partner


def make_agreement(partner: Partner, **fields) -> Agreement:
    defaults = {"title_ru": "Соглашение о партнёрстве", "title_en": "Partnership agreement", "title_vi": "Hiệp định"}
    return Agreement.objects.create(partner=partner, **{**defaults, **fields})


def make_event(*, partners=(), societies=(), start="2024-07-03", end=None, **fields) -> Event:
    n = next(_counter)
    defaults = {"title_ru": f"Визит делегации {n}", "title_en": f"Delegation visit {n}", "title_vi": f"Chuyến thăm {n}"}
    event = Event(**{**defaults, **fields})
    event.start = start
    event.end = end
    event.save()
    event.partners.set(partners)
    event.societies.set(societies)
    return event


def make_society(*, countries=(), **fields) -> Society:
    n = next(_counter)
    defaults = {
        "name_ru": f"Общество дружбы {n}",
        "name_en": f"Friendship society {n}",
        "name_vi": f"Hội hữu nghị {n}",
        "kind": Society.Kind.FRIENDSHIP_SOCIETY,
    }
    society = Society.objects.create(**{**defaults, **fields})
    society.countries.set(countries)
    return society


def make_milestone(agreement: Agreement, date: str, **fields) -> Milestone:
    milestone = Milestone(agreement=agreement, **fields)
    milestone.date = date
    milestone.save()
    return milestone


def make_status(partner: Partner, status: str, date: str, **fields) -> PartnerStatus:
    """A status entry, sourced unless ``source_ru=""`` is given."""
    defaults = {
        "source_ru": "Записка Комитета",
        "source_en": "Note of the Committee",
        "source_vi": "Ghi chú của Ủy ban",
    }
    entry = PartnerStatus(partner=partner, status=status, **{**defaults, **fields})
    entry.date = date
    entry.save()
    return entry
