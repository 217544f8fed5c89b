"""Test a Django + Celery project on real workers and real brokers (the ``celery_live`` plugin).

``plugin`` holds the pytest fixtures (registered by the ``pytest11`` entry point); the other
modules are plain tooling that a demo or a benchmark uses too, without pytest: ``workers``
(``WorkerProcess``, a ``celery worker`` child), ``brokers`` (``PrivateBroker``, a RabbitMQ or Redis
server to crash), ``waiting`` (``wait_until``, the one bounded wait), ``queues`` and
``selection`` (broker and backend by name or URL). ``live`` is what the fixtures hand a test.
See docs/testing.md, "Use it in your project".
"""
