"""Sphinx for the site: MyST so the pages stay Markdown, furo for the theme."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "celery_uncovered"
author = "celery_uncovered developers"
extensions = ["myst_parser", "celery_live_reference", "layout_house"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
html_theme = "furo"
html_title = "celery_uncovered"
exclude_patterns = ["_build", "_generated"]
