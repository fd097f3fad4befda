import os
import stat

from association.local_env import local_env_load, local_env_write


def test_written_once_with_development_settings_readable_by_the_owner_only(tmp_path):
    path = tmp_path / ".env"
    assert local_env_write(path) is True
    text = path.read_text()
    assert "DEBUG=true" in text
    assert "EMBEDDED_DB=true" in text
    secret = next(line for line in text.splitlines() if line.startswith("SECRET_KEY=")).split("=", 1)[1]
    assert len(secret) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    assert local_env_write(path) is False
    assert path.read_text() == text  # the generated key survives later runs


def test_the_real_environment_wins_over_the_file(tmp_path, monkeypatch):
    path = tmp_path / ".env"
    path.write_text("DEBUG=true\nSECRET_KEY=from-the-file\nSPBAIC_TEST_ONLY=from-the-file\n")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.delenv("SPBAIC_TEST_ONLY", raising=False)
    local_env_load(path)
    assert os.environ["SECRET_KEY"] == "from-the-environment"
    assert os.environ["SPBAIC_TEST_ONLY"] == "from-the-file"


def test_no_file_no_change(tmp_path, monkeypatch):
    monkeypatch.delenv("SPBAIC_TEST_ONLY", raising=False)
    local_env_load(tmp_path / "missing.env")
    assert "SPBAIC_TEST_ONLY" not in os.environ
