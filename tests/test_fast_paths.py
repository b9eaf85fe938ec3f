"""The speed measures keep every guarantee: deferred imports in the worker, cached reference answers.

Deferred imports: a notebook's `import matplotlib.pyplot as plt` (and scipy, h5py) binds a module
whose code runs on first use, inside the same fresh sandbox as before; graded code that uses it
gets the real module. Cached reference answers: the same (solution, released files, spec, seed)
gives the same answers from the cache; anything different is a different key; a damaged entry is
recomputed; the cache is out of the sandbox's sight.
"""
import json
import os

import pytest

from grader import build, catalogue, refcache, run, sandbox, spec as specs

SANDBOXED = sandbox.available_or_notice("testing", log=lambda *_: None)
LIMITS = sandbox.Limits(test_seconds=20, notebook_seconds=30, memory_bytes=2 << 30)

CELLS = [
    {"index": 0, "source": "import sys\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
                           "import matplotlib.pyplot as plt_again\nimport matplotlib\n"
                           "from scipy.special import expit\nimport h5py\n"},
    {"index": 1, "source": "def loaded():\n"
                           "    return sorted(m for m in ('matplotlib.figure', 'h5py._hl.files') if m in sys.modules)\n"
                           "def plot(n):\n"
                           "    fig, ax = plt.subplots()\n"
                           "    ax.plot(np.arange(n))\n"
                           "    fig.canvas.draw()\n"
                           "    return [type(plt).__name__, plt is plt_again, matplotlib.get_backend().lower(), n]\n"
                           "def version():\n"
                           "    return matplotlib.__version__.count('.') >= 1\n"
                           "def logistic(x):\n"
                           "    return float(expit(x))\n"
                           "def h5():\n"
                           "    return h5py.File.__name__\n"},
]


def _calls(*names):
    return [{"id": f"{k}:{name}", "func": name, "kwargs": kwargs} for k, (name, kwargs) in enumerate(names)]


def _grade(tmp_path, calls, monkeypatch=None, eager=False):
    if monkeypatch is not None:
        if eager:
            monkeypatch.setenv("GRADER_EAGER_IMPORTS", "1")
        else:
            monkeypatch.delenv("GRADER_EAGER_IMPORTS", raising=False)
    (tmp_path / "empty.txt").write_text("")
    result = run.run(tmp_path, CELLS, calls, LIMITS, sandboxed=SANDBOXED)
    assert result.status == "ok" and not result.cell_errors, result
    return {cid: (o.kind, o.value) for cid, o in result.outcomes.items()}


def test_imported_libraries_load_on_first_use_and_work(tmp_path, monkeypatch):
    got = _grade(tmp_path, _calls(("loaded", {}), ("plot", {"n": 3}), ("loaded", {}), ("version", {}),
                                  ("logistic", {"x": 0.0}), ("h5", {}), ("loaded", {})), monkeypatch)
    assert got["0:loaded"] == ("result", [])                       # imported, not yet run
    assert got["1:plot"] == ("result", ["module", True, "agg", 3])  # the real module, once used
    assert got["2:loaded"] == ("result", ["matplotlib.figure"])
    assert got["3:version"] == ("result", True)                    # dunder attributes load it too
    assert got["4:logistic"] == ("result", 0.5)
    assert got["5:h5"] == ("result", "File")
    assert got["6:loaded"] == ("result", ["h5py._hl.files", "matplotlib.figure"])


def test_eager_imports_on_request(tmp_path, monkeypatch):
    got = _grade(tmp_path, _calls(("loaded", {}), ("plot", {"n": 2})), monkeypatch, eager=True)
    assert got["0:loaded"] == ("result", ["h5py._hl.files", "matplotlib.figure"])
    assert got["1:plot"] == ("result", ["module", True, "agg", 2])


def test_a_library_module_that_fails_to_load_is_an_error_of_that_call_only(tmp_path, monkeypatch):
    """A student breaking the deferred machinery only breaks their own values."""
    cells = CELLS + [{"index": 2, "source": "import sys\nsys.modules['matplotlib.pyplot'].__spec__.loader.real = None\n"}]
    (tmp_path / "empty.txt").write_text("")
    result = run.run(tmp_path, cells, _calls(("plot", {"n": 1}), ("logistic", {"x": 0.0})), LIMITS,
                     sandboxed=SANDBOXED)
    assert result.outcomes["0:plot"].kind == "error"
    assert (result.outcomes["1:logistic"].kind, result.outcomes["1:logistic"].value) == ("result", 0.5)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "refcache"
    monkeypatch.setenv("GRADER_REFERENCE_CACHE", str(folder))
    return folder


def _encoded(reference, per_entry):
    from grader.paths import plain
    return (plain.encode(reference),
            [{k: (o.kind, plain.encode(o.value), o.detail) for k, o in d.items()} for d in per_entry])


def test_reference_answers_are_cached_per_solution_spec_and_seed(cache_dir, monkeypatch):
    slug = "c1w2_numpy_basics"
    spec, entries = specs.load(slug), catalogue.load(slug)
    calls = specs.hidden_calls(spec, 11)
    first = build.reference_outcomes(spec, calls, entries=entries)
    assert len(list(cache_dir.glob("*.json"))) == 1

    def no_run(*a, **k):
        raise AssertionError("the solution was run again")
    monkeypatch.setattr(run, "run", no_run)
    assert _encoded(*build.reference_outcomes(spec, calls, entries=entries)) == _encoded(*first)
    with pytest.raises(AssertionError, match="run again"):   # another seed: other inputs, another key
        build.reference_outcomes(spec, specs.hidden_calls(spec, 12), entries=entries)
    with pytest.raises(AssertionError, match="run again"):   # without the catalogue: other cells and calls
        build.reference_outcomes(spec, calls)


def test_a_changed_solution_or_helper_is_another_key(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    (tmp_path / "helper.py").write_text("x = 1\n")
    cells, calls = [{"index": 0, "source": "x = 1"}], [{"id": "f#0", "func": "f", "kwargs": {}}]
    base = refcache.key(tmp_path, cells, calls, sandbox.DRIVER_FILES)
    assert refcache.key(tmp_path, cells, calls, sandbox.DRIVER_FILES) == base
    (tmp_path / "helper.py").write_text("x = 2\n")
    changed_helper = refcache.key(tmp_path, cells, calls, sandbox.DRIVER_FILES)
    assert changed_helper != base
    assert refcache.key(tmp_path, [{"index": 0, "source": "x = 2"}], calls, sandbox.DRIVER_FILES) != changed_helper
    assert refcache.key(tmp_path, cells, [{**calls[0], "kwargs": {"a": 1}}], sandbox.DRIVER_FILES) != changed_helper


def test_a_damaged_cache_entry_is_recomputed(cache_dir):
    slug = "c1w2_numpy_basics"
    spec = specs.load(slug)
    calls = specs.hidden_calls(spec, 21)
    first = build.reference_outcomes(spec, calls)
    (entry,) = cache_dir.glob("*.json")
    for damage in ("{not json", json.dumps({"key": "other", "outcomes": {}}),
                   json.dumps({"key": entry.stem, "outcomes": {"x": {"kind": "result", "value": {"bad": 1}}}})):
        entry.write_text(damage)
        assert _encoded(*build.reference_outcomes(spec, calls)) == _encoded(*first)
        assert json.loads(entry.read_text())["key"] == entry.stem


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_REFERENCE_CACHE", "off")
    assert refcache.folder() is None
    refcache.store("abc", {})
    assert refcache.load("abc", []) is None


@pytest.mark.skipif(not SANDBOXED, reason="needs the sandbox")
def test_the_cache_is_out_of_the_sandboxs_sight(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADER_REFERENCE_CACHE", raising=False)
    folder = refcache.folder()
    folder.mkdir(parents=True, exist_ok=True)
    (tmp_path / "empty.txt").write_text("")
    cells = [{"index": 0, "source": "import os\ndef seen(path):\n    return os.path.exists(path)\n"}]
    result = run.run(tmp_path, cells, [{"id": "a", "func": "seen", "kwargs": {"path": str(folder)}},
                                       {"id": "b", "func": "seen", "kwargs": {"path": "/submission"}}],
                     LIMITS, sandboxed=True)
    assert (result.outcomes["a"].value, result.outcomes["b"].value) == (False, True)
    assert os.path.isdir(folder)


def test_the_cache_keeps_to_its_size(cache_dir, monkeypatch):
    from grader.run import Outcome
    monkeypatch.setenv("GRADER_REFERENCE_CACHE_MIB", "0.01")   # about 10 kB
    for k in range(3):                                          # three fit
        refcache.store(f"k{k}", {"a": Outcome("result", "x" * 3000)})
        os.utime(cache_dir / f"k{k}.json", (k, k))
    refcache.load("k0", ["a"])                                  # used: kept
    refcache.store("k9", {"a": Outcome("result", "y" * 3000)})
    left = sorted(p.stem for p in cache_dir.glob("*.json"))
    assert left == ["k0", "k2", "k9"], left                     # k1, least recently used, went


TRICKY_CELLS = ['s = """\n>>> x\n"""\n', 's = """\n%matplotlib inline\n!ls\n"""\n', "x = 1\nx?\n", "%time x = 1\n",
                "a = !ls\n", "b = %pwd\n", "\n\nx = 1\n", "    x = 1\n    y = 2\n", ">>> x = 1\n", "In [1]: x = 1\n",
                "%%time\nx = 1\n", "if x != 1:  # what?\n    pass\n", 'print("%d" % 3)\n', "await f()\n", "?x\n",
                "x??\n", ",f a b\n", ";f a b\n", "/f a\n"]


def test_plain_python_cells_transform_as_ipython_transforms_them():
    """The worker skips IPython's token transforms for plain Python: every cell of every notebook, and
    cells with IPython syntax or prompts inside strings, come out exactly as IPython makes them."""
    import glob
    import warnings

    from IPython.core.inputtransformer2 import TransformerManager

    from grader import worker
    from grader.paths import ROOT
    fast, full = TransformerManager(), TransformerManager()
    worker._plain_python_skips_token_transforms(fast)
    cells = [c for f in glob.glob(str(ROOT / "solutions" / "*" / "*.ipynb"))
             for c in ("".join(cell["source"]) for cell in json.loads(open(f).read())["cells"]
                       if cell["cell_type"] == "code")]
    assert len(cells) > 300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for cell in cells + TRICKY_CELLS:
            assert fast.transform_cell(cell) == full.transform_cell(cell), cell
    assert fast.transform_cell("x = 1\nx?\n") != "x = 1\nx?\n"   # IPython syntax is still transformed
