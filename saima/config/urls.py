from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from saima.api.v1.api import api as api_v1
from saima.api.views import api_docs
from saima.portal.views import front_door

urlpatterns = [
    path("", front_door, name="front-door"),  # visitors: the portal; signed in: home
    path("", include("saima.core.urls")),
    path("org/", include("saima.org.urls")),
    path("races/", include("saima.races.urls")),
    path("arena/live/", include("saima.arena.live.urls")),
    path("arena/", include("saima.arena.urls")),
    path("api/v1/", api_v1.urls),
    path("api/docs", api_docs, name="api-docs"),
    path("account/api-tokens/", include("saima.api.urls")),
    path("safeguards/", include("saima.safeguards.urls")),
    path("projects/", include("saima.projects.urls")),
    path("conduct/", include("saima.conduct.urls")),
    path("bulletins/", include("saima.bulletins.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("data/", include("saima.portal.data_urls")),
    # The public portal carries its language in the address, so each page is one cacheable copy.
    *i18n_patterns(path("portal/", include("saima.portal.urls"))),
]

if settings.DEBUG:  # pragma: no cover - media in development only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
