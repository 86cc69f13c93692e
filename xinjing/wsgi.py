"""WSGI entry point for Xinjing Highlights."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinjing.settings")

application = get_wsgi_application()
