"""Guessing an event's kind and place, and an agreement's kind and party, from the text.

Rules are a table of patterns; the one that matches earliest in the text wins, so
«визит делегации … для участия в выставке» is a visit and «прошла выставка, на которую
приехала делегация» an exhibition. Staff correct the rare miss in the admin.
"""

from __future__ import annotations

import re

from events.models import Event
from partners.models import Agreement

Kind = Event.Kind
Place = Event.Place

_VISIT = r"визит|делегаци|миссия|посетил|посетили|стажировк"
_OUTGOING = re.compile(
    r"делегаци\w* (?:из )?(?:санкт-петербурга|спб|законодательного собрания санкт-петербурга|"
    r"онкологического центра|[^.]{0,60}?санкт-петербурга (?:в|во|на) )|миссия санкт-петербурга|"
    r"визит в (?!санкт-петербург)|визит представителей [^.]{0,40}санкт-петербурга|делегация санкт-петербурга",
    re.IGNORECASE,
)
_EVENT_RULES: tuple[tuple[str, str], ...] = (
    (r"\bвкс\b|видеоконференц|видеосвяз|онлайн-встреч", Kind.VIDEO),
    (_VISIT, Kind.INCOMING),  # direction decided below
    (r"выставк|экспозици", Kind.EXHIBITION),
    (r"фестивал|недел[яи] |дни санкт-петербурга|дней санкт-петербурга|праздн|маслениц", Kind.FESTIVAL),
    (r"форум|конференц|круглый стол|круглого стола|семинар|совещани|заседани|съезд|симпозиум|встреч|совет", Kind.FORUM),
    (r"концерт|спектакл|гастрол|выступлени|театральн", Kind.CONCERT),
    (r"гуманитарн\w+ помощ|гуманитарн\w+ груз", Kind.AID),
    (r"памят|мемориал|возложени|годовщин|увековеч|просветительск", Kind.MEMORIAL),
    (r"подписан\w* (?:соглашени|меморандум|договор|протокол|план|«?дорожн)", Kind.AGREEMENT),
)
_SPB = re.compile(
    r"в санкт-петербург|в спб\b|в петербург|эрмитаж|этнографическом музее|музее обороны и блокады|"
    r"«300-летия санкт-петербурга»",
    re.IGNORECASE,
)
_ABROAD = re.compile(r"\bв гг?\. |\bв городах |за рубеж|на кубе", re.IGNORECASE)


def event_kind(text: str) -> str:
    earliest: tuple[int, str] | None = None
    for pattern, kind in _EVENT_RULES:
        match = re.search(pattern, text, re.IGNORECASE)
        if match and (earliest is None or match.start() < earliest[0]):
            earliest = (match.start(), kind)
    if earliest is None:
        return Kind.OTHER
    kind = earliest[1]
    if kind == Kind.INCOMING and _OUTGOING.search(text):
        return Kind.OUTGOING
    return kind


def event_place(text: str, kind: str) -> str:
    if kind == Kind.VIDEO:
        return Place.ONLINE
    if kind == Kind.INCOMING:
        return Place.SPB
    if kind == Kind.OUTGOING:
        return Place.ABROAD
    if _SPB.search(text):
        return Place.SPB
    if _ABROAD.search(text):
        return Place.ABROAD
    return Place.UNKNOWN


_AGREEMENT_KINDS = (
    (r"дорожн\w+ карт", Agreement.Kind.ROAD_MAP),
    (r"побратим", Agreement.Kind.TWINNING),
    (r"протокол", Agreement.Kind.PROTOCOL),
    (r"меморандум", Agreement.Kind.MEMORANDUM),
    (r"декларац", Agreement.Kind.DECLARATION),
    (r"программ", Agreement.Kind.PROGRAMME),
    (r"решени\w+ совета", Agreement.Kind.COUNCIL_DECISION),
    (r"соглашени|договор", Agreement.Kind.AGREEMENT),
    (r"установлени\w+ связей", Agreement.Kind.TIES),
)
_PARTIES = (
    (r"законодательн\w+ собрани\w+ санкт-петербурга", Agreement.Party.LEGISLATIVE_ASSEMBLY),
    (r"администраци\w+ \w+ района санкт-петербурга|района санкт-петербурга", Agreement.Party.DISTRICT),
    (r"правительств\w+ санкт-петербурга", Agreement.Party.GOVERNMENT),
    (r"администраци\w+ (?:города )?санкт-петербурга|мэри\w+ санкт-петербурга", Agreement.Party.ADMINISTRATION),
    (r"комитет\w* по", Agreement.Party.COMMITTEE),
    (r"санкт-петербург", Agreement.Party.CITY),
)
_VALIDITY = re.compile(r"на\s+(\d{4})\s*[-–—]\s*(\d{4})\s*(?:гг\.|годы)")


def agreement_kind(title: str) -> str:
    for pattern, kind in _AGREEMENT_KINDS:
        if re.search(pattern, title, re.IGNORECASE):
            return kind
    return Agreement.Kind.OTHER


def agreement_party(title: str) -> str:
    for pattern, party in _PARTIES:
        if re.search(pattern, title, re.IGNORECASE):
            return party
    return Agreement.Party.GOVERNMENT


def agreement_validity(title: str) -> tuple[int | None, int | None]:
    """«… на 2021- 2023 гг.» → (2021, 2023)."""
    match = _VALIDITY.search(title)
    if not match or int(match[2]) < int(match[1]):
        return None, None
    return int(match[1]), int(match[2])
