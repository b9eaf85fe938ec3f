"""The LMS export plugins, through the real `nbgrader export`, on a gradebook made by `python -m grader autograde`.

The sample class (grader.demo: ada full marks, ben half, cleo zero, dev an invalid notebook, eve
a missing one) is graded, then given names and e-mails in the gradebook, and `fin`, a student
with no submission, is added. The Canvas roster is a gradebook download as Canvas writes it:
metadata rows, other assignments, read-only totals, a test student, a student only Canvas knows,
and names with commas, quotes and accents.
"""
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader import autograde, demo
from grader.export import MoodleExporter, number

SLUG = "c1w2_numpy_basics"
NAMES = {"ben": ('"Jo"', "O'Brien", "jo.obrien@example.edu"), "cleo": ("Zoë", "Ångström-Núñez", ""),
         "ada": ("Ada", "Lovelace", "ada@example.edu"), "fin": ("Fin", "Late", "")}
ROSTER = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 1 quiz (1001)",
     "Python and NumPy for deep learning (4242)", "Current Score", "Unposted Current Score"],
    ["    Manual Posting", "", "", "", "", "", "Manual posting enabled", "", ""],
    ["    Points Possible", "", "", "", "", "5.00", "8.00", "(read only)", "(read only)"],
    ["O'Brien, \"Jo\"", "101", "S-BEN", "ben", "Section A", "4.5", "", "71.2", "71.2"],    # by SIS Login ID
    ["Ångström-Núñez, Zoë", "102", "cleo", "z.angstrom", "Section B", "5", "", "90", "90"],  # by SIS User ID
    ["Lovelace, Ada", "103", "S-ADA", "ADA@Example.edu", "Section A", "3", "", "60", "60"],  # by e-mail
    ["Eve, Eve", "104", "S-EVE", "eve", "Section B", "", "", "", ""],
    ["Student, Test", "105", "", "", "Section A", "", "", "", ""],
    ["Zed, Roster-Only", "106", "S-ZED", "zed", "Section B", "2", "7", "40", "40"],
    ["Late, Fin", "107", "S-FIN", "fin", "Section A", "1", "6", "20", "20"],
]
SCORES = {"ada": "8", "ben": "4", "cleo": "0", "eve": "0"}  # dev is not in the roster


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandboxed):
    root = tmp_path_factory.mktemp("export")
    demo.make_class(SLUG, root / "subs")
    autograde.autograde(SLUG, root / "subs", root / "out", sandboxed=sandboxed, quiet=True)
    db = f"sqlite:///{root / 'out' / 'gradebook.db'}"
    with Gradebook(db) as gb:
        for sid, (first, last, email) in NAMES.items():
            gb.update_or_create_student(sid, first_name=first, last_name=last, email=email or None)
    return root, db


def nbgrader_export(root, db, *args):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["nbgrader", "export", "--db", db, *args], cwd=root, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    return done


def write_roster(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def test_canvas_upload_fills_the_roster_column_by_column(graded):
    root, db = graded
    write_roster(root / "roster.csv", ROSTER)
    done = nbgrader_export(root, db, "--exporter=grader.export.CanvasExporter",
                           "--CanvasExporter.roster=roster.csv", "--to", "upload.csv")
    raw = (root / "upload.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert '"O\'Brien, ""Jo""",101,S-BEN,ben,' in text and "Ångström-Núñez, Zoë" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ROSTER[0], "the roster's columns, in its order, and no new one"
    col = ROSTER[0].index("Python and NumPy for deep learning (4242)")
    assert [len(r) for r in rows] == [len(ROSTER[0])] * len(ROSTER)
    for got, was in zip(rows[1:], ROSTER[1:]):
        login = was[3].lower()
        who = {"ada@example.edu": "ada", "z.angstrom": "cleo"}.get(login, login)
        for k, (g, w) in enumerate(zip(got, was)):
            if k != col:
                assert g == w, (was[0], ROSTER[0][k], g, w)  # every other column as Canvas wrote it
        if was[0].strip() == "Points Possible":
            assert got[col] == "8"
        elif who in SCORES:
            assert got[col] == SCORES[who], (was[0], got[col])
        else:  # metadata rows, the test student, Canvas-only students, no submission: untouched
            assert got[col] == was[col], (was[0], got[col])
    assert "dev" in done.stderr and "not in the roster" in done.stderr
    unmatched = done.stderr.split("not in the roster", 1)[1].splitlines()[0]
    assert all(s not in unmatched for s in ("ada", "ben", "cleo", "eve", "fin"))


def test_canvas_adds_a_missing_column_and_writes_a_bom_on_request(graded):
    root, db = graded
    without = [r[:6] + r[7:] for r in ROSTER]  # no column for the assignment yet
    write_roster(root / "roster2.csv", without)
    nbgrader_export(root, db, "--exporter=grader.export.CanvasExporter", "--CanvasExporter.roster=roster2.csv",
                    "--CanvasExporter.bom=True", "--to", "upload2.csv")
    raw = (root / "upload2.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == without[0] + [SLUG]
    added = {r[0]: r[-1] for r in rows[1:]}
    assert added["    Points Possible"] == "8" and added["    Manual Posting"] == ""
    assert added["O'Brien, \"Jo\""] == "4" and added["Lovelace, Ada"] == "8" and added["Ångström-Núñez, Zoë"] == "0"
    assert added["Late, Fin"] == "" and added["Zed, Roster-Only"] == "" and added["Student, Test"] == ""
    assert [r[:-1] for r in rows] == without


def test_moodle_csv_has_an_identifier_and_one_numeric_column_per_assignment(graded):
    root, db = graded
    nbgrader_export(root, db, "--exporter=grader.export.MoodleExporter", "--to", "moodle.csv")
    raw = (root / "moodle.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert '"""Jo""",O\'Brien' in text  # quotes doubled, the field quoted
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Username", "Email address", "First name", "Last name", SLUG]
    got = {r[0]: r for r in rows[1:]}
    assert set(got) == {"ada", "ben", "cleo", "dev", "eve", "fin"}
    assert got["ben"] == ["ben", "jo.obrien@example.edu", '"Jo"', "O'Brien", "4"]
    assert got["cleo"] == ["cleo", "", "Zoë", "Ångström-Núñez", "0"]
    assert got["ada"][4] == "8" and got["dev"][4] == "0" and got["eve"][4] == "0"
    assert got["fin"][4] == "", "no submission: no grade"
    # the options, in process (each `nbgrader export` costs seconds)
    with Gradebook(db) as gb:
        MoodleExporter(to=str(root / "moodle_bom.csv"), bom=True, id_column="ID number", assignment=[SLUG]).export(gb)
    raw = (root / "moodle_bom.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID number,") and raw.decode("utf-8-sig") == text.replace("Username", "ID number", 1)


def test_numbers_are_plain_decimals():
    assert [number(x) for x in (8.0, 2.5, 1 / 3, 0.0, -0.0, 10)] == ["8", "2.5", "0.3333", "0", "0", "10"]
