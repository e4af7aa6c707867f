"""Test set-up shared by the whole suite.

Qt must be headless before it starts: CI machines have no display.
"""

import os
import pathlib
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep tests away from the user's real settings and lessons.
os.environ.setdefault("TRELLIS_CONFIG_DIR", tempfile.mkdtemp(prefix="trellis-test-config-"))

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
