"""pytest-celery-live: real Celery workers on real brokers, for any Celery project.

``plugin`` holds the pytest fixtures (registered by the ``pytest11`` entry point ``celery_live``);
the other modules are plain tooling without pytest: ``workers`` (``WorkerProcess``, a ``celery
worker`` child, made from a warm spare: ``spares``), ``brokers`` (``PrivateBroker``, a RabbitMQ or
Redis server to crash), ``waiting`` (``wait_until``, the one bounded wait), ``queues`` and
``selection`` (broker and backend by name or URL). ``live`` is what the fixtures hand a test,
``inproc`` the in-process worker. See the README.
"""
