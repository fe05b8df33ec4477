"""deploy/: the systemd units pass ``systemd-analyze verify``; the container's entrypoint runs the service.

No container engine runs on this machine, so the image is built and run only where ``docker info``
answers; the entrypoint is always run directly, as the image would run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
BIN = Path(sys.executable).parent
SECRET = "deploy-test-message-id-key-0123456789"


def _docker_works() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed (apt-get install systemd)")
def test_the_systemd_units_verify_cleanly(tmp_path: Path) -> None:
    units = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer"))
    assert {u.name for u in units} >= {"practice-alerts.service", "practice-alerts-backup.timer",
                                       "practice-alerts-health.timer"}
    for unit in units:  # the installed path of the command is this test's own
        text = unit.read_text().replace("/opt/practice-alerts/bin/practice-alerts", str(BIN / "practice-alerts"))
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(["systemd-analyze", "verify", *(str(tmp_path / u.name) for u in units)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"})
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr
    service = (DEPLOY / "practice-alerts.service").read_text()
    for line in ("User=practice-alerts", "ExecStartPre=/opt/practice-alerts/bin/practice-alerts check",
                 "ProtectSystem=strict", "StateDirectory=practice-alerts", "KillSignal=SIGTERM"):
        assert line in service


def test_a_broken_unit_would_be_caught(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    broken = tmp_path / "broken.service"
    broken.write_text("[Service]\nExecStart=/bin/true\nRestart=sometimes\n")
    done = subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60)
    assert "restart specifier" in done.stderr  # the check above would fail on it


def test_the_image_runs_as_a_user_with_read_only_code_and_one_volume() -> None:
    text = (DEPLOY / "Containerfile").read_text()
    assert "\nUSER practice-alerts\n" in text and 'VOLUME ["/data"]' in text and text.count("VOLUME") == 1
    assert 'ENTRYPOINT ["/opt/practice-alerts/entrypoint.sh"]' in text and "HEALTHCHECK" in text


@pytest.mark.skipif(not _docker_works(), reason="no container engine runs here (docker info fails); "
                                                "the entrypoint is tested directly below")
def test_the_image_builds_and_starts(tmp_path: Path) -> None:  # pragma: no cover - needs a container engine
    root = DEPLOY.parent
    built = subprocess.run(["docker", "build", "-f", str(DEPLOY / "Containerfile"), "-t", "practice-alerts-test", str(root)],
                           capture_output=True, text=True, timeout=1200)
    assert built.returncode == 0, built.stderr[-2000:]
    first = subprocess.run(["docker", "run", "--rm", "--read-only", "--tmpfs", "/tmp", "-v", f"{tmp_path}:/data",
                            "practice-alerts-test"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 78 and (tmp_path / "practice-alerts.yaml").exists()


def _entrypoint(data: Path, *args: str, secret: str = SECRET) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "PRACTICE_ALERTS_DATA": str(data),
           "PRACTICE_ALERTS_SECRET": secret}
    env.pop("PRACTICE_ALERTS_CONFIG", None)
    return subprocess.run(["sh", str(DEPLOY / "entrypoint.sh"), *args], capture_output=True, text=True,
                          env=env, timeout=180)


def test_the_entrypoint_starts_a_configuration_checks_it_and_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _entrypoint(data, "run", "--once")
    assert first.returncode == 78, first.stderr
    assert (data / "practice-alerts.yaml").is_file() and "edit it" in first.stderr
    refused = _entrypoint(data, "run", "--once", secret="short")
    assert refused.returncode == 78
    assert "PROBLEM  signing key" in refused.stdout and "Not starting" in refused.stderr
    ran = _entrypoint(data, "run", "--once")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (data / "data" / "practice-alerts.db").is_file()
    assert oct((data / "data" / "practice-alerts.db").stat().st_mode & 0o777) == "0o600"  # umask 077
    assert _entrypoint(data, "health").returncode == 0
