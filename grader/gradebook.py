"""Results into nbgrader's gradebook, one transaction per submission, so formgrader and export work.

Each graded item of an assignment is a grade cell of the assignment's notebook (named after
the assignment). Re-grading a submission overwrites its scores: running twice changes nothing.
"""
from contextlib import contextmanager
from pathlib import Path

import nbgrader.api
from nbgrader.api import (Assignment, Comment, Grade, GradeCell, Gradebook, Notebook, Student, SubmittedAssignment,
                          SubmittedNotebook)


def alembic_head():
    """The schema revision nbgrader stamps on a new gradebook, read in-process.

    nbgrader asks a fresh `alembic heads` subprocess for it, a second or more per new gradebook.
    Its migrations are one line of revisions, so the head is the one revision no other names as its
    `down_revision`, read from the scripts' text; importing alembic to find it would cost 0.2 s.
    Anything else (a branch, a merge, a script we cannot read) is left to alembic itself.
    """
    scripts = Path(nbgrader.api.__file__).parent / "alembic"
    head = _single_head(scripts / "versions")
    if head is not None:
        return head
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", str(scripts))
    return ScriptDirectory.from_config(config).get_current_head()


def _single_head(versions):
    """The head of a linear history of alembic scripts in `versions`, or None when it is not that simple."""
    import ast
    revisions, parents = set(), set()
    try:
        for path in versions.glob("*.py"):
            found = {}
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    found[node.targets[0].id] = node.value
            if "revision" not in found or "down_revision" not in found:
                return None
            revision, down = ast.literal_eval(found["revision"]), ast.literal_eval(found["down_revision"])
            if not isinstance(revision, str) or not (down is None or isinstance(down, str)):
                return None   # a merge (a tuple of parents) or something unusual
            revisions.add(revision)
            if down is not None:
                parents.add(down)
    except (OSError, SyntaxError, ValueError, TypeError):
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


nbgrader.api.get_alembic_version = alembic_head


@contextmanager
def opened(db_url):
    gb = Gradebook(db_url)
    # Objects stay loaded across commits: otherwise each submission's transaction reloads the
    # assignment, its notebook and every cell row after the previous commit (a third of a record's
    # cost). What this process reads back (scores, penalties) is expired first, so edits made
    # meanwhile by formgrader are seen.
    gb.db().expire_on_commit = False
    try:
        yield gb
    finally:
        gb.close()


def ensure_assignment(gb, spec):
    """Create or update the assignment, its notebook and one grade cell per item."""
    db = gb.db
    try:
        assignment = db.query(Assignment).filter_by(name=spec.slug).one_or_none()
        if assignment is None:
            assignment = Assignment(name=spec.slug)
            db.add(assignment)
        notebook = db.query(Notebook).filter_by(name=spec.slug, assignment=assignment).one_or_none()
        if notebook is None:
            notebook = Notebook(name=spec.slug, assignment=assignment)
            db.add(notebook)
        existing = {cell.name: cell for cell in db.query(GradeCell).filter_by(notebook=notebook)}  # one query
        for test in spec.tests:
            cell = existing.get(test.name)
            if cell is None:
                db.add(GradeCell(name=test.name, notebook=notebook, max_score=test.points, cell_type="code"))
            else:
                cell.max_score = test.points
        db.commit()
    except Exception:
        db.rollback()
        raise


def record(gb, spec, student_id, scores, timestamp=None):
    """Store {item: score} for one student's submission in a single transaction.

    Only auto_score is written: a manual_score set in formgrader stays, and wins (Grade.score).
    Every grade is marked as not needing manual grading, and each solution cell (from a course's
    release) gets its comment row, which formgrader and generate_feedback expect.
    """
    db = gb.db
    try:
        if db.query(Student).filter_by(id=student_id).one_or_none() is None:
            db.add(Student(id=student_id))
            db.flush()
        assignment = db.query(Assignment).filter_by(name=spec.slug).one()
        submission = (db.query(SubmittedAssignment)
                      .filter_by(assignment_id=assignment.id, student_id=student_id).one_or_none())
        if submission is None:
            submission = SubmittedAssignment(assignment=assignment, student_id=student_id)
            db.add(submission)
        if timestamp is not None:
            submission.timestamp = timestamp
        for notebook in assignment.notebooks:
            snb = (db.query(SubmittedNotebook)
                   .filter_by(notebook_id=notebook.id, assignment=submission).one_or_none())
            if snb is None:
                snb = SubmittedNotebook(notebook=notebook, assignment=submission)
                db.add(snb)
            by_cell = {g.cell_id: g for g in snb.grades}
            for cell in notebook.grade_cells:
                grade = by_cell.get(cell.id) or Grade(cell=cell, notebook=snb)
                grade.auto_score = float(scores.get(cell.name, 0.0))
                grade.needs_manual_grade = False
                db.add(grade)
            commented = {c.cell_id for c in snb.comments}
            for cell in notebook.solution_cells:
                if cell.id not in commented:
                    db.add(Comment(cell=cell, notebook=snb))
        db.commit()
    except Exception:
        db.rollback()
        raise


def scores(gb, slug, which="auto_score"):
    """{(student, item): score}: the grader's `auto_score` as stored, or (which="score") the score as
    nbgrader counts it, where a manual score set in formgrader wins over ours."""
    gb.db.expire_all()
    return {(submission.student_id, grade.cell.name): getattr(grade, which)
            for submission in gb.find_assignment(slug).submissions
            for snb in submission.notebooks for grade in snb.grades}


def final_scores(gb, slug):
    """{(student, item): score} as nbgrader counts it (manual scores included)."""
    return scores(gb, slug, "score")


def late_penalties(gb, slug):
    """{student: (seconds late, penalty in points)} of the submissions of `slug`."""
    gb.db.expire_all()
    out = {}
    for submission in gb.find_assignment(slug).submissions:
        penalty = sum(n.late_submission_penalty or 0.0 for n in submission.notebooks)
        out[submission.student_id] = (submission.total_seconds_late, penalty)
    return out
