"""The graded copy nbgrader's tools read: autograded/<student>/<slug>/<slug>.ipynb and timestamp.txt.

formgrader shows, and `nbgrader generate_feedback` renders, the autograded notebook cell by cell,
looking up each nbgrader cell's grade id in the gradebook; an id the gradebook does not know
stops them. So the copy is the student's notebook with its nbgrader metadata put back to the
release's: each graded cell is the solution cell `<item>_code`, each item has its grade cell
(re-inserted if the student deleted it), ids the release does not have are dropped, a repeated id
is kept once (on the last cell), and each grade cell's output is the grader's verdict and message.
"""
import copy
import json
import shutil
import uuid

from . import notebook


def _verdict_output(item, final):
    score = final if final is not None else item["score"]
    text = f"{item['status']}: {score:g} / {item['max_score']:g} points"
    if final is not None and final != item["score"]:
        text += f" (autograder: {item['score']:g}; adjusted by the instructor)"
    if item.get("message"):
        text += f"\n{item['message']}"
    return {"output_type": "stream", "name": "stdout", "text": text + "\n"}


def graded_copy(submitted_nb, released, result, final=None):
    """The autograded notebook (plain dict) from the submission (plain dict or None), the release's
    {grade_id: cell} and the grader's result; `final` = {item: the gradebook's score}."""
    final = final or {}
    items = {i["item"]: i for i in result["items"]}
    if submitted_nb is None:  # missing or unreadable: the release, so formgrader still shows the verdicts
        cells = [copy.deepcopy(c) for c in released.values()]
        nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    else:
        nb = copy.deepcopy(submitted_nb)
    code_ids = {gid[:-len("_code")]: gid for gid in released if gid.endswith("_code")}
    out = []
    for cell in nb["cells"]:
        cell.setdefault("metadata", {})
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        name = notebook.graded_name(cell.get("source", "")) if cell.get("cell_type") == "code" else None
        if name in code_ids:
            cell["metadata"]["nbgrader"] = copy.deepcopy(released[code_ids[name]]["metadata"]["nbgrader"])
        else:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
            wanted = released.get(gid)
            if wanted is None or wanted["metadata"]["nbgrader"].get("solution") != \
                    cell["metadata"]["nbgrader"].get("solution") or gid in code_ids.values():
                cell["metadata"].pop("nbgrader", None)
            else:
                cell["metadata"]["nbgrader"] = copy.deepcopy(wanted["metadata"]["nbgrader"])
        out.append(cell)
    # one cell per id: the last one wins (the one that ran last)
    seen = set()
    for cell in reversed(out):
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in seen:
            cell["metadata"].pop("nbgrader")
        elif gid:
            seen.add(gid)
    for gid, rcell in released.items():  # grade cells the student deleted: after their graded cell, or at the end
        if gid in seen or gid not in items:
            continue
        where = next((k + 1 for k, c in enumerate(out)
                      if c["metadata"].get("nbgrader", {}).get("grade_id") == f"{gid}_code"), len(out))
        cell = copy.deepcopy(rcell)
        cell.pop("id", None)
        if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
            cell["id"] = uuid.uuid4().hex[:8]
        out.insert(where, cell)
        seen.add(gid)
    for cell in out:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if cell.get("cell_type") == "code":
            cell.setdefault("outputs", [])
            cell.setdefault("execution_count", None)
            if gid in items and cell["metadata"]["nbgrader"].get("grade"):
                cell["outputs"] = [_verdict_output(items[gid], final.get(gid))]
    nb["cells"] = out
    return nb


def write(course, slug, student, submitted_nb, result, final=None):
    """Write autograded/<student>/<slug>/<slug>.ipynb; copy timestamp.txt and submission_secret.txt."""
    from .autograde import _atomic_write
    from .release import released_ids
    dest = course.path("autograded", student, slug)
    nb = graded_copy(submitted_nb, released_ids(course, slug), result, final)
    _atomic_write(dest / f"{slug}.ipynb", json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    for name in ("timestamp.txt", "submission_secret.txt"):  # release_feedback needs the secret
        src = course.path("submitted", student, slug) / name
        if src.is_file():
            shutil.copyfile(src, dest / name)
    return dest
