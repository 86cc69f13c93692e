"""Who changed what and when: django-simple-history on every content model.

Registered when the app is ready, after modeltranslation has added the per-language columns
(it reads translation.py first, being earlier in INSTALLED_APPS), so that the historical models
record every language.
"""

import simple_history
from django.apps import apps

# A unit's save counter and pending drafts are bookkeeping, not content: the history of the
# rows they describe already says who changed what.
UNRECORDED_MODELS = {"Draft"}
UNRECORDED_FIELDS = ["revision", "revised_at", "revised_by"]


def register_history() -> None:
    for model in list(apps.get_app_config("highlights").get_models()):
        if model.__name__.startswith("Historical") or model.__name__ in UNRECORDED_MODELS:
            continue
        fields = {field.name for field in model._meta.fields}
        simple_history.register(
            model,
            app="highlights",
            excluded_fields=[name for name in UNRECORDED_FIELDS if name in fields],
        )
