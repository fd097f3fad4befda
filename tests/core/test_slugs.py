import pytest

from core.slugs import slug_for
from core.text import strip_accents


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Санкт-Петербург", "sankt-peterburg"),
        ("Hồ Chí Minh", "ho-chi-minh"),
        ("Đà Nẵng", "da-nang"),
        ("Йошкар-Ола", "yoshkar-ola"),
        ("Щёлково", "shchelkovo"),
        ("Республика Сербская", "respublika-serbskaya"),
    ],
)
def test_slugs_are_readable_transliterations(name, slug):
    assert slug_for(name) == slug


def test_strip_accents_keeps_letters():
    assert strip_accents("Thành phố Hồ Chí Minh") == "Thanh pho Ho Chi Minh"
