"""Settings for a developer's machine: debug on, everything else from base."""

from .base import *  # noqa: F403
from .base import logging_config

DEBUG = True
# As in the tutorial: on a developer machine, 500s are e-mailed only while DEBUG is on.
LOGGING = logging_config("require_debug_true")
