"""Similarity flags planted copies and leaves independent work and untouched stubs alone.

A class per assignment (c1w2_numpy_basics, c1w4a_deep_nn_step_by_step), written by filling the
released stub's START/END regions:
  ana  the reference solution            bo, cy, di  three other correct implementations, written
  lee  catalogued mistakes                           independently of each other and of ana
  fay  ana disguised: every local variable renamed, independent statements reordered,
       docstring and comments replaced, re-indented (automated, below)
  gus  cy disguised the same way          hal  bo's code verbatim for the first half of the
  max  di disguised, plus a statement          functions, the stub for the rest
       that does nothing                  ivy, jon, kim  the untouched stub
In c1w4a, ana..di write their own code for six functions and all share the reference code
for the other four (a canonical answer everyone writes alike: it must flag nobody).

Planted (pair, function): (ana, fay), (cy, gus) and (di, max) on every function they wrote
themselves, (bo, hal) on the first half. A planted copy of a one-line answer cannot be told from a
coincidence and is below the evidence floor by design (similarity.MIN_SHARED): the test counts
those separately and requires every planted copy above the floor to be found, no pair of stubs,
and no independent pair. Run with -s to see the figures.
"""
import ast
import csv
import json
import re
import textwrap

import pytest

from grader import catalogue, similarity
from grader.paths import NOTEBOOKS, SOLUTIONS

START, END = "### START CODE HERE ###", "### END CODE HERE ###"

# One entry per START/END region of the stub, in order.
NUMPY_BASICS = {
    "bo": {
        "basic_sigmoid": ["s = 1 / (math.exp(-x) + 1)", "e = math.exp(x)\ns = e / (e + 1)"],
        "sigmoid": ["s = np.exp(-np.logaddexp(0, -x))"],
        "sigmoid_derivative": ["s = None\nds = sigmoid(x) * (1 - sigmoid(x))"],
        "image2vector": ["v = image.reshape(-1, 1)"],
        "normalize_rows": ["x_norm = np.sqrt(np.sum(x ** 2, axis=1)).reshape(-1, 1)\nx = x / x_norm"],
        "softmax": ["shifted = x - x.max(axis=1, keepdims=True)\nx_exp = np.exp(shifted)\n"
                    "x_sum = x_exp.sum(axis=1, keepdims=True)\ns = x_exp / x_sum"],
        "L1": ["loss = float(np.abs(yhat - y).sum())"],
        "L2": ["loss = float(np.sum((y - yhat) ** 2))"],
    },
    "cy": {
        "basic_sigmoid": ["z = math.exp(-x)\ns = 1.0 / (1.0 + z)", "z = math.exp(x)\ns = z / (z + 1.0)"],
        "sigmoid": ["s = 0.5 * (1 + np.tanh(x / 2))"],
        "sigmoid_derivative": ["s = 1 / (1 + np.exp(-x))\nds = s - s ** 2"],
        "image2vector": ["v = image.ravel()[:, np.newaxis]"],
        "normalize_rows": ["x_norm = np.linalg.norm(x, ord=2, axis=1)[:, None]\nx = np.divide(x, x_norm)"],
        "softmax": ["m = np.max(x, axis=1, keepdims=True)\n"
                    "lse = m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))\ns = np.exp(x - lse)"],
        "L1": ["loss = float(np.linalg.norm(y - yhat, ord=1))"],
        "L2": ["d = yhat - y\nloss = float(d @ d)"],
    },
    "di": {
        "basic_sigmoid": ["s = (1 + math.exp(-x)) ** -1", "e = math.exp(x)\ns = e * (1 + e) ** -1"],
        "sigmoid": ["s = 1.0 / (1.0 + np.exp(-x))"],
        "sigmoid_derivative": ["e = np.exp(-x)\nds = e / (1 + e) ** 2"],
        "image2vector": ["length, height, depth = image.shape\nv = image.reshape((length * height * depth, 1))"],
        "normalize_rows": ["x = np.array(x, dtype=float)\nfor i in range(x.shape[0]):\n"
                           "    x[i] = x[i] / np.sqrt(np.dot(x[i], x[i]))"],
        "softmax": ["s = np.zeros(x.shape)\nfor i in range(x.shape[0]):\n    row = np.exp(x[i] - np.max(x[i]))\n"
                    "    s[i] = row / np.sum(row)"],
        "L1": ["loss = 0.0\nfor a, b in zip(yhat, y):\n    loss += abs(a - b)\nloss = float(loss)"],
        "L2": ["loss = float(np.linalg.norm(y - yhat) ** 2)"],
    },
}

DEEP_NN = {
    "bo": {
        "initialize_parameters_deep": ["n_in, n_out = layer_dims[l - 1], layer_dims[l]\n"
                                       "parameters[f'W{l}'] = rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)\n"
                                       "parameters[f'b{l}'] = np.zeros((n_out, 1))"],
        "L_model_forward": ["W, b = parameters[f'W{l}'], parameters[f'b{l}']\n"
                            "A, cache = linear_activation_forward(A_prev, W, b, activation='relu')\n"
                            "caches.append(cache)",
                            "AL, cache = linear_activation_forward(A, parameters[f'W{L}'], parameters[f'b{L}'], "
                            "activation='sigmoid')\ncaches.append(cache)"],
        "compute_cost": ["AL = np.minimum(np.maximum(AL, eps), 1 - eps)\n"
                         "cost = -float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))"],
        "linear_backward": ["dW = np.dot(dZ, A_prev.T) / m\ndb = dZ.sum(axis=1, keepdims=True) / m\n"
                            "dA_prev = np.dot(W.T, dZ)"],
        "L_model_backward": ["AL_clipped = np.maximum(np.minimum(AL, 1 - eps), eps)\n"
                             "dAL = (1 - Y) / (1 - AL_clipped) - Y / AL_clipped",
                             "current_cache = caches[-1]\n"
                             "dA_prev, dW, db = linear_activation_backward(dAL, current_cache, activation='sigmoid')\n"
                             "grads[f'dA{L - 1}'], grads[f'dW{L}'], grads[f'db{L}'] = dA_prev, dW, db",
                             "current_cache = caches[l]\n"
                             "dA_prev, dW, db = linear_activation_backward(grads[f'dA{l + 1}'], current_cache, "
                             "activation='relu')\n"
                             "grads[f'dA{l}'] = dA_prev\ngrads[f'dW{l + 1}'] = dW\ngrads[f'db{l + 1}'] = db"],
        "update_parameters": ["parameters[f'W{l}'] -= learning_rate * grads[f'dW{l}']\n"
                              "parameters[f'b{l}'] -= learning_rate * grads[f'db{l}']"],
    },
    "cy": {
        "initialize_parameters_deep": ["parameters['W' + str(l)] = rng.standard_normal(size=(layer_dims[l], "
                                       "layer_dims[l - 1])) * np.sqrt(1.0 / layer_dims[l - 1])\n"
                                       "parameters['b' + str(l)] = np.zeros(shape=(layer_dims[l], 1))"],
        "L_model_forward": ["A, cache = linear_activation_forward(A_prev, parameters['W%d' % l], "
                            "parameters['b%d' % l], 'relu')\ncaches = caches + [cache]",
                            "AL, cache = linear_activation_forward(A, parameters['W%d' % L], parameters['b%d' % L], "
                            "'sigmoid')\ncaches = caches + [cache]"],
        "compute_cost": ["AL = np.clip(AL, eps, 1 - eps)\n"
                         "logprobs = np.multiply(np.log(AL), Y) + np.multiply(np.log(1 - AL), 1 - Y)\n"
                         "cost = -np.sum(logprobs) / m\ncost = float(np.squeeze(cost))"],
        "linear_backward": ["dW = (1 / m) * dZ.dot(A_prev.T)\ndb = (1 / m) * np.sum(dZ, axis=1).reshape(-1, 1)\n"
                            "dA_prev = W.T.dot(dZ)"],
        "L_model_backward": ["AL_clipped = AL.clip(eps, 1 - eps)\n"
                             "dAL = -np.divide(Y, AL_clipped) + np.divide(1 - Y, 1 - AL_clipped)",
                             "dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], 'sigmoid')\n"
                             "grads.update({'dA%d' % (L - 1): dA_prev, 'dW%d' % L: dW, 'db%d' % L: db})",
                             "dA_prev, dW, db = linear_activation_backward(grads['dA%d' % (l + 1)], caches[l], 'relu')\n"
                             "grads.update({'dA%d' % l: dA_prev, 'dW%d' % (l + 1): dW, 'db%d' % (l + 1): db})"],
        "update_parameters": ["for p in ('W', 'b'):\n"
                              "    parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * grads['d' + p + str(l)]"],
    },
    "di": {
        "initialize_parameters_deep": ["parameters['W%d' % l] = rng.normal(0.0, 1.0 / np.sqrt(layer_dims[l - 1]), "
                                       "size=(layer_dims[l], layer_dims[l - 1]))\n"
                                       "parameters['b%d' % l] = np.zeros((layer_dims[l], 1), dtype=float)"],
        "L_model_forward": ["layer_cache = None\n"
                            "A, layer_cache = linear_activation_forward(A_prev, W=parameters['W{}'.format(l)], "
                            "b=parameters['b{}'.format(l)], activation='relu')\ncaches += [layer_cache]",
                            "AL, layer_cache = linear_activation_forward(A, W=parameters['W{}'.format(L)], "
                            "b=parameters['b{}'.format(L)], activation='sigmoid')\ncaches += [layer_cache]"],
        "compute_cost": ["AL = AL.clip(eps, 1 - eps)\n"
                         "cost = float(-(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)).item() / m)"],
        "linear_backward": ["dA_prev = np.matmul(W.T, dZ)\ndW = np.matmul(dZ, A_prev.T) / m\n"
                            "db = np.mean(dZ, axis=1, keepdims=True)"],
        "L_model_backward": ["AL_clipped = np.clip(AL, eps, 1.0 - eps)\n"
                             "dAL = (AL_clipped - Y) / (AL_clipped * (1.0 - AL_clipped))",
                             "dA_prev, dW, db = linear_activation_backward(dAL, caches[-1], 'sigmoid')\n"
                             "grads['dA' + str(L - 1)], grads['dW' + str(L)], grads['db' + str(L)] = dA_prev, dW, db",
                             "dA_prev, dW, db = linear_activation_backward(grads['dA' + str(l + 1)], caches[l], 'relu')\n"
                             "grads['dA' + str(l)], grads['dW' + str(l + 1)], grads['db' + str(l + 1)] = dA_prev, dW, db"],
        "update_parameters": ["W, b = parameters['W' + str(l)], parameters['b' + str(l)]\n"
                              "parameters['W' + str(l)] = W - learning_rate * grads['dW' + str(l)]\n"
                              "parameters['b' + str(l)] = b - learning_rate * grads['db' + str(l)]"],
    },
}

IMPLEMENTATIONS = {"c1w2_numpy_basics": NUMPY_BASICS, "c1w4a_deep_nn_step_by_step": DEEP_NN}
INDEPENDENT = ["ana", "bo", "cy", "di", "lee"]
STUBS = ["ivy", "jon", "kim"]
COPIES = {"fay": "ana", "gus": "cy", "max": "di", "hal": "bo"}  # copier: original


def read(path):
    return json.loads(path.read_text())


def graded_sources(nb):
    out = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        m = re.match(r"\s*# GRADED FUNCTION:\s*(\w+)", source)
        if cell["cell_type"] == "code" and m:
            out[m.group(1)] = source
    return out


def regions(source):
    """The text between each START and END marker of a graded cell."""
    lines, found, inside = source.split("\n"), [], None
    for line in lines:
        if START in line:
            inside = []
        elif END in line:
            found.append(textwrap.dedent("\n".join(inside)))
            inside = None
        elif inside is not None:
            inside.append(line)
    return found


def fill(stub, texts):
    """The stub cell with its START/END regions replaced by `texts`, indented like their markers."""
    out, k, skipping = [], 0, False
    for line in stub.split("\n"):
        if START in line:
            out.append(line)
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + t if t else t for t in texts[k].split("\n")]
            k, skipping = k + 1, True
        elif END in line:
            out.append(line)
            skipping = False
        elif not skipping:
            out.append(line)
    assert k == len(texts), "one text per region"
    return "\n".join(out)


# ---------------------------------------------------------------- the disguise of a planted copy

def _names(node, ctx):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ctx)}


def _writes(stmt):
    """Names a simple statement changes: its targets, and the objects whose methods it calls."""
    written = _names(stmt, ast.Store)
    for n in ast.walk(stmt):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name):
            written.add(n.func.value.id)  # rng.standard_normal(), caches.append(): order matters
        if isinstance(n, (ast.Subscript, ast.Attribute)) and isinstance(n.ctx, ast.Store):
            written |= _names(n.value, ast.Load)
    return written


def _independent(a, b):
    simple = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)
    if not (isinstance(a, simple) and isinstance(b, simple)):
        return False
    wa, wb = _writes(a), _writes(b)
    ra, rb = _names(a, ast.Load), _names(b, ast.Load)
    return not (wa & (rb | wb) or wb & ra)


def _reorder(body):
    """Swap every other pair of adjacent independent statements, in this block and nested ones."""
    swapped, k = 0, 0
    while k + 1 < len(body):
        if _independent(body[k], body[k + 1]):
            body[k], body[k + 1] = body[k + 1], body[k]
            swapped, k = swapped + 1, k + 2
        else:
            k += 1
    for stmt in body:
        for field in ("body", "orelse"):
            if isinstance(getattr(stmt, field, None), list):
                swapped += _reorder(getattr(stmt, field))
    return swapped


def disguise(cell, dead_code=False):
    """A copy of a graded cell as a student hiding it would make it. Returns (cell source, statements swapped).

    `dead_code` also adds a statement that does nothing, so the copy is no longer the same code."""
    name = re.match(r"\s*# GRADED FUNCTION:\s*(\w+)", cell).group(1)
    func = next(n for n in ast.parse(cell).body if isinstance(n, ast.FunctionDef))
    own = _names(func, ast.Store) - {a.arg for a in func.args.args}  # arguments are passed by keyword: kept
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id in own:
            node.id = f"my_{node.id}"
    func.body = [s for s in func.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    swapped = _reorder(func.body)
    func.body.insert(0, ast.Expr(ast.Constant("My own version, written late at night.")))
    if dead_code:
        func.body.insert(1, ast.parse("verbose = False").body[0])
    lines = []
    for line in ast.unparse(func).split("\n"):
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4
        lines.append("  " * indent + stripped + ("  # works" if stripped.startswith("return") else ""))
    return f"# GRADED FUNCTION: {name}\n# (my copy: do not share)\n" + "\n".join(lines) + "\n", swapped


# ---------------------------------------------------------------- the class

def make_class(slug, root):
    """Write the class under root/<student>/<slug>/; returns (planted pairs {(a, b): [items]}, own items,
    statements swapped by the disguise)."""
    stub_nb = read(NOTEBOOKS / slug / f"{slug}.ipynb")
    solution = graded_sources(read(SOLUTIONS / slug / f"{slug}.ipynb"))
    stub = graded_sources(stub_nb)
    names = list(stub)
    own = list(IMPLEMENTATIONS[slug]["bo"])  # the functions ana..di wrote themselves
    cells = {"ana": dict(solution)}
    for student, impl in IMPLEMENTATIONS[slug].items():
        cells[student] = {n: fill(stub[n], impl[n]) if n in impl else solution[n] for n in names}
    mistakes = {}
    for entry in catalogue.load(slug):
        if entry.kind == "mistake" and entry.item not in mistakes:
            mistakes[entry.item] = f"# GRADED FUNCTION: {entry.item}\n\n{entry.source}\n"
    cells["lee"] = {n: mistakes.get(n, stub[n]) for n in names}
    swapped = 0
    for copier in ("fay", "gus", "max"):
        cells[copier] = {}
        for n in names:
            cells[copier][n], k = disguise(cells[COPIES[copier]][n], dead_code=copier == "max")
            swapped += k
    half = own[: len(own) // 2]
    cells["hal"] = {n: cells["bo"][n] if n in half else stub[n] for n in names}
    for s in STUBS:
        cells[s] = dict(stub)
    for student, sources in cells.items():
        nb = json.loads(json.dumps(stub_nb))
        for cell in nb["cells"]:
            m = re.match(r"\s*# GRADED FUNCTION:\s*(\w+)", "".join(cell["source"]))
            if cell["cell_type"] == "code" and m:
                cell["source"] = sources[m.group(1)]
        folder = root / student / slug
        folder.mkdir(parents=True)
        (folder / f"{slug}.ipynb").write_text(json.dumps(nb, indent=1))
    planted = {("ana", "fay"): own, ("cy", "gus"): own, ("di", "max"): own, ("bo", "hal"): half}
    return planted, own, swapped, cells


@pytest.mark.parametrize("slug", sorted(IMPLEMENTATIONS))
def test_planted_copies_are_found_and_independent_work_is_not(slug, tmp_path):
    planted, own, swapped, cells = make_class(slug, tmp_path / "subs")
    # c1w2's functions are chains of dependent statements: nothing there can be reordered
    assert swapped >= (3 if slug.startswith("c1w4a") else 0), "the disguise reordered statements"
    pairs, attempts = similarity.compare_class(tmp_path / "subs", slug)
    flagged = {(p.student_a, p.student_b, p.item): p.similarity for ps in pairs.values() for p in ps}

    # planted (pair, item): below the evidence floor when what the original wrote, less what weighs nothing
    # whatever the class (the stub, catalogued mistakes), is tiny
    discount, _ = similarity.discounted(slug, set(cells["ana"]))
    expected, below_floor = set(), set()
    for (a, b), items in planted.items():
        for item in items:
            func = similarity.functions_in({"cells": [{"cell_type": "code", "source": cells[a][item]}]}, {item})[item]
            counts, sizes = similarity.statements(func)
            weight = sum(sizes[k] * c for k, c in counts.items() if k not in discount[item])
            (expected if weight >= similarity.MIN_SHARED else below_floor).add((a, b, item))
    found = expected & set(flagged)
    copy_groups = [{a, b} for a, b in planted]
    independent = [(a, b, i) for (a, b, i) in flagged if not any({a, b} <= g for g in copy_groups)]
    stubs = [(a, b, i) for (a, b, i) in flagged if a in STUBS or b in STUBS]
    planted_flags = [k for k in flagged if k in expected or k in below_floor]
    precision = len(planted_flags) / len(flagged) if flagged else 1.0
    print(f"\n{slug}: {len(expected)} planted copies of a function above the evidence floor, {len(found)} found "
          f"(similarity {min((flagged[k] for k in found), default=0):.2f}..{max((flagged[k] for k in found), default=0):.2f}); "
          f"{len(below_floor)} copies below the evidence floor (one-liners, or code the catalogue lists) ({sorted(i for _, _, i in below_floor)}); "
          f"{len(flagged)} pairs flagged, precision {precision:.2f}; independent pairs flagged: {len(independent)}; "
          f"stub pairs: {len(stubs)}; statements reordered by the disguise: {swapped}")
    assert found == expected, sorted(expected - found)
    assert {(a, b) for a, b, _ in flagged} == set(planted), "every planted pair of students, and only those"
    assert not stubs, stubs
    assert not independent, [(k, flagged[k]) for k in independent]
    # the reference code everyone shares (c1w4a's other functions) flags nobody
    assert not [k for k in flagged if k[2] not in own], "canonical shared code flagged"

    # nothing planted is missing from the students' pairs either way round, and the CSV is sorted
    out = tmp_path / "similarity.csv"
    similarity.write_csv(out, [(slug, p) for ps in pairs.values() for p in ps])
    rows = list(csv.DictReader(open(out)))
    assert list(rows[0]) == ["student_a", "student_b", "item", "similarity"]
    assert [float(r["similarity"]) for r in rows] == sorted((float(r["similarity"]) for r in rows), reverse=True)
    assert len(rows) == len(flagged)


def test_normalisation_ignores_names_order_comments_and_formatting():
    a = '''
def f(x, y):
    """Doc."""
    # a comment
    total = x + 1
    scale = y * 2
    for i in range(3):
        total += i
    return total * scale
'''
    b = '''
def f(p, q):
  scale_q=q*2   # reordered, renamed, re-indented
  t=p+1
  for k in range(3): t+=k
  return t*scale_q
'''
    c = a.replace("x + 1", "x - 1")
    norm = [similarity.statements(ast.parse(s).body[0])[0] for s in (a, b, c)]
    assert norm[0] == norm[1]
    assert norm[0] != norm[2]
