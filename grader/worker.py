"""The driver that runs inside the sandbox, next to the student's code.

Protocol (JSON lines): the parent writes {"cells": [{"index", "source"}]} on stdin; the
worker runs the cells, reporting {"event": "cell_error", ...} for each failure and then
{"event": "ready"}. Only then does the parent send calls, one line each, {"id", "func" |
"var", "kwargs"}, possibly several before reading their answers; each is answered in order with
"result", "error", "missing" or "unplain". An empty line ends the session. Values travel through `plain`
(no pickle).

This process is not trusted: student code runs in it and may tamper with anything here.
It can only change the values it hands back, which the parent compares itself.
"""
import json
import linecache
import os
import sys
import traceback

import numpy as np

try:
    import plain
except ImportError:  # run bare from the repository, where plain.py sits in utils/
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "utils"))
    import plain
    sys.path.pop()


# Libraries notebooks import at the top but graded code seldom touches: importing matplotlib.pyplot
# costs about 0.4 s of CPU, more than everything else a submission needs. Under `import x` these
# bind a module whose code runs on first use (an attribute that is not there yet), so a notebook
# that only plots in cells the grader skips never pays for it. The names, the dunder attributes
# (__spec__, __path__, __file__) and submodules are there at once, so a second `import x`, or
# `import x.y`, does not run it either. This is a speed measure inside the untrusted worker, not a
# guarantee: student code may load or unload what it likes here, and changes only its own values.
LAZY_PACKAGES = ("matplotlib", "scipy", "h5py")


class _Deferred(type(sys)):
    """A module whose code has not run yet: the first attribute it lacks runs it, in place."""

    def __getattr__(self, name):
        _load_now(self)
        if isinstance(self, _Deferred):   # its loader was tampered with: no such attribute
            raise AttributeError(name)
        return getattr(self, name)


_deferring = {"depth": 0}   # > 0 while a deferred module's code runs: its own imports are ordinary


def _load_now(module):
    spec = object.__getattribute__(module, "__spec__")
    loader = spec.loader
    if not isinstance(loader, _DeferredLoader):   # loaded meanwhile
        return
    parent = spec.name.rpartition(".")[0]
    if parent and isinstance(sys.modules.get(parent), _Deferred):
        _load_now(sys.modules[parent])            # a package's code runs before its modules', as usual
        if not isinstance(spec.loader, _DeferredLoader):
            return
    spec.loader = module.__loader__ = loader.real
    module.__class__ = type(sys)
    _deferring["depth"] += 1
    try:
        loader.real.exec_module(module)
    except BaseException:
        sys.modules.pop(spec.name, None)
        raise
    finally:
        _deferring["depth"] -= 1


class _DeferredLoader:
    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__class__ = _Deferred


class _DeferredFinder:
    """Defers the pure-Python modules of LAZY_PACKAGES that notebook code imports (not the library itself)."""

    def find_spec(self, name, path, target=None):
        if _deferring["depth"] or name.partition(".")[0] not in LAZY_PACKAGES:
            return None
        import importlib.machinery
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is None:
                continue
            if isinstance(spec.loader, importlib.machinery.SourceFileLoader):
                spec.loader = _DeferredLoader(spec.loader)
            return spec
        return None


def defer_imports():
    """Install the lazy importer (before any student code runs)."""
    if not any(isinstance(f, _DeferredFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferredFinder())


def _channels():
    job_in = os.fdopen(os.dup(0), "r", encoding="utf-8")
    events = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    return job_in, events


_CELL_OF_SOURCE = {}   # a cell's source (stripped) -> its index in the notebook, to name where code raised


def _describe(exc):
    """Exception type, message, and where in the student's code it was raised.

    The deepest frame of notebook code: its function, the cell (numbered from 1, as JupyterLab
    shows it) and the line within that cell. IPython compiles each cell under its own file name
    and keeps its text in linecache, which is how a frame is traced back to its cell.
    """
    where = {}
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<ipython-input") or frame.filename.startswith("<cell"):
            cell = _CELL_OF_SOURCE.get("".join(linecache.getlines(frame.filename)).strip())
            where = {"line": frame.lineno, "function": frame.name,
                     "cell": None if cell is None else cell + 1}
    return {"type": type(exc).__name__, "message": str(exc)[:300], **where}


def _arrays(value, path):
    """(path, array) for every numpy array inside plain data (dicts, lists, tuples)."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _arrays(v, f"{path}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _arrays(v, f"{path}[{i}]")


def _changed_in_place(before):
    """Names of the arrays whose contents a call changed (x /= norm), from (path, array, copy) triples."""
    return [path for path, array, copy_ in before
            if array.shape != copy_.shape or not np.array_equal(array, copy_, equal_nan=array.dtype.kind in "fc")]


def _argument(value, namespace):
    if isinstance(value, dict) and set(value) == {"__ref__"}:
        return namespace[value["__ref__"]]
    return plain.decode(value)


def make_shell():
    """The IPython shell that runs the cells: made here, or once in the warm pool's parent before it forks.

    No history (cells run with store_history=False anyway): IPython's history manager would start a
    thread, which a process that forks must not have, and cost 10 ms.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    _plain_python_skips_token_transforms(shell.input_transformer_manager)
    return shell


def _plain_python_skips_token_transforms(manager):
    """Skip IPython's token transforms (%magics, !commands, x?) for a cell that is plain Python.

    They find IPython syntax by tokenizing the whole cell, a millisecond a cell, about a tenth of a
    submission's time; plain Python has no such syntax, so they would return it unchanged. The
    cleanup and line transforms (prompts, leading indent, cell magics, and any a student adds) run
    as before, and so do the token transforms when a student has changed their list.
    tests/test_fast_paths.py compares both ways on every cell of every solution notebook.
    """
    import ast
    full = manager.do_token_transforms
    defaults = list(manager.token_transformers)

    def do_token_transforms(lines):
        if manager.token_transformers == defaults:
            try:
                compile("".join(lines), "<cell>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
                return lines
            except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
                pass
        return full(lines)
    manager.do_token_transforms = do_token_transforms


def main():
    job_in, events = _channels()

    def emit(**event):
        events.write(json.dumps(event) + "\n")

    if os.environ.get("GRADER_EAGER_IMPORTS") != "1":
        defer_imports()
    shell = make_shell()
    shell.showtraceback = lambda *a, **k: None
    shell.register_magic_function(lambda line: None, "line", "matplotlib")  # no GUI here
    cells = json.loads(job_in.readline())["cells"]
    for cell in cells:
        if isinstance(cell.get("index"), int):
            _CELL_OF_SOURCE[cell["source"].strip()] = cell["index"]
        try:
            result = shell.run_cell(cell["source"], store_history=False, silent=True)
            error = result.error_before_exec or result.error_in_exec
        except BaseException as exc:  # a cell that calls sys.exit or raises past IPython
            error = exc
        if error is not None:
            emit(event="cell_error", index=cell["index"], **_describe(error))
    emit(event="ready")

    namespace = shell.user_ns
    for line in job_in:
        if not line.strip():
            break
        call = json.loads(line)
        name = call.get("func") or call.get("var")
        if name not in namespace:
            emit(event="missing", id=call["id"], name=name)
            continue
        changed = []
        try:
            if "var" in call:
                value = namespace[name]
            else:
                kwargs = {k: _argument(v, namespace) for k, v in call.get("kwargs", {}).items()}
                before = [(path, array, array.copy()) for k, v in kwargs.items() for path, array in _arrays(v, k)]
                value = namespace[name](**kwargs)
                changed = _changed_in_place(before)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: report, go on
            emit(event="error", id=call["id"], **_describe(exc))
            continue
        try:
            emit(event="result", id=call["id"], value=plain.encode(value), **({"changed": changed} if changed else {}))
        except (plain.PlainValueError, RecursionError) as exc:
            emit(event="unplain", id=call["id"], message=str(exc)[:200])
    events.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
