"""The built wheel carries the templates: a plain install, run from elsewhere, finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TEMPLATES = sorted(p.name for p in (ROOT / "templates").glob("*.j2"))


@pytest.mark.slow
def test_the_wheel_ships_the_templates_and_runs_from_another_folder(tmp_path):
    assert TEMPLATES, "templates/ holds the post templates"
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("logbook-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in TEMPLATES:
        assert f"logbook/templates/{template}" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import importlib.resources, logbook; "
        "print(logbook.__file__); "
        "print(sorted(p.name for p in importlib.resources.files('logbook.templates').iterdir()"
        " if p.name.endswith('.j2')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    location, found = result.stdout.strip().splitlines()
    assert location.startswith(str(target))
    assert found == repr(TEMPLATES)
