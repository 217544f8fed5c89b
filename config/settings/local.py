"""Settings for a developer's machine: debug on, everything else from base."""

from config.settingshelpers import logging_config

from .base import *  # noqa: F403

DEBUG = True
# As in the tutorial: on a developer machine, 500s are e-mailed only while DEBUG is on.
LOGGING = logging_config("require_debug_true")
