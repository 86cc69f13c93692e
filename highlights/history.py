"""Who changed what and when: django-simple-history on every content model.

Registered when the app is ready, after modeltranslation has added the per-language columns
(it reads translation.py first, being earlier in INSTALLED_APPS), so that the historical models
record every language.
"""

import simple_history
from django.apps import apps


def register_history() -> None:
    for model in list(apps.get_app_config("highlights").get_models()):
        if not model.__name__.startswith("Historical"):
            simple_history.register(model, app="highlights")
