"""Pairs of students whose code for a graded function is unusually alike: for a person to review.

Why this exists: an instructor wants to know which submissions to look at side by side, without
reading every pair. It flags work for review and accuses nobody: two people can reach the same
code honestly, and copying that changes the code's structure is not caught.

How code is compared, per graded function:
- Normalised with `ast`: docstrings, comments and formatting disappear (they are not in the
  tree); arguments become `a0, a1, ...` by position; every other name the function binds becomes
  `v0, v1, ...` numbered by first appearance *within each statement*, so renaming a variable,
  and reordering statements that do not depend on each other, change nothing. Names the
  function does not bind (np, math, other graded functions, builtins), attributes, keywords and
  constants are kept.
- A function becomes a multiset of normalised statements (a loop or `if` contributes its
  header; its body contributes its own statements, marked with their depth), each weighing its
  number of syntax nodes.
- What many have weighs nothing: statements of the released stub (its scaffolding and
  placeholders); statements of the mistake catalogue's entries that the reference lacks (wrong
  variants and rewrites are, by the catalogue's definition, what students commonly write: two
  students making the same catalogued mistake in the same words is no sign of copying); and
  statements present in more than `common` of the students who attempted the function (a short
  canonical answer many write alike). A submission with nothing beyond the stub has not attempted
  the function and is left out.
- The similarity of two students is the weighted Jaccard index of what remains (shared weight
  over combined weight, in [0, 1]). A pair is reported when it reaches `threshold` and shares at
  least `min_shared` nodes of such code, so a copied one-liner alone is not enough evidence.
"""
import ast
import copy
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from . import notebook, spec as specs
from .paths import NOTEBOOKS

THRESHOLD = 0.8      # report pairs at least this similar
COMMON = 0.3         # a statement in more than this fraction of the attempts weighs nothing...
COMMON_FLOOR = 2     # ...but one shared by only two students always counts
MIN_SHARED = 20      # syntax nodes of weighted code a pair must share to be reported


@dataclass(frozen=True)
class Pair:
    student_a: str
    student_b: str
    item: str
    similarity: float


# ---------------------------------------------------------------- normalising one function

_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _bound_names(func):
    """Names the function binds besides its own arguments: assignment and loop targets, imports,
    nested defs and their arguments, comprehension and lambda variables, `except ... as`."""
    bound, own_args = set(), {id(a) for a in _arguments(func)}
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not func:
            bound.add(node.name)
        elif isinstance(node, ast.arg) and id(node) not in own_args:
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.difference_update(node.names)
    return bound


def _arguments(func):
    a = func.args
    return [*a.posonlyargs, *a.args, *([a.vararg] if a.vararg else []), *a.kwonlyargs,
            *([a.kwarg] if a.kwarg else [])]


class _Rename(ast.NodeTransformer):
    """Arguments to a<position>, bound names to v<k> numbered within one statement."""

    def __init__(self, args, bound):
        self.args, self.bound, self.local = args, bound, {}

    def _name(self, name):
        if name in self.args:
            return f"a{self.args[name]}"
        if name in self.bound:
            return self.local.setdefault(name, f"v{len(self.local)}")
        return name

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(self._name(node.id), node.ctx), node)

    def visit_arg(self, node):
        node.arg = self._name(node.arg)
        node.annotation = None
        return node


def _is_docstring(stmt):
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _size(node):
    return sum(1 for n in ast.walk(node) if not isinstance(n, ast.expr_context))


def statements(func):
    """Counter {normalised statement: count} of one function's body, and {statement: weight in nodes}."""
    args = {a.arg: k for k, a in enumerate(_arguments(func))}
    bound = _bound_names(func) - set(args)
    counts, sizes = Counter(), {}

    def visit(body, depth):
        for stmt in body:
            if _is_docstring(stmt) or isinstance(stmt, ast.Pass):
                continue  # docstrings and bare strings are comments; `pass` is a placeholder
            blocks = {f: getattr(stmt, f) for f in _BLOCK_FIELDS if isinstance(getattr(stmt, f, None), list)}
            header = _copy_without(stmt, blocks)
            header = _Rename(args, bound).visit(header)
            key = f"{depth}:{ast.dump(header, annotate_fields=False)}"
            counts[key] += 1
            sizes[key] = _size(header)
            for field, block in blocks.items():
                if field == "handlers":
                    for handler in block:
                        h = _Rename(args, bound).visit(_copy_without(handler, {"body": []}))
                        hkey = f"{depth}:{ast.dump(h, annotate_fields=False)}"
                        counts[hkey] += 1
                        sizes[hkey] = _size(h)
                        visit(handler.body, depth + 1)
                elif field == "cases":
                    for case in block:
                        visit(case.body, depth + 1)
                else:
                    visit(block, depth + 1)

    visit(func.body, 0)
    return counts, sizes


def _copy_without(node, blocks):
    """A copy of a statement whose nested blocks (body, orelse, ...) are emptied."""
    clone = copy.copy(node)
    for field in blocks:
        setattr(clone, field, [])
    return copy.deepcopy(clone)


def functions_in(nb, names):
    """{name: ast.FunctionDef} of the graded functions in a notebook's graded cells (the last one wins,
    as it is the one a run of the notebook leaves defined)."""
    found = {}
    for node in specs.graded_functions(nb, names):
        found[node.name] = node
    return found


# ---------------------------------------------------------------- reading a class

def read_class(submissions, slug, names, students=None):
    """{student: {item: ast.FunctionDef}} from <submissions>/<student>/<slug>/ (unreadable ones skipped)."""
    from .autograde import find_notebook
    submissions = Path(submissions)
    folders = sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    code = {}
    for folder in folders:
        if students is not None and folder.name not in students:
            continue
        path, _, problem = find_notebook(folder / slug, slug)
        if problem:
            continue
        nb, _ = notebook.read(path)
        if nb is not None:
            code[folder.name] = functions_in(nb, names)
    return code


def stub_functions(slug, names):
    """The released stub's graded functions (notebooks/<slug>/<slug>.ipynb)."""
    path = NOTEBOOKS / slug / f"{slug}.ipynb"
    nb, _ = notebook.read(path) if path.exists() else (None, None)
    return functions_in(nb, names) if nb else {}


def discounted(slug, names):
    """({item: normalised statements that weigh nothing}, {item: the stub's statements}).

    Those of the stub, and those of the mistake catalogue's entries that the reference solution
    does not have (a mistake is mostly the reference with one line wrong: only that line is
    what students making the same mistake share by themselves).
    """
    from . import catalogue
    from .paths import SOLUTIONS

    def keys_of(funcs):
        return {name: set(statements(func)[0]) for name, func in funcs.items()}

    stub = keys_of(stub_functions(slug, names))
    path = SOLUTIONS / slug / f"{slug}.ipynb"
    reference = keys_of(functions_in(notebook.read(path)[0] or {}, names)) if path.exists() else {}
    keys = {name: set(stub.get(name, ())) for name in names}
    for entry in catalogue.load(slug):
        if entry.item in keys:
            func = next((n for n in ast.parse(entry.source).body if isinstance(n, ast.FunctionDef)), None)
            if func is not None:
                keys[entry.item] |= set(statements(func)[0]) - reference.get(entry.item, set())
    return keys, stub


# ---------------------------------------------------------------- comparing

def compare_item(code, discount=(), stub=(), threshold=THRESHOLD, common=COMMON, min_shared=MIN_SHARED, item=""):
    """The pairs of one graded function: `code` {student: ast.FunctionDef}; `discount` normalised
    statements that weigh nothing, `stub` those of the released stub (see `discounted`).

    Returns (pairs at or above `threshold`, most similar first; number of students who attempted it).
    """
    discount, stub = set(discount), set(stub)
    own, sizes = {}, {}
    for student, func in code.items():
        counts, size = statements(func)
        if any(k not in stub for k in counts):  # anything beyond the stub: an attempt
            own[student] = Counter({k: c for k, c in counts.items() if k not in discount})
            sizes.update(size)
    n = len(own)
    holders = defaultdict(list)
    for student, counts in own.items():
        for key in counts:
            holders[key].append(student)
    limit = max(COMMON_FLOOR, common * n)
    weight = {k: (sizes[k] if len(who) <= limit else 0) for k, who in holders.items()}
    candidates = set()
    for key, who in holders.items():
        if weight[key]:
            candidates.update(combinations(sorted(who), 2))
    pairs = []
    for a, b in candidates:
        ca, cb = own[a], own[b]
        shared = sum(weight[k] * min(c, cb[k]) for k, c in ca.items() if k in cb)
        total = sum(weight[k] * max(ca.get(k, 0), cb.get(k, 0)) for k in set(ca) | set(cb))
        if total and shared >= min_shared and shared / total >= threshold:
            pairs.append(Pair(a, b, item, round(shared / total, 3)))
    pairs.sort(key=lambda p: (-p.similarity, p.item, p.student_a, p.student_b))
    return pairs, n


def compare_class(submissions, slug, students=None, threshold=THRESHOLD, common=COMMON, min_shared=MIN_SHARED):
    """({item: [Pair]}, {item: number of attempts}) for every graded function of an assignment."""
    spec = specs.load(slug)
    names = [t.name for t in spec.tests if t.kind == "function"]
    code = read_class(submissions, slug, set(names), students)
    discount, stub = discounted(slug, names)
    pairs, attempts = {}, {}
    for name in names:
        per_student = {s: funcs[name] for s, funcs in code.items() if name in funcs}
        pairs[name], attempts[name] = compare_item(per_student, discount[name], stub.get(name, ()), threshold,
                                                   common, min_shared, name)
    return pairs, attempts


def write_csv(path, pairs, qualify=None):
    """DIR/similarity.csv: student_a,student_b,item,similarity, most similar first.

    `pairs` is a list of (slug, Pair); `qualify` writes items as <slug>/<item> (a course-wide report).
    """
    import csv
    rows = sorted(pairs, key=lambda sp: (-sp[1].similarity, sp[0], sp[1].item, sp[1].student_a, sp[1].student_b))
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_a", "student_b", "item", "similarity"])
        for slug, p in rows:
            writer.writerow([p.student_a, p.student_b, f"{slug}/{p.item}" if qualify else p.item, f"{p.similarity:.3f}"])
    return path
