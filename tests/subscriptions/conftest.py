import dj_email_url
import pytest

from tests.subscriptions.smtp import SMTPServer


@pytest.fixture
def smtp(settings):
    """aiosmtpd on a free loopback port, and the site's mail settings pointing at it as EMAIL_URL would."""
    with SMTPServer() as server:
        for name, value in dj_email_url.parse(server.url).items():
            if value is not None:
                setattr(settings, name, value)
        yield server.mailbox


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://portal.example.org"
    settings.DEFAULT_FROM_EMAIL = "SPb AIC <events@portal.example.org>"
