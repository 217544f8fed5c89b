from django.apps import AppConfig


class ToyexConfig(AppConfig):
    """Scenario 1 (GitHub hot-repo report) and scenario 2 (admin e-mails for 500 errors)."""

    name = "celery_uncovered.toyex"
