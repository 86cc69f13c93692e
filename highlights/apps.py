from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class HighlightsConfig(AppConfig):
    name = "highlights"
    verbose_name = _("Xinjing Highlights")

    def ready(self) -> None:
        from .images import ImageRenditionsMixin, delete_image_files

        for model in self.get_models():
            if issubclass(model, ImageRenditionsMixin):
                post_delete.connect(delete_image_files, sender=model)
