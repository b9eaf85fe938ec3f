"""Without a working sandbox, autograde refuses to grade unless told explicitly, and says why."""
import pytest

from grader import autograde, sandbox


def test_autograde_refuses_without_bubblewrap(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    (tmp_path / "subs").mkdir()
    with pytest.raises(SystemExit) as stop:
        autograde.autograde("c1w2_numpy_basics", tmp_path / "subs", tmp_path / "out", quiet=True)
    message = str(stop.value)
    assert "bubblewrap is not installed" in message and "--no-sandbox" in message
    assert not (tmp_path / "out").exists()


def test_unsandboxed_grading_is_announced(monkeypatch, tmp_path):
    said = []
    (tmp_path / "subs").mkdir()
    autograde.autograde("c1w2_numpy_basics", tmp_path / "subs", tmp_path / "out", sandboxed=False,
                        log=said.append)
    assert any("WITHOUT the sandbox" in line for line in said)


def test_default_limits_are_the_documented_ones():
    limits = sandbox.Limits()
    assert (limits.memory_bytes, limits.test_seconds, limits.notebook_seconds, limits.processes) == \
        (4 << 30, 10.0, 60.0, 64)


def test_check_falls_back_with_a_one_line_notice(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_path", lambda: None)
    said = []
    assert sandbox.available_or_notice("checking", said.append) is False
    assert len(said) == 1 and said[0].startswith("notice: checking without the sandbox")


def test_python_under_tmp_stays_visible_inside_the_sandbox(tmp_path):
    """A checkout in a temporary folder: the private /tmp is mounted before the Python install's bind."""
    import sys
    (tmp_path / "notebook.ipynb").write_text("{}")
    argv, _, _ = sandbox.command(tmp_path, True)
    tmpfs_at = next(i for i in range(len(argv) - 1) if argv[i] == "--tmpfs" and argv[i + 1] == "/tmp")
    prefix_at = max(i for i, a in enumerate(argv) if a == sys.prefix)
    assert tmpfs_at < prefix_at
