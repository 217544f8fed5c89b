"""The tutorial's advanced level: patterns past the tutorial that a reader studies on their own.

The tutorial orders its apps by how much Celery a reader needs: ``toyex``, ``tricks``, ``advex``.
This one is waiting for its patterns (duplicate-safe and claim-once tasks are the candidates);
test tooling lives in ``pytest_celery_live`` and the kombu fixes in
``celery_uncovered.transports``.
"""
