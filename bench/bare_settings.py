"""The benchmark's bare Django view: the floor view with no middleware at all, the least a
Django response costs under the same gunicorn; cached pages are measured against it."""

from bench.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
