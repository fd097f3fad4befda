from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from association import views

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("association.site_urls")),
    path("partners/", include("partners.urls")),
    path("events/", include("events.urls")),
    path("societies/", include("societies.urls")),
    prefix_default_language=True,
)

handler404 = views.page_not_found

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
