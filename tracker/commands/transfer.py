"""The ``import`` and ``export`` command groups; their commands live beside the code they drive
and are added to these groups in tracker.cli."""

from __future__ import annotations

from flask.cli import AppGroup

import_group = AppGroup("import", help="Read recommendations and action plans from files.")
export_group = AppGroup("export", help="Write action plans, archives and meeting packs to files.")
