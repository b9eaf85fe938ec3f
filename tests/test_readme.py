"""The README's course table lists every assignment with what its spec grades, so it cannot go stale."""
import re

from grader import spec as specs
from grader.paths import ROOT

from conftest import SLUGS


def _rows():
    text = (ROOT / "README.md").read_text()
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(c\d\w+?)` \| [^|]+ \| ([^|]+) \|$", text, re.M)}


def test_every_assignment_is_in_the_course_table_with_its_points():
    rows = _rows()
    for slug in SLUGS:
        spec = specs.load(slug)
        functions = sum(t.kind == "function" for t in spec.tests)
        answers = len(spec.tests) - functions
        what = f"{functions} functions" if functions else f"{answers} answers"
        assert rows.get(slug, "").strip() == f"{what}, {spec.max_score:g} points", (slug, rows.get(slug))
    assert set(rows) == set(SLUGS), set(rows) ^ set(SLUGS)
