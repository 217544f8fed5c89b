"""The tutorial's advanced level: the patterns past the tutorial that its readers ask for next.

The tutorial orders its apps by how much Celery a reader needs: ``toyex``, ``tricks``, ``advex``.
Each module here answers one question in its docstring: one report per request and per beat
(``reportclaims``), the active-report cap (``reportcaps``), an e-mail sent once (``mailclaims``),
the error-mail flood limit (``mailthrottle``), reports whose chord was lost (``stuckreports``),
chords counted once on django-db (``chords``). The scenarios call the first four through the
modules the settings name (``REPORT_CLAIMS``, ``REPORT_CAPS``, ``MAIL_TASK_CLAIMS``,
``ERROR_MAIL_THROTTLE``), so toyex never imports advex; docs/layout.md draws the rule. Their
tables stay toyex's (the ``toyex`` app label keeps its migrations).
"""
