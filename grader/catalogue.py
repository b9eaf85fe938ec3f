"""The mistake catalogue: wrong variants students write for a graded function, and equivalent rewrites.

Kept beside the spec in solutions/<slug>/mistakes.py (never released). Each entry is a plain
function with the graded function's name and signature:

    @mistake("softmax", "divides with // (integer division)")
    def softmax(x): ...

    @rewrite("softmax", "subtracts the row maximum first")
    def softmax(x): ...

Why functions run in the solution notebook: a variant of L_model_forward calls the notebook's own
linear_activation_forward, and every variant uses the notebook's imports. So each entry's source is
appended to the solution's cells under a private name, and called on the same hidden inputs as the
reference in the same (trusted) run. A test proves every mistake loses its item and every rewrite
keeps it; at grading time a wrong answer that matches a mistake's outputs gets its description.
"""
import ast
import importlib.util
import inspect
import textwrap
from dataclasses import dataclass

from .paths import SOLUTIONS, checks


@dataclass(frozen=True)
class Entry:
    item: str           # the graded function
    description: str    # what the code does wrong (mistakes), or how it is written (rewrites)
    kind: str           # "mistake" or "rewrite"
    source: str         # the function's source, without decorators


def _entry(kind, item, description):
    def record(func):
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
        tree.body[0].decorator_list = []
        return Entry(item, description, kind, ast.unparse(tree))
    return record


def mistake(item, description):
    """Decorator: a wrong variant of graded function `item`; it must lose the item's points."""
    return _entry("mistake", item, description)


def rewrite(item, description):
    """Decorator: an equivalent way to write `item`; it must keep full marks."""
    return _entry("rewrite", item, description)


def load(slug):
    """The entries of solutions/<slug>/mistakes.py, in file order ([] when there is none)."""
    path = SOLUTIONS / slug / "mistakes.py"
    if not path.exists():
        return []
    module_spec = importlib.util.spec_from_file_location(f"mistakes_{slug}", path)
    module = importlib.util.module_from_spec(module_spec)
    entries = []
    # each decorated def rebinds the same name, so collect entries as they are made, not from the module
    module.__dict__["__builtins__"] = __builtins__
    source = path.read_text()
    for node in ast.parse(source).body:
        code = compile(ast.Module([node], type_ignores=[]), str(path), "exec")
        exec(code, module.__dict__)
        if isinstance(node, ast.FunctionDef):
            value = module.__dict__.get(node.name)
            if isinstance(value, Entry):
                entries.append(value)
    return entries


def private_name(k):
    return f"__catalogue_entry_{k}"


def cells_and_calls(entries, calls):
    """Extra cells defining each entry under a private name, and its calls on the item's hidden inputs.

    Call ids are "<k>|<original id>" for entry k.
    """
    cells, extra = [], []
    for k, entry in enumerate(entries):
        tree = ast.parse(entry.source)
        tree.body[0].name = private_name(k)
        cells.append({"index": f"catalogue {k}", "source": ast.unparse(tree)})
        extra += [{**c, "id": f"{k}|{c['id']}", "func": private_name(k)}
                  for c in calls if c.get("func") == entry.item]
    return cells, extra


def split(outcomes, n_entries):
    """{original id: outcome} of the reference, and [{original id: outcome}] for each entry."""
    reference, per_entry = {}, [{} for _ in range(n_entries)]
    for cid, outcome in outcomes.items():
        k, sep, original = cid.partition("|")
        if sep:
            per_entry[int(k)][original] = outcome
        else:
            reference[cid] = outcome
    return reference, per_entry


def matching_mistake(test, got, entries, entry_outcomes):
    """The description of the first mistake of `test.name` whose outputs equal `got` on every case.

    got: {case id: value} of the submission; entry_outcomes: [{case id: run.Outcome}] per entry.
    """
    if not got:
        return None
    for entry, outcomes in zip(entries, entry_outcomes):
        if entry.kind != "mistake" or entry.item != test.name:
            continue
        if all(cid in outcomes and outcomes[cid].kind == "result"
               and checks.compare(value, outcomes[cid].value, test.rtol, test.atol) is None
               for cid, value in got.items()):
            return entry.description
    return None
