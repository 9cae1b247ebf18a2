"""Top-level URLs: localised public pages under /es/ and /en/, machine interfaces unprefixed."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from primi.api.service import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("rest/", include("primi.sdmx.urls")),
    path("api/", api.urls),
    path("", include("primi.operations.urls")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("primi.workflow.urls")),
    path("audit/", include("primi.audit.urls")),
    path("tokens/", include("primi.tokens.urls")),
    path("findings/", include("primi.findings.urls")),
    path("quality/", include("primi.quality.urls")),
    path("calendar/", include("primi.deadlines.urls")),
    path("sandbox/", include("primi.sandbox.urls")),
    path("", include("primi.portal.urls")),
    prefix_default_language=True,
)
