"""An nbgrader course directory as nbgrader itself sees it: its config, folders, gradebook and timestamps.

`release` and the course mode of `autograde` must put things exactly where nbgrader's own tools
(formgrader, generate_feedback, export, collect) look, and read what nbgrader_config.py says
(folder names, db_url, late-submission plugin). So this reads the course's config with traitlets,
as nbgrader does, and asks nbgrader's CourseDirectory for every path instead of guessing them.
"""
from pathlib import Path

from .outdir import Refused

MARKERS = ("nbgrader_config.py", "source", "release", "submitted", "autograded", "gradebook.db")
RESULTS = "grader_results"        # our --out inside a course: no clash with nbgrader's folders
ITEM_CSV = "item_scores.csv"      # not grades.csv, which `nbgrader export` writes in the course root


def is_course(folder):
    folder = Path(folder)
    return any((folder / m).exists() for m in MARKERS)


class Course:
    """The course at `root`: `config` (traitlets Config from nbgrader_config.py) and `coursedir`."""

    def __init__(self, root):
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader
        from nbgrader.coursedir import CourseDirectory
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise Refused(f"course folder {self.root} does not exist")
        config = Config()
        if (self.root / "nbgrader_config.py").is_file():
            config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config())
        config.CourseDirectory.root = str(self.root)
        self.config = config
        self.coursedir = CourseDirectory(config=config)

    @property
    def db_url(self):
        return self.coursedir.db_url

    def path(self, step, student, slug):
        """nbgrader's folder for `step` (source, release, submitted, autograded, feedback)."""
        return Path(self.coursedir.format_path(getattr(self.coursedir, f"{step}_directory"), student, slug))

    def submitted_root(self):
        return self.root / self.coursedir.submitted_directory

    def results(self):
        return self.root / RESULTS

    def timestamp(self, student, slug):
        """The submission's time from submitted/<student>/<slug>/timestamp.txt (UTC datetime), or None.

        As nbgrader reads it, except that an unreadable one counts as no timestamp (nbgrader stops
        the whole run): one student's damaged file must not stop the batch.
        """
        from nbgrader.utils import parse_utc
        path = self.path("submitted", student, slug) / "timestamp.txt"
        try:
            text = path.read_text(encoding="utf-8").strip()
            return parse_utc(text) if text else None
        except (OSError, ValueError, UnicodeDecodeError, OverflowError):
            return None


def find(course=None, otherwise="give --course DIR (or --submissions and --out to grade a plain folder)"):
    """The Course at `course`, or at the current folder; Refused when it is plainly not a course."""
    root = Path(course or ".").resolve()
    if not is_course(root):
        raise Refused(f"{root} is not an nbgrader course directory (no nbgrader_config.py, source/, release/ or "
                      f"submitted/): run this in the course folder, or {otherwise}")
    return Course(root)
