from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate
from django.utils.translation import gettext_lazy as _


class HighlightsConfig(AppConfig):
    name = "highlights"
    verbose_name = _("Xinjing Highlights")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .cache import record_content_change
        from .columns import create_columns
        from .history import register_history
        from .models import BOOKKEEPING_MODELS
        from .roles import sync_roles
        from .search_index import build_search_indexes, drop_search_indexes
        from .signals import content_changed
        from .terms import create_terms

        register_history()
        post_migrate.connect(sync_roles, sender=self)
        post_migrate.connect(create_columns, sender=self)
        post_migrate.connect(create_terms, sender=self)
        pre_migrate.connect(drop_search_indexes, sender=self)
        post_migrate.connect(build_search_indexes, sender=self)
        content_changed.connect(record_content_change)
        for model in self.get_models():
            if model.__name__.startswith("Historical") or model.__name__ in BOOKKEEPING_MODELS:
                continue
            post_save.connect(record_content_change, sender=model)
            post_delete.connect(record_content_change, sender=model)
