"""A class graded into a real PostgreSQL gradebook (the option for large classes) gives the same grades."""
import csv
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from grader import autograde, demo, gradebook, spec as specs

SLUG = "c1w2_numpy_basics"


def _as_postgres(argv):
    """Run a server command as the `postgres` user when we are root (PostgreSQL refuses root)."""
    if os.getuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + argv
    return argv


@pytest.fixture(scope="module")
def postgres_url():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
    if not found or not found[-1]:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed in CI: `make setup` must install it")
        pytest.skip("PostgreSQL server binaries not installed (Debian: apt-get install postgresql)")
    bindir = os.path.dirname(found[-1])
    top = Path(tempfile.mkdtemp(prefix="grader-pg-"))  # not under pytest's private (0700) tmp root
    os.chmod(top, 0o755)
    data = top / "data"
    data.mkdir()
    if os.getuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(data, pg.pw_uid, pg.pw_gid)
    run = lambda argv: subprocess.run(_as_postgres(argv), check=True, capture_output=True, text=True)  # noqa: E731
    run([f"{bindir}/initdb", "-D", str(data), "-A", "trust", "-U", "grader"])
    # Unix socket only (listen_addresses empty): nothing listens on the network.
    run([f"{bindir}/pg_ctl", "-D", str(data), "-w", "-l", str(data / "log"),
         "-o", f"-k {data} -c listen_addresses=''", "start"])
    try:
        run([f"{bindir}/createdb", "-h", str(data), "-U", "grader", "gradebook"])
        yield f"postgresql+psycopg2://grader@/gradebook?host={data}"
    finally:
        subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(top, ignore_errors=True)


def test_class_graded_into_postgres_matches_csv(postgres_url, tmp_path, sandboxed):
    demo.make_class(SLUG, tmp_path / "subs")
    csv_path = autograde.autograde(SLUG, tmp_path / "subs", tmp_path / "out", db_url=postgres_url,
                                   sandboxed=sandboxed, quiet=True, jobs=2)
    from_csv = {(r["student_id"], r["item"]): float(r["score"]) for r in csv.DictReader(open(csv_path))}
    with gradebook.opened(postgres_url) as gb:
        stored = gradebook.scores(gb, SLUG)
    assert stored == from_csv
    spec = specs.load(SLUG)
    assert sum(v for (s, _), v in stored.items() if s == "ada") == spec.max_score
    assert not (tmp_path / "out" / "gradebook.db").exists()
