from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from association import health, views
from association.sitemaps import SITEMAPS
from core.cache import query_parameters
from core.translation_status import TranslationStatusView

urlpatterns = [
    path(
        "admin/translation-status/",
        admin.site.admin_view(TranslationStatusView.as_view()),
        name="translation-status",
    ),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    # Cached like the public pages (core.cache): the index, and each section a page (?p=) at a time.
    path("sitemap.xml", query_parameters()(sitemap_views.index), {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        query_parameters("p")(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("association.site_urls")),
    path("partners/", include("partners.urls")),
    path("events/", include("events.urls")),
    path("societies/", include("societies.urls")),
    path("subscriptions/", include("subscriptions.urls")),
    prefix_default_language=True,
)

if settings.BENCH:  # benchmarks only: the cheapest Django response, as a yardstick
    urlpatterns.insert(0, path("", include("bench.urls")))

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
