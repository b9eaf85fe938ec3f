"""The end of a batch in an nbgrader course: late penalties, graded copies, feedback and CSV from the gradebook.

Run after every batch on every student with a result (graded now or kept), because what the
course's gradebook says can change between runs without any submission changing: an instructor
saves a manual score in formgrader, or changes the late-submission policy in nbgrader_config.py.
So the late penalty is applied by nbgrader's own AssignLatePenalties (with the course's config:
LateSubmissionPlugin, its penalty_method, or a plugin of the instructor's), and the autograded
notebook, the feedback page and item_scores.csv all show the gradebook's final score of each item
(manual_score when one was set, else ours), not the grader's alone.
"""
from . import autograded, feedback, gradebook
from .autograde import _atomic_write, find_notebook, write_csv
from .course import ITEM_CSV
from . import notebook as nbread


def _late_penalty(course, spec, student):
    import nbformat
    from nbgrader.preprocessors import AssignLatePenalties
    resources = {"nbgrader": {"db_url": course.db_url, "assignment": spec.slug, "notebook": spec.slug,
                              "student": student}}
    pp = AssignLatePenalties(config=course.config)
    pp.log.disabled = True  # its warnings go to the feedback and the CSV instead
    pp.preprocess(nbformat.v4.new_notebook(), resources)


def _late_note(seconds, penalty):
    hours = seconds / 3600
    when = f"{hours:.1f} hours" if hours >= 1 else f"{seconds / 60:.0f} minutes"
    return f"submitted {when} after the deadline" + (f": late penalty {penalty:g} points" if penalty else "")


def finish(course, spec, gb, out, results, submissions):
    """Late penalties, autograded/<student>/<slug>/, feedback pages and item_scores.csv; returns the CSV's path."""
    slug = spec.slug
    for student in results:
        _late_penalty(course, spec, student)
    final = gradebook.final_scores(gb, slug)   # it reads afresh: the penalties were written through another session
    late = gradebook.late_penalties(gb, slug)
    for student, result in results.items():
        mine = {item: score for (s, item), score in final.items() if s == student}
        path, _, problem = find_notebook(submissions / student / slug, slug)
        submitted = nbread.read(path)[0] if path and not problem else None
        autograded.write(course, slug, student, submitted, result, mine)
        shown = dict(result, items=[dict(i, score=mine.get(i["item"], i["score"])) for i in result["items"]])
        seconds, penalty = late.get(student, (0, 0))
        if seconds and seconds > 0:
            shown["notes"] = list(result.get("notes", [])) + [_late_note(seconds, penalty)]
        _atomic_write(out / "feedback" / student / f"{slug}.html", feedback.page(student, spec, shown))
    penalties = {s: p for s, (_, p) in late.items() if p and s in results}
    return write_csv(out, ITEM_CSV, final, penalties)
