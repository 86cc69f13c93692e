"""ASGI entry point for Xinjing Highlights."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinjing.settings")

application = get_asgi_application()
