"""The shop's settings: one app, SQLite, results in the database (django-celery-results)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "the-example-shop-only"
INSTALLED_APPS = ["django_celery_results", "shop.orders"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "shop.sqlite3"),
        # A file, not SQLite's in-memory default: worker processes open the same test database.
        "TEST": {"NAME": str(BASE_DIR / "test-shop.sqlite3")},
    }
}
SHOP_CURRENCY = os.environ.get("SHOP_CURRENCY", "USD")

CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
CELERY_RESULT_BACKEND = "django-db"
# Redis only (other transports ignore them): a message taken by a worker that died is handed out
# again after 10 s, checked every second; the default is an hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 10,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
