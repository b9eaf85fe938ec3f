"""Command line: python -m grader {build,release,autograde,check,demo,report} (see README.md)."""
import argparse
import os
import shlex
import sys
import threading

# Before NumPy loads: this process compares results and draws small hidden inputs, and gains nothing
# from OpenBLAS's thread per core, whose start costs about 0.07 s of CPU at `import numpy`, taken
# from the sandboxed workers running beside it. (The workers set their own: sandbox.py.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from . import sandbox  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description="Build and grade the course's assignments.")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="regenerate student notebooks and visible tests from solutions/")
    b.add_argument("assignments", nargs="*", help="slugs to build (default: all)")
    b.add_argument("--check", action="store_true", help="only report whether notebooks/ is up to date")

    rl = sub.add_parser("release", help="write source/ and release/ of an assignment in an nbgrader course "
                                        "and register it in the course's gradebook")
    rl.add_argument("assignment")
    rl.add_argument("--course", default=None, help="the nbgrader course directory (default: the current folder)")
    rl.add_argument("--due", default=None, metavar='"YYYY-MM-DD HH:MM:SS TZ"', help="the due date (late penalties)")

    a = sub.add_parser("autograde", help="grade every submission of an assignment (without --submissions and "
                                         "--out: the submitted/ folder of the nbgrader course here)")
    a.add_argument("assignment")
    a.add_argument("--submissions", default=None, help="folder laid out as <student>/<assignment>/<notebook>.ipynb")
    a.add_argument("--out", default=None, help="where grades.csv, feedback/ and the gradebook go")
    a.add_argument("--course", default=None, help="the nbgrader course directory (default: the current folder, "
                                                  "when neither --submissions nor --out is given)")
    a.add_argument("--jobs", type=int, default=None,
                   help="submissions graded at once (default: two per core with the warm pool, else one per core)")
    a.add_argument("--db", default=None, help="gradebook: a database URL (postgresql://...) or a file path "
                                              "for SQLite (default: <out>/gradebook.db)")
    a.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    a.add_argument("--force", action="store_true", help="grade into an --out made for another submissions folder")
    a.add_argument("--seed", type=int, default=None, help="seed of the hidden inputs (default: random, recorded)")
    a.add_argument("--regrade", action="store_true", help="grade again submissions already graded in --out")
    a.add_argument("--no-sandbox", action="store_true", help="run student code unconfined (trusted code only)")
    a.add_argument("--quiet", action="store_true", help="no progress bar or notices")
    a.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                   help="grade on a Dask cluster: its scheduler's address (or scheduler file), or `local` for a "
                        "LocalCluster of --jobs workers here; workers run `dask worker --preload grader.daskworker`")
    a.add_argument("--test-seconds", type=float, default=sandbox.Limits.test_seconds)
    a.add_argument("--notebook-seconds", type=float, default=sandbox.Limits.notebook_seconds)
    a.add_argument("--memory-gib", type=float, default=sandbox.Limits.memory_bytes / 2**30)

    c = sub.add_parser("check", help="check one notebook against its visible tests")
    c.add_argument("notebook")
    c.add_argument("--no-sandbox", action="store_true", help="run without the sandbox")

    d = sub.add_parser("demo", help="make the bundled sample class and grade it")
    d.add_argument("--out", default="demo", help="where the sample class and results go (default: demo/)")
    d.add_argument("--no-sandbox", action="store_true", help="run student code unconfined")

    r = sub.add_parser("report", help="the class report (report.html) and similar code (similarity.csv) of --out")
    r.add_argument("assignments", nargs="*", help="slugs (several make one course-wide page)")
    r.add_argument("--out", default=None, help="the --out folder of autograde; the report is written there "
                                               "(default, in an nbgrader course: its grader_results/)")
    r.add_argument("--all", action="store_true", help="one course-wide page (no slug: every assignment in --out)")
    r.add_argument("--submissions", default=None, help="the submitted notebooks (default: as run.json records)")
    r.add_argument("--threshold", type=float, default=None, help="list pairs at least this similar (default 0.8)")
    r.add_argument("--common", type=float, default=None, help="code in more than this fraction of the class "
                                                              "weighs nothing (default 0.3)")
    r.add_argument("--min-shared", type=int, default=None, help="syntax nodes of code a pair must share (default 20)")

    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else list(argv)
    from .outdir import Refused
    from .stopping import Interrupted
    try:
        return _run(args)
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.code
    except Interrupted as exc:
        print(f"\n{exc}; the grades CSV lists them.\nTo resume, run the same command again; it grades only "
              f"the rest:\n  {_resume_hint(argv)}", file=sys.stderr)
        _exit_now(130)
    except KeyboardInterrupt:
        print("\ninterrupted (nothing is lost: results are written one submission at a time).", file=sys.stderr)
        _exit_now(130)


def _resume_hint(argv):
    """The command that resumes an interrupted batch: the same one, without --regrade."""
    again = [a for a in argv if a != "--regrade"]
    return "python -m grader " + shlex.join(again)


def _exit_now(code):
    """Exit with `code`, without waiting for grading threads that are still unwinding."""
    sys.stdout.flush()
    sys.stderr.flush()
    if threading.active_count() > 1:
        os._exit(code)
    sys.exit(code)


def _run(args):
    if args.command == "build":
        from . import build
        return build.main(args.assignments, check_only=args.check)
    if args.command == "release":
        from . import course, release
        release.release(args.assignment, course.find(args.course), due=args.due)
        return 0
    if args.command == "autograde":
        from . import autograde
        from .outdir import Refused
        limits = sandbox.Limits(test_seconds=args.test_seconds, notebook_seconds=args.notebook_seconds,
                                memory_bytes=int(args.memory_gib * 2**30))
        the_course = None
        if args.submissions is None and args.out is None:
            from . import course
            if args.db:
                raise Refused("in a course, the gradebook is the course's (its nbgrader_config.py's "
                              "CourseDirectory.db_url): drop --db, or give --submissions and --out")
            the_course = course.find(args.course)
        elif args.submissions is None or args.out is None or args.course:
            raise Refused("give both --submissions and --out, or neither (to grade the nbgrader course here "
                          "or at --course)")
        csv_path = autograde.autograde(args.assignment, args.submissions, args.out, jobs=args.jobs, db_url=args.db,
                                       sandboxed=not args.no_sandbox, limits=limits, seed=args.seed,
                                       quiet=args.quiet, regrade=args.regrade, students=args.student,
                                       force=args.force, course=the_course, scheduler=args.scheduler)
        if not args.quiet:
            print(f"grades: {csv_path}\nfeedback: {csv_path.parent / 'feedback'}")
            if the_course is not None:
                print(f"gradebook: {the_course.db_url}\nautograded: {the_course.root / the_course.coursedir.autograded_directory}")
        return 0
    if args.command == "check":
        from . import check
        return check.check(args.notebook, sandboxed=False if args.no_sandbox else None)
    if args.command == "demo":
        from . import demo
        return demo.main(args.out, sandboxed=None if not args.no_sandbox else False)
    if args.command == "report":
        from . import report
        if args.out is None:            # in an nbgrader course: its results, and reports/<slug>.html
            from . import course
            the_course = course.find(None, otherwise="give --out (the --out folder of autograde)")
            args.out, args.reports = str(the_course.results()), str(the_course.root / "reports")
        return report.main(args)
    return 2


if __name__ == "__main__":
    status = main()
    # Exiting, Python would run a last garbage collection over every object the run made (about
    # 0.3 s after a batch, for nothing that needs finalising): it skips frozen objects.
    import gc
    gc.freeze()
    sys.exit(status)
