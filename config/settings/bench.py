"""Settings for `nox -s bench`: the test settings' per-run broker, queue and files, nothing else.

The benchmark needs what the live tests need (a broker picked by name, a queue and a database of
its own run) and measures the project's own settings, so it changes none of them.
"""

from .test import *  # noqa: F403
