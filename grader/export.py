"""Grades from the nbgrader gradebook into a file an LMS imports: nbgrader export plugins.

Why: the last step of grading is usually a gradebook upload, and hand-copying scores into a
spreadsheet loses students and mangles names. These plugins read the gradebook (so manual
adjustments made in formgrader are included) and write what Canvas or Moodle import as is:

    nbgrader export --exporter=grader.export.CanvasExporter \\
        --CanvasExporter.roster=<the gradebook CSV downloaded from Canvas> --to upload.csv
    nbgrader export --exporter=grader.export.MoodleExporter --to moodle.csv

(add `--db sqlite:///graded/gradebook.db` outside an nbgrader course directory). A score is the
submission's score minus its late penalty, never below 0; a student with no submission gets no
grade (Canvas: the roster's cell is kept; Moodle: blank). Files are UTF-8, written with the csv
module (names with commas and quotes survive); `--<Exporter>.bom=True` adds a byte-order mark so
that spreadsheet programs read accented names correctly.
"""
import csv
import re
import sys

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Bool, Dict, Unicode

CANVAS_COLUMN = re.compile(r"^(?P<title>.*?)\s*\((?P<id>\d+)\)\s*$")
ROSTER_KEYS = ("SIS Login ID", "SIS User ID")
EMAIL_COLUMNS = ("email", "e-mail", "email address", "e-mail address")


def number(x):
    """A score as an LMS reads it: up to 4 decimals, no trailing zeros ("7", "2.5", "0.3333")."""
    text = f"{float(x):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _norm(text):
    return " ".join(str(text or "").split()).casefold()


class _LmsExporter(ExportPlugin):
    bom = Bool(False, help="start the file with a UTF-8 byte-order mark (for Excel and accented names)").tag(
        config=True)

    def _selected(self, gradebook):
        wanted_a = [str(a) for a in self.assignment]
        wanted_s = [str(s) for s in self.student]
        assignments = [a for a in gradebook.assignments if not wanted_a or a.name in wanted_a]
        students = [s for s in gradebook.students if not wanted_s or s.id in wanted_s]
        return assignments, students

    @staticmethod
    def _score(gradebook, assignment, student):
        """The student's score (late penalty taken off, not below 0), or None without a submission."""
        try:
            submission = gradebook.find_submission(assignment.name, student.id)
        except MissingEntry:
            return None
        return max(0.0, (submission.score or 0.0) - (submission.late_submission_penalty or 0.0))

    def _open(self, default):
        dest = self.to or default
        self.log.info("Exporting grades to %s", dest)
        return dest, open(dest, "w", newline="", encoding="utf-8-sig" if self.bom else "utf-8")


class CanvasExporter(_LmsExporter):
    """Fill a Canvas gradebook download (`roster`) with this gradebook's scores, ready to upload.

    Every column and row of the roster is kept (Student, ID, SIS User ID, SIS Login ID, Section,
    other assignments, read-only totals, the "Points Possible" row). Each nbgrader assignment goes
    into its column: the one given in `columns`, else the roster's "<Title> (<id>)" column whose
    title is the assignment's name (or its course title), else a new column named after the
    assignment (Canvas then creates the assignment), with its points in "Points Possible".
    Students are matched by SIS Login ID, SIS User ID or e-mail; those of the gradebook that the
    roster lacks are listed on stderr.
    """

    roster = Unicode("", help="the gradebook CSV downloaded from Canvas (Grades > Export)").tag(config=True)
    columns = Dict({}, help="{nbgrader assignment: Canvas column header}, for columns named otherwise").tag(
        config=True)

    def export(self, gradebook):
        if not self.roster:
            raise ValueError("give the Canvas gradebook download: --CanvasExporter.roster=<file.csv>")
        with open(self.roster, newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        if not rows or "Student" not in rows[0]:
            raise ValueError(f"{self.roster} is not a Canvas gradebook download (no 'Student' column)")
        header, body = rows[0], [r + [""] * (len(rows[0]) - len(r)) for r in rows[1:]]
        col = {name: k for k, name in enumerate(header)}
        student_col = col["Student"]
        flags = [_is_meta(r, col) for r in body]
        points_rows = [r for r, m in zip(body, flags) if m and _norm(r[student_col]) == "points possible"]
        people = [r for r, m in zip(body, flags) if not m]

        assignments, students = self._selected(gradebook)
        targets = {}
        for assignment in assignments:
            k = self._column(header, assignment.name)
            if k is None:
                header.append(assignment.name)
                for r in body:
                    r.append("")
                k = len(header) - 1
            targets[assignment.name] = k
            for r in points_rows:
                r[k] = number(assignment.max_score)

        index = _roster_index(header, people)
        unmatched = []
        for student in students:
            row = _match(index, student)
            if row is None:
                unmatched.append(student)
                continue
            for assignment in assignments:
                score = self._score(gradebook, assignment, student)
                if score is not None:
                    row[targets[assignment.name]] = number(score)
        if unmatched:
            listed = "; ".join(_who(s) for s in unmatched)
            print(f"CanvasExporter: {len(unmatched)} student(s) of the gradebook not in the roster, not "
                  f"exported: {listed}", file=sys.stderr)
        dest, f = self._open("canvas_upload.csv")
        with f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(body)

    def _column(self, header, name):
        """The roster column of assignment `name`, or None."""
        if name in self.columns:
            wanted = self.columns[name]
            if wanted not in header:
                raise ValueError(f"--CanvasExporter.columns names {wanted!r} for {name}, not a column of the roster")
            return header.index(wanted)
        titles = {_norm(name)}
        try:  # the course's own title for this assignment, when the grader knows it
            from . import spec as specs
            if name in specs.slugs():
                titles.add(_norm(specs.load(name).title))
        except Exception:  # noqa: BLE001 (an nbgrader course without solutions/: names only)
            pass
        for k, h in enumerate(header):
            m = CANVAS_COLUMN.match(h)
            if (m and _norm(m.group("title")) in titles) or _norm(h) == _norm(name):
                return k
        return None


def _is_meta(row, col):
    """Canvas's rows that are not students: "Points Possible", "Manual Posting" (no Canvas ID, indented name)."""
    student = row[col["Student"]]
    has_id = "ID" in col and row[col["ID"]].strip()
    return not has_id and (student.startswith(" ") or _norm(student) in ("points possible", "manual posting", "muted"))


def _roster_index(header, people):
    """{key: [rows]} for the identifiers of each roster row (SIS Login ID, SIS User ID, e-mail columns)."""
    keys = [k for k, h in enumerate(header) if h in ROSTER_KEYS or _norm(h) in EMAIL_COLUMNS]
    index = {}
    for row in people:
        for k in keys:
            value = _norm(row[k])
            if value and not any(r is row for r in index.setdefault(value, [])):
                index[value].append(row)
    return index


def _match(index, student):
    for key in (student.id, student.email):
        rows = index.get(_norm(key), []) if key else []
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            print(f"CanvasExporter: {key!r} matches {len(rows)} roster rows; {student.id} not exported",
                  file=sys.stderr)
            return None
    return None


def _who(student):
    name = " ".join(n for n in (student.first_name, student.last_name) if n)
    extra = ", ".join(x for x in (name, student.email) if x)
    return f"{student.id} ({extra})" if extra else student.id


class MoodleExporter(_LmsExporter):
    """A CSV for Moodle's grade import (Grades > Import > CSV file).

    Columns: the identifier (`id_column`, default "Username": the nbgrader student id; map it to
    "username", or to "useridnumber" / "useremail" as your ids are), "Email address", "First name",
    "Last name" (ignored by the import, there for people), then one numeric column per assignment,
    headed by its name; map each to its grade item. Blank means no grade.
    """

    id_column = Unicode("Username", help="header of the identifier column (the nbgrader student id)").tag(
        config=True)

    def export(self, gradebook):
        assignments, students = self._selected(gradebook)
        dest, f = self._open("moodle_grades.csv")
        with f:
            writer = csv.writer(f)
            writer.writerow([self.id_column, "Email address", "First name", "Last name"]
                            + [a.name for a in assignments])
            for student in students:
                scores = [self._score(gradebook, a, student) for a in assignments]
                writer.writerow([student.id, student.email or "", student.first_name or "", student.last_name or ""]
                                + ["" if s is None else number(s) for s in scores])
