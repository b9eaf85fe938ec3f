"""Reading notebooks the grader's way: graded cells, visible-test cells, cells to run, stable writing."""
import json
import re

GRADED = re.compile(r"^\s*# GRADED (?:FUNCTION|ANSWER):\s*([A-Za-z_][A-Za-z0-9_]*)", re.M)
VISIBLE_TEST = re.compile(r"^\s*check(?:_\w+)?\(", re.M)
SKIP_TAGS = {"slow", "visible-test"}


def graded_name(source):
    """The item named by a cell's `# GRADED FUNCTION: name` or `# GRADED ANSWER: name` first line, or None."""
    first = source.lstrip().split("\n", 1)[0]
    m = GRADED.match(first)
    return m.group(1) if m else None


def is_visible_test(cell):
    return cell["cell_type"] == "code" and ("visible-test" in cell["metadata"].get("tags", [])
                                            or bool(VISIBLE_TEST.search(cell["source"])))


def cells_to_run(nb):
    """The code cells a verdict needs: all but training/plotting cells (tag `slow`) and visible tests."""
    cells = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if SKIP_TAGS & set(cell["metadata"].get("tags", [])) or is_visible_test(cell):
            continue
        cells.append({"index": index, "source": cell["source"]})
    return cells


def cell_number(index):
    """A cell's number as JupyterLab shows it (from 1) for its index in the notebook (from 0)."""
    return index + 1 if isinstance(index, int) and not isinstance(index, bool) else "?"


def graded_cells(nb):
    """{function name: [cell indices]} for the `# GRADED FUNCTION:` cells of a notebook."""
    found = {}
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            name = graded_name(cell["source"])
            if name:
                found.setdefault(name, []).append(index)
    return found


MAX_BYTES = 64 << 20


def read(path):
    """(notebook as plain dicts with string sources, None) or (None, a reason a person can act on).

    Plain JSON, not nbformat: importing nbformat costs over a second, which a single
    check or a batch of quick verdicts should not pay. Only what grading relies on is checked.
    """
    size = path.stat().st_size
    if size == 0:
        return None, "the notebook file is empty"
    if size > MAX_BYTES:
        return None, f"the notebook is {size >> 20} MiB, over the {MAX_BYTES >> 20} MiB limit " \
                     "(clear the outputs and submit again)"
    try:
        nb = json.loads(path.read_bytes().decode("utf-8-sig"))  # a byte-order mark some editors add is fine
        if isinstance(nb, dict) and nb.get("nbformat") == 3 and isinstance(nb.get("worksheets"), list):
            nb = _from_v3(nb)
        if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
            raise ValueError("no list of cells")
        if nb.get("nbformat") != 4:
            raise ValueError(f"nbformat {nb.get('nbformat')!r}, expected 4")
        for cell in nb["cells"]:
            if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
                raise ValueError("a cell of unknown type")
            source = cell.get("source", "")
            if isinstance(source, list) and all(isinstance(s, str) for s in source):
                source = "".join(source)
            if not isinstance(source, str):
                raise ValueError("a cell without source text")
            cell["source"] = source
            if not isinstance(cell.get("metadata", {}), dict):
                raise ValueError("a cell with malformed metadata")
            cell.setdefault("metadata", {})
            if not isinstance(cell["metadata"].get("tags", []), list):
                cell["metadata"]["tags"] = []
    except UnicodeDecodeError:
        return None, "the notebook is not text (UTF-8): it may be corrupt or not a notebook at all"
    except (ValueError, RecursionError) as exc:
        return None, f"the notebook is not valid notebook JSON ({str(exc)[:120]}); open it in " \
                     "JupyterLab to repair it, or start again from the released notebook"
    return nb, None


def _from_v3(nb):
    """An nbformat 3 notebook (IPython 2 era) converted to 4 by nbformat; marked `converted_from` = 3."""
    import nbformat
    try:
        converted = nbformat.convert(nbformat.from_dict(nb), 4)
    except Exception as exc:  # a malformed v3 file: nbformat's own reason
        raise ValueError(f"an nbformat 3 notebook that could not be converted: {str(exc)[:80]}") from None
    converted = json.loads(json.dumps(converted))
    converted["converted_from"] = 3
    return converted


def write(nb, path):
    """Write without outputs, in a stable form, so that building twice gives identical files."""
    import nbformat
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    text = nbformat.writes(nb, version=4)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text if text.endswith("\n") else text + "\n")
