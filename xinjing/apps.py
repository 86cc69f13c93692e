from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    # Installed apps ship files the site never serves: the API answers in JSON only (no
    # browsable API, so no Bootstrap of its own), and its reference is Swagger UI, not ReDoc.
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "rest_framework", "redoc"]
