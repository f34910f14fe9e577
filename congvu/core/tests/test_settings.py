"""The settings module stops start-up on a bad value and names the variable."""

import os
import subprocess
import sys

import pytest


def _check(env_extra, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "congvu.cli", "check", *args], env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("DATABASE_URL", "mysql://x@y/z"), ("SECRET_KEY", "short"), ("CONN_MAX_AGE", "ten")],
)
def test_bad_value_names_the_variable(tmp_path, name, value):
    result = _check({name: value, "CONGVU_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert name in result.stderr


def test_deploy_check_is_clean_in_production_configuration(tmp_path):
    result = _check(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x7Qp-" + "k2Lm9" * 12,
            "ALLOWED_HOSTS": "congvu.example.gov.vn",
            "CONGVU_VAR_DIR": str(tmp_path),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _load_settings(env_extra):
    """Only the settings module, in a new process (a full `check` costs ~3 s of CPU more)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY"}}
    env.update(env_extra)
    command = "from congvu import settings; print(settings.SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", command], env=env, capture_output=True, text=True)


def test_secret_key_is_generated_once_into_var(tmp_path):
    first = _load_settings({"CONGVU_VAR_DIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and first.stdout.strip() == key
    second = _load_settings({"CONGVU_VAR_DIR": str(tmp_path)})
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "secret_key").read_text() == key == second.stdout.strip()
