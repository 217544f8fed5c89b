"""Our fixes of two kombu 5.7 transports, wired in by dotted path from the settings.

``CELERY_BROKER_TRANSPORT`` names them (``config/settings/base.py``, ``broker_transport``):

* ``filesystem:Transport`` — the embedded broker. kombu creates a message file before writing it,
  so a consumer in another process could read it empty and the worker died
  ("Unrecoverable error: JSONDecodeError"). Ours writes under a hidden name and renames.
* ``redis:Transport`` — when the Redis server dies with a message in flight, kombu builds a client
  from a released connection (AttributeError) and Celery stops the worker. Ours leaves such
  messages to the visibility timeout.

Both are worth reporting upstream; each module's docstring has the details seen here.
"""
