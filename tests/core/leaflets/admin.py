from django.contrib import admin

from tests.core.leaflets.models import Leaflet

admin.site.register(Leaflet)
