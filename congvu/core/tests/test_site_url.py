"""SITE_URL, the address in e-mailed links (issue #12 item 7): set explicitly, derived from the
production host, or refused with the variable named."""

import os
import subprocess
import sys

import pytest


def _site_url(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY"}}
    env.update(env_extra)
    # The settings module alone, in a new process: it is what start-up reads first (`congvu shell`
    # would load every app too, ~1 s of CPU more per case).
    command = "from congvu import settings; print(settings.SITE_URL)"
    return subprocess.run([sys.executable, "-c", command], env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CONGVU_SITE_URL": "https://congvu.example.gov.vn/"}, "https://congvu.example.gov.vn"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "congvu.example.gov.vn"}, "https://congvu.example.gov.vn"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "localhost", "CONGVU_DEMO": "1"}, "http://127.0.0.1:8000"),
    ],
)
def test_the_site_address_is_explicit_or_derived(tmp_path, env, expected):
    result = _site_url({**env, "CONGVU_VAR_DIR": str(tmp_path), "SECRET_KEY": "x7Qp-" + "k2Lm9" * 12})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["congvu.example.gov.vn", "ftp://congvu.example.gov.vn", "https://"])
def test_a_bad_site_address_stops_start_up_naming_the_variable(tmp_path, value):
    result = _site_url({"CONGVU_SITE_URL": value, "CONGVU_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "CONGVU_SITE_URL" in result.stderr
