"""Hostile and broken submissions: each earns only what it earned honestly, and the batch goes on.

Every case is a student in one batch of the c1w2_numpy_basics assignment. "wrong" students
replace the graded functions by wrong ones and then attack the grader in some way; the attack
must not turn any wrong answer into points. Other students mix honest solutions with one
misbehaving function, which must cost exactly that function.
"""
import copy
import csv
import json
import os
import socket
import sqlite3
import threading
from pathlib import Path

import pytest

from grader import autograde, notebook, sandbox
from grader.paths import NOTEBOOKS, ROOT, SOLUTIONS

SLUG = "c1w2_numpy_basics"
ITEMS = ["basic_sigmoid", "sigmoid", "sigmoid_derivative", "image2vector", "normalize_rows", "softmax", "L1", "L2"]
LIMITS = sandbox.Limits(test_seconds=3, notebook_seconds=10, memory_bytes=2 << 30, processes=32,
                        output_bytes=8 << 20)

WRONG = {  # plausible but wrong answers (each would fail its tests honestly)
    "basic_sigmoid": "def basic_sigmoid(x):\n    return 0.5\n",
    "sigmoid": "def sigmoid(x):\n    return np.zeros_like(x) + 0.5\n",
    "sigmoid_derivative": "def sigmoid_derivative(x):\n    return np.ones_like(x) * 0.25\n",
    "image2vector": "def image2vector(image):\n    return image.reshape(-1, 1)[:1]\n",
    "normalize_rows": "def normalize_rows(x):\n    return x\n",
    "softmax": "def softmax(x):\n    return np.exp(x)\n",
    "L1": "def L1(yhat, y):\n    return 1.0\n",
    "L2": "def L2(yhat, y):\n    return 1.0\n",
}


def _load(path):
    return json.loads(Path(path).read_text())


def _code(source):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def _graded_index(nb, name):
    return next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
                and notebook.graded_name("".join(c["source"])) == name)


def solution():
    return _load(SOLUTIONS / SLUG / f"{SLUG}.ipynb")


def wrong(*keep_solution):
    """The solution notebook with every graded function wrong except those in keep_solution."""
    nb = solution()
    for name, source in WRONG.items():
        if name not in keep_solution:
            nb["cells"][_graded_index(nb, name)]["source"] = f"# GRADED FUNCTION: {name}\n{source}"
    return nb


def with_cells(nb, *sources, at=1):
    nb = copy.deepcopy(nb)
    nb["cells"][at:at] = [_code(s) for s in sources]
    return nb


def replace(nb, name, source):
    nb = copy.deepcopy(nb)
    nb["cells"][_graded_index(nb, name)]["source"] = f"# GRADED FUNCTION: {name}\n{source}"
    return nb


class Listener:
    """A TCP server on loopback that records whether anything connected."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def build_class(root, out, port):
    """{student: notebook dict or raw bytes or None (empty folder)}, written under root."""
    sol_path = SOLUTIONS / SLUG / f"{SLUG}.ipynb"
    solution_text = sol_path.read_text()
    cases = {
        # --- attacks on the comparison -------------------------------------------------------
        "patch_numpy": with_cells(wrong(), "import numpy as np, numpy.testing\n"
                                  "np.allclose = lambda *a, **k: True\n"
                                  "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
                                  "np.array_equal = lambda *a, **k: True\n"
                                  "np.testing.assert_allclose = lambda *a, **k: None\n"
                                  "np.testing.assert_array_almost_equal = lambda *a, **k: None\n"),
        "input_transformer": with_cells(wrong(), "ip = get_ipython()\n"
                                        "ip.input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n"),
        "ast_transformer": with_cells(wrong(), "import ast\nclass Blank(ast.NodeTransformer):\n"
                                      "    def visit_Module(self, node):\n        return ast.Module(body=[], type_ignores=[])\n"
                                      "get_ipython().ast_transformers.append(Blank())\n", at=len(wrong()["cells"])),
        "swallow_exceptions": with_cells(replace(wrong(), "sigmoid", "def sigmoid(x):\n    raise ValueError('x')\n"),
                                         "import sys, traceback\n"
                                         "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)\n"
                                         "sys.excepthook = lambda *a: None\n"
                                         "traceback.print_exc = lambda *a, **k: None\n"
                                         "get_ipython().showtraceback = lambda *a, **k: None\n"),
        "fake_modules": with_cells(wrong(), "import sys, types, builtins, json\n"
                                   "fake = types.ModuleType('checks')\n"
                                   "fake.compare = lambda *a, **k: None\nfake.check = lambda *a, **k: None\n"
                                   "sys.modules['checks'] = fake\n"
                                   "import plain\nplain.encode = lambda value, readable=False: 0.5\n"
                                   "sys.modules['numpy.testing'] = fake\n"
                                   "real_import = builtins.__import__\n"
                                   "builtins.__import__ = lambda name, *a, **k: fake if name in ('checks', 'plain') "
                                   "else real_import(name, *a, **k)\n"),
        "forge_channel": with_cells(wrong(), "import os\nfor fd in range(0, 64):\n    try:\n"
                                    "        os.write(fd, b'{\"event\": \"result\", \"id\": \"sigmoid#0\", \"value\": 0.5}\\n')\n"
                                    "    except OSError:\n        pass\n"),
        "overwrite_helpers": with_cells(wrong(), "for f in ('checks.py', 'plain.py', 'visible_tests.json'):\n"
                                        "    try:\n        open(f, 'w').write('def compare(*a, **k): return None\\n')\n"
                                        "    except OSError:\n        pass\n"),
        # --- reading what it must not see, writing where it must not -----------------------------
        "read_solution": replace(wrong(), "sigmoid",
                                 "import json as _j\n"
                                 f"SOL = {str(sol_path)!r}\n"
                                 "def sigmoid(x):\n"
                                 "    try:\n        nb = _j.load(open(SOL))\n    except OSError:\n        return None\n"
                                 "    src = [''.join(c['source']) for c in nb['cells'] if 'GRADED FUNCTION: sigmoid\\n' in ''.join(c['source'])]\n"
                                 "    ns = {'np': np}\n    exec(src[0], ns)\n    return ns['sigmoid'](x)\n"),
        "search_disk": replace(wrong(), "L1",
                               "import os as _os\n"
                               "def L1(yhat, y):\n"
                               "    hits = 0\n"
                               "    for top in ('/work', '/root', '/home', '/tmp', '/srv', '/var', '/opt', '/submission'):\n"
                               "        for d, dirs, files in _os.walk(top):\n"
                               "            dirs[:] = [x for x in dirs if x not in ('site-packages', 'include', 'share')]\n"
                               "            hits += sum(f in ('gradebook.db', 'grades.csv', 'run.json', 'c1w2_numpy_basics.html') or "
                               "'solutions' in d for f in files)\n"
                               "    return float(np.sum(np.abs(y - yhat))) if hits else None\n"),
        "write_outputs": with_cells(wrong(), "import os, glob\n"
                                    f"OUT = {str(out)!r}\nROOT = {str(root)!r}\n"
                                    "for p in [OUT + '/grades.csv', OUT + '/gradebook.db', OUT + '/run.json',\n"
                                    "          OUT + '/results/honest/c1w2_numpy_basics.json',\n"
                                    f"          ROOT + '/honest/{SLUG}/{SLUG}.ipynb', '/grader/worker.py']:\n"
                                    "    try:\n        os.makedirs(os.path.dirname(p), exist_ok=True)\n"
                                    "        open(p, 'w').write('pwned')\n    except OSError:\n        pass\n"),
        "network": replace(wrong(), "sigmoid",
                           "import socket as _s\n"
                           "def sigmoid(x):\n"
                           f"    try:\n        _s.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'hi')\n"
                           "    except OSError:\n        return None\n"
                           "    return 1 / (1 + np.exp(-x))\n"),
        # --- stopping, hanging, exhausting -----------------------------------------------------------
        "os_exit_cell": with_cells(solution(), "import os\nos._exit(0)\n"),
        "exits_in_functions": replace(replace(solution(), "L2", "import sys\ndef L2(yhat, y):\n    sys.exit(0)\n"),
                                      "basic_sigmoid", "import os\ndef basic_sigmoid(x):\n    os._exit(3)\n"),
        "sigint_loop_cell": with_cells(wrong(), "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                       "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n"),
        "hang_in_functions": replace(replace(solution(), "L1",
                                             "import signal, time\ndef L1(yhat, y):\n"
                                             "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass\n"),
                                     "L2", "import time\ndef L2(yhat, y):\n    time.sleep(10**6)\n"),
        "memory_bomb": replace(solution(), "softmax",
                               "def softmax(x):\n    hog = []\n    while True:\n        hog.append(np.empty(10**7))\n"),
        "memory_bomb_cell": with_cells(wrong(), "import os\nkids = [os.fork() for _ in range(4)]\n"
                                       "hog = bytearray(1500 * 2**20)\nhog[::4096] = b'x' * len(hog[::4096])\n"),
        "fork_bomb": with_cells(wrong(), "import os\ntry:\n    while True:\n        os.fork()\nexcept OSError:\n    pass\n"),
        "output_flood": replace(with_cells(wrong(), "print('x' * 10**8)\nimport sys\nsys.stderr.write('y' * 10**7)\n"),
                                "image2vector", "def image2vector(image):\n    return np.zeros(3_000_000)\n"),
        "hardcode_visible": replace(replace(wrong(), "sigmoid", "def sigmoid(x):\n"
                                            "    return np.array([0.26894142, 0.5, 0.88079708])\n"),
                                    "basic_sigmoid", "def basic_sigmoid(x):\n"
                                    "    return {0.0: 0.5, 2.0: 0.8807970779778823}.get(x, 0.5)\n"),
        # --- honest work that must not be penalised --------------------------------------------------
        "honest": solution(),
        "warnings": with_cells(replace(solution(), "sigmoid", "import warnings, sys\ndef sigmoid(x):\n"
                                       "    warnings.warn('a harmless warning')\n    print('to stderr', file=sys.stderr)\n"
                                       "    return 1 / (1 + np.exp(-x))\n"),
                               "import warnings\nwarnings.warn('careful!', DeprecationWarning)\n"),
        "scratch_cells_no_tests": None,  # filled below
        "edited_tests": None,
        "edited_tests_wrong": None,
        "renamed": solution(),
        "kernel_changed": solution(),
        "deleted_cell": None,
        "duplicated_cell": None,
        # --- broken files ---------------------------------------------------------------------------
        "corrupt_json": solution_text[: len(solution_text) // 3].encode(),
        "empty_file": b"",
        "binary_garbage": bytes(range(256)) * 64,
        "missing": None,
        "huge": None,
    }
    nb = solution()
    nb["cells"] = [c for c in nb["cells"] if not notebook.is_visible_test(
        {**c, "source": "".join(c["source"])})]
    nb["cells"] += [_code("x = 1 + 1\nprint(x)"), _code("undefined_name + 1")]
    cases["scratch_cells_no_tests"] = nb
    for student, base in (("edited_tests", solution()), ("edited_tests_wrong", wrong())):
        for cell in base["cells"]:
            if cell["cell_type"] == "code" and notebook.is_visible_test({**cell, "source": "".join(cell["source"])}):
                cell["source"] = "print('all visible tests passed!')\ncheck = lambda *a, **k: None\n"
        cases[student] = base
    cases["kernel_changed"]["metadata"]["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia", "language": "julia"}
    nb = solution()
    del nb["cells"][_graded_index(nb, "L2")]
    cases["deleted_cell"] = nb
    nb = solution()
    i = _graded_index(nb, "softmax")
    nb["cells"].insert(i + 1, copy.deepcopy(nb["cells"][i]))
    cases["duplicated_cell"] = nb
    huge = solution()
    huge["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "z" * (70 << 20)}]
    cases["huge"] = huge

    for student, content in cases.items():
        folder = root / student / SLUG
        folder.mkdir(parents=True)
        name = "my_work.ipynb" if student == "renamed" else f"{SLUG}.ipynb"
        if student == "missing":
            continue
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(json.dumps(content))
    return cases


@pytest.fixture(scope="module", params=["pool", "fresh"])
def graded(tmp_path_factory, sandboxed, request):
    """The class graded by workers forked from the warm pool, and by a fresh sandbox per submission."""
    if not sandboxed:
        pytest.skip("the integrity guarantees need the sandbox (bubblewrap)")
    root = tmp_path_factory.mktemp("class")
    out = tmp_path_factory.mktemp("out")
    listener = Listener()
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("GRADER_POOL", "on" if request.param == "pool" else "off")
            n = len(build_class(root, out, listener.port))
            honest_before = (root / "honest" / SLUG / f"{SLUG}.ipynb").read_bytes()
            csv_path = autograde.autograde(SLUG, root, out, jobs=2, sandboxed=True, limits=LIMITS, quiet=True)
    finally:
        listener.close()
    rows = {}
    for r in csv.DictReader(open(csv_path)):
        rows.setdefault(r["student_id"], {})[r["item"]] = r
    return {"n": n, "rows": rows, "out": out, "root": root, "connections": listener.connections,
            "honest_before": honest_before}


def scores(graded, student):
    return {item: float(r["score"]) for item, r in graded["rows"][student].items()}


def statuses(graded, student):
    return {item: r["status"] for item, r in graded["rows"][student].items()}


ATTACKS = ["edited_tests_wrong", "memory_bomb_cell", "patch_numpy", "input_transformer", "ast_transformer",
           "swallow_exceptions", "fake_modules",
           "forge_channel", "overwrite_helpers", "read_solution", "search_disk", "write_outputs", "network",
           "sigint_loop_cell", "fork_bomb", "output_flood", "hardcode_visible"]


@pytest.mark.parametrize("student", ATTACKS)
def test_attack_earns_nothing(graded, student):
    assert sum(scores(graded, student).values()) == 0, statuses(graded, student)


def test_every_student_has_a_row_per_item(graded):
    assert all(sorted(items) == sorted(ITEMS) for items in graded["rows"].values())
    assert len(graded["rows"]) == graded["n"]


def test_network_and_loopback_are_unreachable(graded):
    assert graded["connections"] == 0


def test_outputs_and_other_students_are_untouched(graded):
    out, root = graded["out"], graded["root"]
    assert (root / "honest" / SLUG / f"{SLUG}.ipynb").read_bytes() == graded["honest_before"]
    assert "pwned" not in (out / "grades.csv").read_text()
    assert "pwned" not in (out / "results" / "honest" / f"{SLUG}.json").read_text()
    db = sqlite3.connect(out / "gradebook.db")
    (n,) = db.execute("select count(*) from submitted_assignment").fetchone()
    assert n == graded["n"]
    assert sum(scores(graded, "honest").values()) == len(ITEMS)


@pytest.mark.parametrize("student", ["honest", "warnings", "scratch_cells_no_tests", "edited_tests", "renamed",
                                     "kernel_changed", "duplicated_cell"])
def test_honest_work_earns_full_marks(graded, student):
    assert scores(graded, student) == {i: 1.0 for i in ITEMS}, statuses(graded, student)


def test_misbehaving_function_costs_only_itself(graded):
    expected = {
        "exits_in_functions": {"basic_sigmoid": "crashed", "L2": "error"},
        "hang_in_functions": {"L1": "timeout", "L2": "timeout"},
        "memory_bomb": {"softmax": "out-of-memory"},
        "deleted_cell": {"L2": "missing"},
    }
    for student, bad in expected.items():
        st = statuses(graded, student)
        for item in ITEMS:
            want = bad.get(item, "passed")
            assert st[item] == want, (student, item, st)


@pytest.mark.parametrize("student,status", [("corrupt_json", "invalid-notebook"), ("empty_file", "invalid-notebook"),
                                            ("binary_garbage", "invalid-notebook"), ("huge", "invalid-notebook"),
                                            ("missing", "missing-notebook"), ("os_exit_cell", "crashed"),
                                            ("sigint_loop_cell", "timeout"), ("output_flood", None)])
def test_broken_submissions_get_a_reason(graded, student, status):
    st = statuses(graded, student)
    if status:
        assert set(st.values()) == {status}, st
    else:
        assert st["image2vector"] == "output-flood", st


def test_feedback_explains_renamed_and_duplicated_and_hides_hidden_values(graded):
    out = graded["out"]
    renamed = (out / "feedback" / "renamed" / f"{SLUG}.html").read_text()
    assert "my_work.ipynb" in renamed
    dup = json.loads((out / "results" / "duplicated_cell" / f"{SLUG}.json").read_text())
    assert any("softmax" in n and "2 cells" in n for n in dup["notes"])
    # a wrong answer that also fails its visible test is told so, with the visible (public) values
    wrong_page = (out / "feedback" / "patch_numpy" / f"{SLUG}.html").read_text()
    assert "fails visible test case 1" in wrong_page
    # one that passes the visible tests but not the hidden ones is told what kind of thing is wrong, no values
    items = json.loads((out / "results" / "hardcode_visible" / f"{SLUG}.json").read_text())["items"]
    for message in (i["message"] for i in items if i["item"] in ("sigmoid", "basic_sigmoid")):
        assert "wrong" in message and "hidden test" in message, message
        assert "got " not in message and "differs at" not in message and "expected (" not in message, message


def _descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], list(children.get(pid, []))
    while stack:
        p = stack.pop()
        found.append(p)
        stack += children.get(p, [])
    return found


def test_no_process_or_cgroup_outlives_grading(graded):
    leftover = []
    for pid in _descendants(os.getpid()):
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            continue
        if b"worker.py" in cmdline or b"bwrap" in cmdline:
            leftover.append(cmdline)
    assert leftover == []
    assert sandbox.Cgroups.ours() == []
