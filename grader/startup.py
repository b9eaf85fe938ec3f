"""Import-time shortcuts for a process that imports the grader before nbgrader, nbformat or jsonschema.

Run once from grader/__init__.py. Each one only changes how this process imports a library it has
not imported yet, so a process that loaded the library first (formgrader, or nbgrader's own
commands such as `nbgrader export` loading `grader.export` as a plugin) is left exactly as it was.

1. jsonschema's optional format checkers. nbformat validates notebooks with jsonschema and never
   passes a format checker (its schemas' "format" is a property name, not the keyword), yet
   importing jsonschema imports every optional library it could check a format with: the IRI
   grammar (rfc3987_syntax) alone compiles for over a second, the others take 25 ms more. Marking
   them absent in sys.modules makes jsonschema skip those checkers, as it does when they are not
   installed. Only libraries that nothing else in the grader imports are listed (not idna, which
   requests needs).
2. nbgrader's package __init__. It only registers nbgrader's Jupyter server extensions, and
   importing them (tornado handlers, the exchange, nbgrader's apps, nbconvert) is 0.35 s of the
   0.8 s of CPU that `import nbgrader.api` costs. The grader uses nbgrader's modules
   (api, coursedir, utils, preprocessors, plugins), never the package's own names, so the package
   is registered with its __init__ not yet run: importing a submodule works as usual, and the first
   use of a name the __init__ defines (nbgrader.__version__, the extension hooks) runs it then.

`preload(name)` is the third: importing a module in a thread while this one waits for a sandbox.
"""
import importlib.machinery
import importlib.util
import sys
import threading
import types

FORMAT_CHECKER_LIBRARIES = ("rfc3987_syntax", "rfc3986_validator", "rfc3339_validator", "uri_template",
                            "isoduration", "webcolors")
DEFERRED_PACKAGES = ("nbgrader",)


def install():
    if "jsonschema" not in sys.modules:
        for name in FORMAT_CHECKER_LIBRARIES:
            sys.modules.setdefault(name, None)
    for name in DEFERRED_PACKAGES:
        defer_package_init(name)


_init_lock = threading.RLock()
_init_started = set()


class _InitPending(types.ModuleType):
    """A package whose __init__ has not run: submodules import as usual, its own names run it first."""

    def __getattr__(self, name):
        fullname = f"{self.__name__}.{name}"
        if importlib.machinery.PathFinder.find_spec(fullname, self.__path__) is not None:
            return importlib.import_module(fullname)   # `from . import utils`, `nbgrader.api`
        with _init_lock:
            if self.__name__ not in _init_started:
                _init_started.add(self.__name__)
                try:
                    self.__spec__.loader.exec_module(self)
                finally:
                    self.__class__ = types.ModuleType
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


def defer_package_init(name):
    """Register package `name` with its __init__ deferred (nothing is done if it is imported already)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None or not hasattr(spec.loader, "exec_module"):
        return   # not installed, or not a plain package: the ordinary import will say so
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _InitPending
    sys.modules[name] = module


def preload(name):
    """Start importing module `name` in a background thread, so that it is ready when needed.

    For a module this process will need after waiting on something else (a batch imports nbgrader's
    database layer, about 0.5 s of CPU, only after the reference answers come back from a worker):
    the import runs while this thread waits on the worker. A later `import name` anywhere waits for
    the one in progress (each module's import lock) rather than starting over, and raises its error,
    if any, itself; so an import that fails here fails silently here.
    """
    if name in sys.modules:
        return

    def run():
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: BLE001 (the import that needs the module reports it)
            pass

    threading.Thread(target=run, name=f"preload {name}", daemon=True).start()
