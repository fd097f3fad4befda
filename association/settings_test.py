"""Settings for the test suite: the base settings with what makes tests fast and strict."""

import os

os.environ.setdefault("DEBUG", "true")

from association.settings import *  # noqa: F403

# The demo-data generator has its tests; a throwaway content app tests the content registry.
INSTALLED_APPS = [*dict.fromkeys([*INSTALLED_APPS, "bench"]), "tests.core.leaflets"]  # noqa: F405

DEBUG = False
# Hashing passwords slowly protects real accounts; tests create many throwaway ones.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without collectstatic: no manifest of hashed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
# Tests count queries of real renders; the page cache is switched on in its own tests.
PUBLIC_CACHE_SECONDS = 0
# No collectstatic before tests: whitenoise looks files up per request instead of scanning STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
