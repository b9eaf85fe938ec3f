"""The mistake catalogues (solutions/<slug>/mistakes.py): every catalogued mistake loses its item under
each of five grading seeds and its feedback names it; every equivalent rewrite keeps full marks."""
import pytest

from grader import build, catalogue, run, sandbox, spec as specs, verdict
from grader.paths import SOLUTIONS

from conftest import SLUGS

SEEDS = [11, 2024, 31337, 424242, 9876543]
CATALOGUED = [s for s in SLUGS if (SOLUTIONS / s / "mistakes.py").exists()]


def _tagged_calls(spec):
    """The hidden calls of every seed in one list: ids 'name#k@seed', so one solution run serves all."""
    return [{**c, "id": f"{c['id']}@{seed}"} for seed in SEEDS for c in specs.hidden_calls(spec, seed)]


@pytest.fixture(scope="module")
def graded_catalogues():
    return {}


def _catalogue_run(slug, cache):
    if slug not in cache:
        spec = specs.load(slug)
        entries = catalogue.load(slug)
        calls = _tagged_calls(spec)
        reference, entry_outcomes = build.reference_outcomes(spec, calls, entries=entries)
        cache[slug] = spec, entries, calls, reference, entry_outcomes
    return cache[slug]


@pytest.mark.parametrize("slug", CATALOGUED)
def test_every_graded_function_has_mistakes_and_a_rewrite(slug):
    spec, entries = specs.load(slug), catalogue.load(slug)
    for test in spec.tests:
        if test.kind != "function":
            continue
        kinds = [e.kind for e in entries if e.item == test.name]
        assert "mistake" in kinds, f"{slug}: no catalogued mistake for {test.name}"
        assert "rewrite" in kinds, f"{slug}: no equivalent rewrite for {test.name}"
    names = {t.name for t in spec.tests}
    assert all(e.item in names for e in entries), [e.item for e in entries if e.item not in names]


@pytest.mark.parametrize("slug", CATALOGUED)
def test_each_mistake_loses_its_item_under_every_seed_and_is_named(slug, graded_catalogues):
    spec, entries, calls, reference, entry_outcomes = _catalogue_run(slug, graded_catalogues)
    tests = {t.name: t for t in spec.tests}
    problems = []
    for seed in SEEDS:
        ref = {k: v for k, v in reference.items() if k.endswith(f"@{seed}")}
        seed_calls = [c for c in calls if c["id"].endswith(f"@{seed}")]
        for entry, outcomes in zip(entries, entry_outcomes):
            test = tests[entry.item]
            mine = {k: o for k, o in outcomes.items() if k.endswith(f"@{seed}")}
            [result] = verdict.judge(specs.Spec(slug, [test], [], [], ""), mine, ref, sandbox.Limits(), seed_calls,
                                     (entries, entry_outcomes))
            if entry.kind == "mistake":
                if result.score >= test.points:
                    problems.append(f"seed {seed}: mistake '{entry.description}' of {entry.item} keeps full marks")
                elif all(o.kind == "result" for o in mine.values()) and entry.description not in result.message:
                    problems.append(f"seed {seed}: feedback for '{entry.description}' of {entry.item} does not "
                                    f"name it: {result.message!r}")
            elif result.score < test.points:
                problems.append(f"seed {seed}: rewrite '{entry.description}' of {entry.item} loses marks: "
                                f"{result.status}, {result.message}")
    assert not problems, "\n".join(problems)


def test_a_catalogue_entry_runs_in_the_notebook_namespace_under_a_private_name():
    entry = catalogue.Entry("f", "adds one", "mistake", "def f(x):\n    return helper(x) + 1")
    cells, calls = catalogue.cells_and_calls([entry], [{"id": "f#0", "func": "f", "kwargs": {"x": 1}},
                                                       {"id": "g#0", "func": "g", "kwargs": {}}])
    assert calls == [{"id": "0|f#0", "func": catalogue.private_name(0), "kwargs": {"x": 1}}]
    assert cells[0]["source"].startswith(f"def {catalogue.private_name(0)}(x):")
    reference, per_entry = catalogue.split({"f#0": run.Outcome("result", 2), "0|f#0": run.Outcome("result", 3)}, 1)
    assert reference["f#0"].value == 2 and per_entry[0]["f#0"].value == 3


def test_a_submission_with_a_catalogued_mistake_is_told_its_likely_mistake(tmp_path, sandboxed):
    """End to end: the solution with softmax dividing by `//` fails softmax, and the feedback names why."""
    import json

    import nbformat

    from grader import autograde
    slug = "c1w2_numpy_basics"
    nb = nbformat.read(SOLUTIONS / slug / f"{slug}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.source.lstrip().startswith("# GRADED FUNCTION: softmax"))
    assert "s = x_exp / x_sum" in cell.source
    cell.source = cell.source.replace("s = x_exp / x_sum", "s = x_exp // x_sum")
    folder = tmp_path / "subs" / "sam" / slug
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{slug}.ipynb")
    autograde.autograde(slug, tmp_path / "subs", tmp_path / "out", sandboxed=sandboxed, quiet=True, seed=5)
    items = {i["item"]: i for i in json.loads((tmp_path / "out" / "results" / "sam" / f"{slug}.json").read_text())["items"]}
    assert items["softmax"]["score"] == 0 and "Likely mistake: divides with // (integer division)" in items["softmax"]["message"]
    assert all(i["status"] == "passed" for name, i in items.items() if name != "softmax")
    page = (tmp_path / "out" / "feedback" / "sam" / f"{slug}.html").read_text()
    assert "divides with // (integer division)" in page
