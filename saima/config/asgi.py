"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")

from saima.config.startup import configured_or_exit

configured_or_exit(check_database=True)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from saima.config.routing import websocket_urlpatterns  # noqa: E402
from saima.portal.kept import KeptPages  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": KeptPages(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
