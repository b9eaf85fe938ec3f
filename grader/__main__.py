"""Command line: python -m grader {build,autograde,check,demo} (see README.md)."""
import argparse
import os
import shlex
import sys
import threading

from . import sandbox


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description="Build and grade the course's assignments.")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="regenerate student notebooks and visible tests from solutions/")
    b.add_argument("assignments", nargs="*", help="slugs to build (default: all)")
    b.add_argument("--check", action="store_true", help="only report whether notebooks/ is up to date")

    a = sub.add_parser("autograde", help="grade every submission of an assignment")
    a.add_argument("assignment")
    a.add_argument("--submissions", required=True, help="folder laid out as <student>/<assignment>/<notebook>.ipynb")
    a.add_argument("--out", required=True, help="where grades.csv, feedback/ and the gradebook go")
    a.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: all cores)")
    a.add_argument("--db", default=None, help="gradebook: a database URL (postgresql://...) or a file path "
                                              "for SQLite (default: <out>/gradebook.db)")
    a.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    a.add_argument("--force", action="store_true", help="grade into an --out made for another submissions folder")
    a.add_argument("--seed", type=int, default=None, help="seed of the hidden inputs (default: random, recorded)")
    a.add_argument("--regrade", action="store_true", help="grade again submissions already graded in --out")
    a.add_argument("--no-sandbox", action="store_true", help="run student code unconfined (trusted code only)")
    a.add_argument("--quiet", action="store_true", help="no progress bar or notices")
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
    r.add_argument("--out", required=True, help="the --out folder of autograde; the report is written there")
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
        print(f"\n{exc}; grades.csv lists them.\nTo resume, run the same command again; it grades only "
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
    if args.command == "autograde":
        from . import autograde
        limits = sandbox.Limits(test_seconds=args.test_seconds, notebook_seconds=args.notebook_seconds,
                                memory_bytes=int(args.memory_gib * 2**30))
        csv_path = autograde.autograde(args.assignment, args.submissions, args.out, jobs=args.jobs, db_url=args.db,
                                       sandboxed=not args.no_sandbox, limits=limits, seed=args.seed,
                                       quiet=args.quiet, regrade=args.regrade, students=args.student,
                                       force=args.force)
        if not args.quiet:
            print(f"grades: {csv_path}\nfeedback: {csv_path.parent / 'feedback'}")
        return 0
    if args.command == "check":
        from . import check
        return check.check(args.notebook, sandboxed=False if args.no_sandbox else None)
    if args.command == "demo":
        from . import demo
        return demo.main(args.out, sandboxed=None if not args.no_sandbox else False)
    if args.command == "report":
        from . import report
        return report.main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
