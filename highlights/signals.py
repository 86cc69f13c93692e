"""Signals of our own."""

from django.dispatch import Signal

# Sent when stored content changed without a model save, e.g. image renditions written.
content_changed = Signal()
