"""A small but complete site built with the factories, and the page types every browser check visits."""

from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import quote

from django.utils import timezone

from association.models import NewsItem, Page, SiteSettings, TimelineEntry
from subscriptions.models import Subscription
from subscriptions.tokens import CONFIRM, MANAGE, token_make
from tests.factories import (
    make_agreement,
    make_country,
    make_event,
    make_milestone,
    make_partner,
    make_region,
    make_society,
)


def names(ru: str, en: str, vi: str, field: str = "name") -> dict:
    return {f"{field}_ru": ru, f"{field}_en": en, f"{field}_vi": vi}


def build_site() -> SimpleNamespace:
    asia = make_region(code="asia", **names("Азия", "Asia", "Châu Á"))
    europe = make_region(code="europe", **names("Европа", "Europe", "Châu Âu"))
    vietnam = make_country(code="VN", region=asia, **names("Вьетнам", "Vietnam", "Việt Nam"))
    finland = make_country(code="FI", region=europe, **names("Финляндия", "Finland", "Phần Lan"))
    hanoi = make_partner(
        country=vietnam,
        latitude=Decimal("21.0285"),
        longitude=Decimal("105.8542"),
        **names("Ханой", "Hanoi", "Hà Nội"),
        **names("Столица Вьетнама.", "The capital of Vietnam.", "Thủ đô của Việt Nam.", "description"),
    )
    saigon = make_partner(
        country=vietnam,
        latitude=Decimal("10.8231"),
        longitude=Decimal("106.6297"),
        **names("Хошимин", "Ho Chi Minh City", "Thành phố Hồ Chí Minh"),
    )
    turku = make_partner(
        country=finland,
        latitude=Decimal("60.4518"),
        longitude=Decimal("22.2666"),
        **names("Турку", "Turku", "Turku"),
    )
    agreement = make_agreement(hanoi)
    make_milestone(agreement, "1993-06-08")
    society = make_society(
        countries=[vietnam],
        **names("Общество дружбы «Россия – Вьетнам»", "Russia–Vietnam Friendship Society", "Hội hữu nghị Nga – Việt"),
    )
    hanoi_days = make_event(
        partners=[hanoi],
        societies=[society],
        start="2024-07-03",
        end="2024-07-06",
        report_year=2024,
        **names("Дни Ханоя", "Days of Hanoi", "Những ngày Hà Nội", "title"),
        **names("прошли Дни Ханоя.", "Days of Hanoi were held.", "Những ngày Hà Nội đã diễn ra.", "report_text"),
    )
    saigon_forum = make_event(
        partners=[saigon],
        start="2024-11",
        **names("Форум в Хошимине", "Forum in Ho Chi Minh City", "Diễn đàn TP HCM", "title"),
    )
    old_visit = make_event(
        partners=[hanoi], start="2023-05-10", **names("Визит 2023", "Visit of 2023", "Chuyến 2023", "title")
    )
    turku_days = make_event(
        partners=[turku], start="2024-03-01", **names("Дни Турку", "Days of Turku", "Ngày Turku", "title")
    )
    about = Page.objects.create(
        slug="about",
        position=1,
        **names("Об ассоциации", "About the Association", "Về Hiệp hội", "title"),
        **names(
            "Объединяем общества дружбы.", "We bring friendship societies together.", "Chúng tôi kết nối.", "summary"
        ),
        **names("<p>Текст.</p>", "<p>Text.</p>", "<p>Văn bản.</p>", "body"),
    )
    history = Page.objects.create(slug="history", position=2, **names("История", "History", "Lịch sử", "title"))
    TimelineEntry.objects.create(page=history, year=1958, **names("Основание", "Founded", "Thành lập", "label"))
    news = NewsItem.objects.create(
        slug="hanoi-days",
        **names("Прошли Дни Ханоя", "Days of Hanoi took place", "Những ngày Hà Nội đã diễn ra", "title"),
        **names("<p>Новость.</p>", "<p>News.</p>", "<p>Tin.</p>", "body"),
    )
    # Not translated yet: shown in Russian, with its language and a visible label, on English and Vietnamese pages.
    russian_only = make_event(
        partners=[hanoi],
        start="2025-09",
        title_ru="Визит делегации Ханоя",
        title_en="",
        title_vi="",
        description_ru="<p>Делегация посетила Дом дружбы.</p>",
    )
    contacts = SiteSettings.objects.create(
        address_ru="Санкт-Петербург, Дом дружбы", email="info@example.org", telegram_url="https://t.me/example"
    )
    requested = Subscription.objects.create(
        email="new-member@example.org",
        selection="country=VN",
        language="ru",
        frequency="weekly",
        requested_at=timezone.now(),
    )
    member = Subscription.objects.create(
        email="member@example.org",
        selection=f"society={society.slug}&kind=festival",
        language="ru",
        frequency="monthly",
        requested_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    confirm_token, manage_token = token_make(requested, CONFIRM), token_make(member, MANAGE)
    return SimpleNamespace(**locals())


LANGS = ("ru", "en", "vi")


def page_types(site: SimpleNamespace) -> list[SimpleNamespace]:
    """Every public page type; ``text`` is what the page's main content must show in each language."""

    def by_name(obj, field="name"):
        return {code: getattr(obj, f"{field}_{code}") for code in LANGS}

    def kind(name, path, text=None, status=200):
        urls = {code: f"/{code}{path}".replace("{q}", quote(getattr(site.hanoi, f"name_{code}"))) for code in LANGS}
        return SimpleNamespace(name=name, urls=urls, text=text, status=status)

    return [
        kind("home", "/", by_name(site.about, "summary")),
        kind("partner directory", "/partners/", by_name(site.hanoi)),
        kind("partner", f"/partners/{site.hanoi.slug}/", by_name(site.hanoi)),
        kind("country", f"/partners/countries/{site.vietnam.slug}/", by_name(site.vietnam)),
        kind("events", "/events/", by_name(site.hanoi_days, "title")),
        kind("event", f"/events/{site.hanoi_days.pk}/", by_name(site.hanoi_days, "title")),
        kind("event in Russian only", f"/events/{site.russian_only.pk}/", dict.fromkeys(LANGS, "Визит делегации")),
        kind("year in review", "/events/2024/review/", by_name(site.hanoi)),
        kind("societies", "/societies/", by_name(site.society)),
        kind("society", f"/societies/{site.society.slug}/", by_name(site.society)),
        kind("about", "/pages/about/", by_name(site.about, "title")),
        kind("history", "/pages/history/", by_name(site.history, "title")),
        kind("news", "/news/", by_name(site.news, "title")),
        kind("news item", f"/news/{site.news.slug}/", by_name(site.news, "title")),
        kind("search", "/search/?q={q}", by_name(site.hanoi)),
        # Finds nothing, and offers the name the visitor probably meant.
        kind("search suggestion", "/search/?q=Hanoii", dict.fromkeys(LANGS, "Hanoi")),
        kind("open data", "/open-data/"),
        kind("subscribe", "/subscriptions/?country=VN", by_name(site.vietnam)),
        kind("subscription requested", "/subscriptions/requested/"),
        kind("confirm", f"/subscriptions/confirm/{site.confirm_token}/", dict.fromkeys(LANGS, site.requested.email)),
        kind("manage", f"/subscriptions/manage/{site.manage_token}/", by_name(site.society)),
        kind(
            "unsubscribe", f"/subscriptions/unsubscribe/{site.manage_token}/", dict.fromkeys(LANGS, site.member.email)
        ),
        kind("not found", "/no-such-page/", status=404),
    ]
