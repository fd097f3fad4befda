"""The benchmark's ceiling view is mounted only when the benchmark asks for it."""

import pytest
from django.urls import Resolver404, resolve


def test_production_urls_have_no_ceiling_view(settings):
    assert settings.BENCH is False
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling/")


def test_ceiling_view_answers_plain_ok():
    from django.test import RequestFactory

    from bench.views import ceiling

    response = ceiling(RequestFactory().get("/bench/ceiling/"))
    assert response.status_code == 200
    assert response.content == b"ok"
