"""Where things are, and the shared modules from utils/ that the trusted side uses too."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UTILS = ROOT / "utils"
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
DATASETS = ROOT / "datasets"

if str(UTILS) not in sys.path:
    sys.path.insert(0, str(UTILS))

__all__ = ["ROOT", "UTILS", "SOLUTIONS", "NOTEBOOKS", "DATASETS", "checks", "plain"]


def __getattr__(name):
    # checks and plain import NumPy: loaded on first use, so that `grader check` can start its
    # sandboxed worker before paying for NumPy in this process
    if name in ("checks", "plain"):
        import importlib
        return importlib.import_module(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
