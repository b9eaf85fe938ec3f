"""Grade every submission of one assignment: sandboxed runs, trusted verdicts, gradebook, CSV, feedback.

Layout: <submissions>/<student_id>/<assignment>/<assignment>.ipynb. Results per student are
kept in <out>/results/<student>/<assignment>.json once the gradebook holds them, each with
what it was made from (provenance.py). A later run reuses a result only while that still
holds, so an interrupted batch resumes where it stopped, a finished one is not graded twice,
and a changed submission, solution, spec, limit or seed is graded again.

In an nbgrader course (`course=`), the same batch grades submitted/ into the course's gradebook;
coursemode.py then leaves autograded/, late penalties and files showing the gradebook's scores.
"""
import csv
import json
import os
import random
import shutil
import sys
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from tqdm import tqdm

from .outdir import Refused
from .stopping import Interrupted
from .paths import NOTEBOOKS
from .stage import stage
from . import (build, catalogue, feedback, notebook, outdir, pool, provenance, run, sandbox, spec as specs, stopping,
               summary, verdict)

CSV_FIELDS = ["student_id", "assignment", "item", "score", "max_score", "status"]
COURSE_MARKERS = ("submitted", "release", "source", "nbgrader_config.py")


def _atomic_write(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def find_notebook(folder, slug):
    """(path or None, notes, problem or None) for a student's assignment folder."""
    expected = folder / f"{slug}.ipynb"
    if expected.is_file():
        ignored = sorted(p.name for p in folder.glob("*.ipynb") if p.is_file() and p.name != expected.name)
        notes = [f"your folder also holds {', '.join(ignored)}: not graded; only {expected.name} was"
                 ] if ignored else []
        return expected, notes, None
    if not folder.is_dir():
        return None, [], ("missing-notebook", f"no folder {slug}/ in your submission")
    others = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if len(others) == 1:
        return others[0], [f"your notebook is named {others[0].name}, not {slug}.ipynb; it was graded anyway"], None
    if others:
        names = ", ".join(p.name for p in others)
        return None, [], ("missing-notebook", f"no {slug}.ipynb, and several other notebooks ({names}): "
                                              "rename the one to grade")
    return None, [], ("missing-notebook", f"no {slug}.ipynb in your submission")


def grade_submission(spec, folder, calls, reference, limits, sandboxed, diagnose=None):
    """Grade one student's assignment folder; returns {"items": [...], "notes": [...]} (plain data).

    `reference` and `diagnose` may be Futures still being computed: judging waits for the reference,
    and for the catalogue's values only to explain a failed item (verdict.py).
    """
    path, notes, problem = find_notebook(folder, spec.slug)
    if problem:
        return {"items": [i.as_dict() for i in verdict.everything(spec, *problem)], "notes": notes}
    nb, reason = notebook.read(path)
    if nb is None:
        return {"items": [i.as_dict() for i in verdict.everything(spec, "invalid-notebook", reason)], "notes": notes}
    if nb.get("converted_from"):
        notes.append(f"your notebook is in the old nbformat {nb['converted_from']} format; it was converted "
                     "to nbformat 4 and graded")
    found = notebook.graded_cells(nb)
    for test in spec.tests:
        if test.name not in found:
            notes.append(f"the graded cell for '{test.name}' is missing")
        elif len(found.get(test.name, [])) > 1:
            notes.append(f"'# GRADED FUNCTION: {test.name}' appears in {len(found[test.name])} cells; "
                         "the last one to run was graded")
    scratch = pool.scratch("submission-", sandboxed)
    try:
        stage(NOTEBOOKS / spec.slug, path, scratch)
        outcome = run.run(scratch, notebook.cells_to_run(nb), calls, limits, sandboxed)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if outcome.status == "timeout" and not any(o.kind == "result" for o in outcome.outcomes.values()):
        items = verdict.everything(spec, "timeout", f"your notebook's cells took longer than "
                                   f"{limits.notebook_seconds:g} s to run, so no function could be graded")
    else:
        if isinstance(reference, Future):
            reference = reference.result()
        items = verdict.judge(spec, outcome.outcomes, reference, limits, calls, diagnose)
    for err in outcome.cell_errors[:10]:
        notes.append(f"cell {notebook.cell_number(err.get('index'))} raised {err['type']}: {err['message'][:200]}")
    return {"items": [i.as_dict() for i in items], "notes": notes, "seconds": round(outcome.seconds, 2)}


def write_csv(out, name="grades.csv", final=None, penalties=None):
    """Rewrite <out>/<name> from the result files; `final` {(student, item): score} overrides the
    grader's scores (a course's gradebook, with formgrader's manual scores), `penalties`
    {student: points} adds a `late_penalty` row for each late submission that lost points."""
    final, penalties = final or {}, penalties or {}
    rows = []
    for result_file in sorted((out / "results").glob("*/*.json")):
        data = json.loads(result_file.read_text())
        student = data["student_id"]
        for item in data["items"]:
            score = final.get((student, item["item"]), item["score"])
            rows.append([student, data["assignment"], item["item"], f"{score:g}",
                         f"{item['max_score']:g}", item["status"]])
        if penalties.get(student):
            rows.append([student, data["assignment"], "late_penalty", f"{-penalties[student]:g}", "0", "late"])
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS)
        writer.writerows(rows)
    os.replace(tmp, out / name)
    return out / name


def gradebook_url(db, out):
    """The gradebook's database URL: `db` as given when it is a URL, sqlite at `db` when it is a file path."""
    if not db:
        return f"sqlite:///{(Path(out) / 'gradebook.db').resolve()}"
    if "://" in db:
        return db
    path = Path(db).expanduser().resolve()
    if path.is_dir():
        raise Refused(f"--db {db} is a folder: give a file, such as {Path(db) / 'gradebook.db'}, or a database URL")
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def class_folders(submissions, slug):
    """The student ids under `submissions`, after refusing what is plainly not a class folder."""
    if not submissions.is_dir():
        raise Refused(f"submissions folder {submissions} does not exist")
    markers = [m for m in COURSE_MARKERS if (submissions / m).exists()]
    if markers:
        raise Refused(f"{submissions} holds {', '.join(markers)}: this looks like an nbgrader course; did you mean "
                      f"--submissions {submissions / 'submitted'}?")
    return sorted(p.name for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))


def _layout_warnings(submissions, slug, everyone):
    if not everyone:
        return [f"warning: no submissions found in {submissions} (expected "
                f"{submissions}/<student_id>/{slug}/{slug}.ipynb); nothing to grade"]
    if not any((submissions / s / slug).is_dir() for s in everyone):
        loose = any(any((submissions / s).glob("*.ipynb")) for s in everyone)
        return [f"warning: none of the {len(everyone)} student folders in {submissions} has a {slug}/ folder, so "
                f"every student is graded missing-notebook (expected {submissions}/<student_id>/{slug}/{slug}.ipynb"
                + ("; notebooks sit directly in the student folders" if loose else "") + ")"]
    return []


def _load_result(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _fresh(result, made_from):
    """Whether a stored result still stands: made from the same inputs, and not the grader's own failure."""
    return (isinstance(result, dict) and result.get("made_from") == made_from
            and not any(i.get("status") == "grader-error" for i in result.get("items", [])))


def autograde(slug, submissions, out, jobs=None, db_url=None, sandboxed=True, limits=None, seed=None,
              quiet=False, regrade=False, log=print, students=None, force=False, course=None, scheduler=None):
    """Grade the class in `submissions` into `out`; returns the path of grades.csv.

    `students` limits the run to those student ids; `force` grades into an `out` made for another
    class. Raises Refused (nothing done, a message saying what to do) and Interrupted (Ctrl-C:
    results finished so far are kept and grades.csv rewritten).

    With `course` (a course.Course; `submissions`, `out` and `db_url` are then ignored), grades
    its submitted/ into its gradebook, leaves autograded/<student>/<slug>/ as nbgrader does, our
    results and feedback in <course>/grader_results/ and returns the path of its item_scores.csv.

    With `scheduler` (a Dask scheduler's address, a scheduler file, or "local" for a LocalCluster here),
    the submissions are graded on the cluster's workers (cluster.py); this process stays the only writer.
    """
    # The warm pool starts at once, in the background, while this process prepares the batch.
    with pool.serving(sandboxed and scheduler is None, log):
        return _autograde(slug, submissions, out, jobs, db_url, sandboxed, limits, seed, quiet, regrade, log,
                          students, force, course, scheduler)


def _autograde(slug, submissions, out, jobs, db_url, sandboxed, limits, seed, quiet, regrade, log, students, force,
               course, scheduler):
    spec = specs.load(slug)
    if course is not None:
        from .release import released_ids
        if not released_ids(course, slug):
            raise Refused(f"{slug} is not released in {course.root}: run `python -m grader release {slug}` there "
                          "first (it registers the assignment's grade cells in the gradebook)")
        submissions, out, db_url = course.submitted_root(), course.results(), course.db_url
        if not submissions.is_dir():
            raise Refused(f"no {submissions.name}/ folder in {course.root}: collect submissions first "
                          f"(nbgrader collect {slug})")
    submissions, out = Path(submissions), Path(out)
    everyone = class_folders(submissions, slug)
    unknown = [s for s in (students or []) if s not in everyone]
    if unknown:
        raise Refused(f"no folder for student {', '.join(unknown)} in {submissions}")
    selected = sorted(set(students)) if students else everyone
    if sandboxed and (scheduler is None or scheduler == "local"):  # a remote cluster's workers check their own
        try:
            sandbox.check_available()
        except sandbox.SandboxUnavailable as exc:
            raise SystemExit(f"error: cannot grade safely: {exc}.\nInstall bubblewrap, or pass --no-sandbox "
                             "to run student code unconfined (only for code you trust).")
    elif not quiet:
        log("notice: grading WITHOUT the sandbox: student code runs with your permissions.")
    for warning in _layout_warnings(submissions, slug, everyone):
        log(warning)
    if out.exists() and not out.is_dir():
        raise Refused(f"--out {out} is a file, not a folder")
    limits = limits or sandbox.Limits()
    if course is None:
        db_url = gradebook_url(db_url, out)
    out.mkdir(parents=True, exist_ok=True)
    with outdir.locked(out):
        runs = outdir.RunLog(out)
        outdir.check_class(out, submissions, set(everyone), runs.runs, force)
        from .startup import preload
        preload("grader.gradebook")  # nbgrader's database layer loads while workers compute the reference answers
        if seed is None:
            last = runs.last(assignment=slug)
            seed = last["seed"] if last and isinstance(last.get("seed"), int) else \
                random.SystemRandom().randrange(2**31)
        made = provenance.made_from(None, provenance.assignment(slug), limits, sandboxed, seed)
        runs.start(assignment=slug, seed=seed, limits=made["limits"], submissions=str(submissions.resolve()),
                   students=selected if students else "all")
        try:
            return _batch(spec, submissions, out, selected, made, jobs, db_url, limits, sandboxed, seed,
                          quiet, regrade, log, runs, course, scheduler)
        except KeyboardInterrupt:  # before the batch loop (computing the reference answers): nothing new graded
            done = sum(1 for s in selected if (out / "results" / s / f"{slug}.json").exists())
            runs.finish("interrupted")
            raise Interrupted(slug, out, done, len(selected)) from None
        except Interrupted:
            raise
        except BaseException:
            runs.finish("failed")
            raise


def _batch(spec, submissions, out, selected, made, jobs, db_url, limits, sandboxed, seed, quiet, regrade, log, runs,
           course=None, scheduler=None):
    slug = spec.slug
    result_path = {s: out / "results" / s / f"{slug}.json" for s in selected}
    made_for = {s: {**made, "submission": provenance.submission(submissions / s / slug)} for s in selected}
    kept, stale = [], 0
    for s in selected:
        stored = _load_result(result_path[s]) if result_path[s].exists() else None
        if stored is None:
            continue
        if not regrade and _fresh(stored, made_for[s]):
            kept.append(s)
        else:
            stale += 1
    todo = [s for s in selected if s not in kept]
    if not quiet and kept:
        log(f"resuming: {len(kept)} of {len(selected)} submissions already graded")
    if not quiet and stale and not regrade:
        log(f"grading again {stale} submission{'s' if stale > 1 else ''} graded earlier from another notebook, "
            "solution, spec, limits or seed")
    graded_now, interrupted = [], False
    calls = answers = None
    if todo and scheduler is None:  # with a scheduler, each worker computes them (cluster.py)
        calls = specs.hidden_calls(spec, seed)
        answers = _answers(spec, calls)
    from . import gradebook  # nbgrader's database layer: only a batch needs it
    stopping.reset()
    with gradebook.opened(db_url) as gb, stopping.signals_set_flag():
        gradebook.ensure_assignment(gb, spec)
        bar_args = dict(total=len(todo), desc=f"grading {slug}", unit="nb", disable=quiet or not todo, file=sys.stderr)

        def record(student, result):
            result.update(student_id=student, assignment=slug, made_from=made_for[student])
            gradebook.record(gb, spec, student, {i["item"]: i["score"] for i in result["items"]},
                             timestamp=course.timestamp(student, slug) if course else None)
            _atomic_write(result_path[student], json.dumps(result, indent=1) + "\n")
            if course is None:
                _atomic_write(out / "feedback" / student / f"{slug}.html", feedback.page(student, spec, result))
            graded_now.append(student)
        if scheduler is not None:
            interrupted = _cluster_batch(spec, submissions, todo, seed, limits, sandboxed, jobs, scheduler, record,
                                         bar_args, quiet, log)
        else:
            interrupted = _local_batch(spec, submissions, todo, calls, answers, limits, sandboxed, jobs, record,
                                       bar_args)
        results = {s: r for s in selected if (r := _load_result(result_path[s])) is not None}
        if course is None:
            csv_path = write_csv(out)
        else:
            from . import coursemode
            csv_path = coursemode.finish(course, spec, gb, out, results, submissions)
        counts = summary.status_counts(results.values())
        runs.finish("interrupted" if interrupted else "completed", graded=len(graded_now), kept=len(kept),
                    submissions_count=len(selected), items_by_status=counts)
        if interrupted:
            raise Interrupted(slug, out, len(results), len(selected))
    if not quiet:
        log(summary.text(slug, results, len(graded_now)))
    return csv_path


def _cluster_batch(spec, submissions, todo, seed, limits, sandboxed, jobs, scheduler, record, bar_args, quiet, log):
    """Grade `todo` on a Dask cluster, recording each result here as it comes back; True when interrupted."""
    from . import cluster
    if not todo:
        return False
    try:
        client, cleanup = cluster.connect(scheduler, jobs)
    except OSError as exc:
        raise Refused(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        if not quiet or not workers:
            log(f"grading on {scheduler if scheduler != cluster.LOCAL else 'a local Dask cluster'} "
                f"({workers} worker{'s' if workers != 1 else ''} connected"
                + ("; submissions wait until one joins: dask worker --preload grader.daskworker ...)" if not workers
                   else ")"))
        folders = {s: submissions / s / spec.slug for s in todo}
        with tqdm(**bar_args) as bar:
            for student, result in cluster.grade_all(client, spec, todo, folders, seed, limits, sandboxed,
                                                     stop=stopping.requested.is_set):
                record(student, result)
                bar.update(1)
        return stopping.requested.is_set()
    finally:
        cleanup()


def _answers(spec, calls):
    """Futures of what judging needs: the reference answers, and the catalogue's (entries, values) or None.

    Both are computed while this thread opens the gradebook and the first submissions' workers run:
    judging waits for the reference answers, and for the catalogue only to explain a failed item.
    """
    computing = ThreadPoolExecutor(2, thread_name_prefix="reference")
    reference = computing.submit(lambda: build.reference_outcomes(spec, calls)[0])
    entries = catalogue.load(spec.slug)
    diagnosis = computing.submit(lambda: (entries, build.reference_outcomes(spec, calls, entries=entries,
                                                                            solution_calls=False)[1])
                                 if entries else None)
    computing.shutdown(wait=False)
    return reference, diagnosis


def _local_batch(spec, submissions, todo, calls, answers, limits, sandboxed, jobs, record, bar_args):
    """Grade `todo` in this machine's threads (each runs sandboxed workers); True when interrupted.

    `answers` are the futures of `_answers`: a submission's worker runs while they are computed. If
    the reference answers fail, the batch stops with their error (nothing is recorded).
    """
    if not todo:
        return False
    reference, diagnosis = answers
    slug = spec.slug
    interrupted = False
    # A pool's worker spends part of its life waiting (forking, joining its cgroup, being reaped):
    # two per core keep the cores busy.
    jobs = max(1, jobs or (os.cpu_count() or 1) * (2 if pool.shared() else 1))
    threads = ThreadPoolExecutor(max_workers=jobs)
    bar = tqdm(**bar_args)
    try:
        futures = {threads.submit(grade_submission, spec, submissions / s / slug, calls, reference, limits,
                                  sandboxed, diagnosis): s for s in todo}
        pending = set(futures)
        while pending and not stopping.requested.is_set():
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            for future in done:
                if reference.done() and reference.exception() is not None:
                    raise reference.exception()   # the solution itself failed: a grader error, not a grade
                student = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the grader's own failure on one submission: record it, go on
                    result = {"items": [i.as_dict() for i in verdict.everything(
                        spec, "grader-error", f"the grader failed on this submission ({type(exc).__name__}); "
                                              "ask your instructor")], "notes": []}
                record(student, result)
                bar.update(1)
        if pending:  # asked to stop: kill what still runs, keep what is done
            interrupted = True
            stopping.stop()
            running = [f for f in pending if not f.cancel()]  # cancelled ones never count as done
            threads.shutdown(wait=False, cancel_futures=True)
            if not wait(running, timeout=1.5).not_done:
                stopping.reset()  # every thread has unwound: workers may start again in this process
        if not interrupted and diagnosis.done() and diagnosis.exception() is not None:
            raise diagnosis.exception()   # a broken catalogue (mistakes.py): failed items were not explained
        if not interrupted and not diagnosis.done():   # no failed item needed it: stop computing it
            stopping.stop()
            wait([diagnosis])
            stopping.reset()
    finally:
        bar.close()
        if not interrupted:
            threads.shutdown(wait=True)
    return interrupted
