"""The files of deploy/ are what the app and the tools accept: systemd units that systemd-analyze passes, an
environment example whose every variable the app (or gunicorn's settings) reads."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        # The units name /srv/hoithi (the documented checkout); point them at this one, whose .venv exists.
        name = unit.name.replace("@.service", "@5000.service")
        (tmp_path / name).write_text(unit.read_text().replace("/srv/hoithi", str(ROOT)))
        units.append(str(tmp_path / name))
    done = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_the_sweep_timer_runs_every_command_the_minute_sweeps_need():
    service = (DEPLOY / "systemd/hoithi-sweep.service").read_text()
    commands = re.findall(r"^ExecStart=\S+/flask (.+)$", service, re.M)
    assert commands == ["attempts finish-overdue", "rounds close-due", "jobs sweep"]


def test_every_variable_of_the_environment_example_is_read_by_the_app_or_gunicorn():
    from contest.config import ENV_KEYS

    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "hoithi.env.example").read_text(), re.M)
    gunicorn = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "contest/gunicorn_conf.py").read_text()))
    unknown = [name for name in names if name not in ENV_KEYS and name not in gunicorn]
    assert names and unknown == []


def test_the_environment_example_sets_the_settings_a_city_deployment_needs():
    names = set(re.findall(r"^([A-Z_]+)=", (DEPLOY / "hoithi.env.example").read_text(), re.M))
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "CCCD_HASH_KEY", "PROXY_FIX_HOPS", "SECURE_COOKIES",
            "JOBS_FOLDER"} <= names
