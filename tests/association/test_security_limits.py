"""Oversized requests and uploads are refused (400/413) before they cost memory."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_body_above_the_limit_is_refused_with_413_unread(client, settings):
    settings.REQUEST_MAX_BODY_SIZE = 1000
    response = client.generic("POST", "/ru/search/", b"x" * 1001, content_type="text/plain")
    assert response.status_code == 413


def test_a_declared_length_above_the_limit_is_refused_even_without_a_body(client):
    response = client.post("/admin/login/", data=b"", content_type="text/plain", CONTENT_LENGTH=str(10**12))
    assert response.status_code == 413


def test_a_malformed_content_length_is_a_400(client):
    response = client.post("/admin/login/", data=b"", content_type="text/plain", CONTENT_LENGTH="-5")
    assert response.status_code == 400


def test_an_upload_above_the_limit_is_refused(client, settings):
    settings.REQUEST_MAX_BODY_SIZE = 64 * 1024
    upload = SimpleUploadedFile("report.xlsx", b"\0" * (65 * 1024))
    response = client.post("/admin/events/reportimport/add/", {"file": upload})
    assert response.status_code == 413


@pytest.mark.django_db
def test_form_data_above_the_memory_limit_is_a_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post("/admin/login/", {"username": "x" * 20_000, "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_too_many_fields_is_a_400(client):
    fields = {f"field{number}": "1" for number in range(1001)}
    response = client.post("/admin/login/", fields)
    assert response.status_code == 400
