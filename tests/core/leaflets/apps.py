from django.apps import AppConfig


class LeafletsConfig(AppConfig):
    """A throwaway content app, installed only in the tests: its model is registered by the test itself."""

    name = "tests.core.leaflets"
    label = "leaflets"
