"""Command line: python -m grader {build,autograde,check,demo} (see README.md)."""
import argparse
import sys

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
    a.add_argument("--db", default=None, help="gradebook database URL (default: sqlite in --out)")
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

    args = parser.parse_args(argv)
    if args.command == "build":
        from . import build
        return build.main(args.assignments, check_only=args.check)
    if args.command == "autograde":
        from . import autograde
        limits = sandbox.Limits(test_seconds=args.test_seconds, notebook_seconds=args.notebook_seconds,
                                memory_bytes=int(args.memory_gib * 2**30))
        csv_path = autograde.autograde(args.assignment, args.submissions, args.out, jobs=args.jobs, db_url=args.db,
                                       sandboxed=not args.no_sandbox, limits=limits, seed=args.seed,
                                       quiet=args.quiet, regrade=args.regrade)
        if not args.quiet:
            print(f"grades: {csv_path}\nfeedback: {csv_path.parent / 'feedback'}")
        return 0
    if args.command == "check":
        from . import check
        return check.check(args.notebook, sandboxed=False if args.no_sandbox else None)
    if args.command == "demo":
        from . import demo
        return demo.main(args.out, sandboxed=None if not args.no_sandbox else False)
    return 2


if __name__ == "__main__":
    sys.exit(main())
