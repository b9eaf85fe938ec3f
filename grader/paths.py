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

import checks  # noqa: E402
import plain  # noqa: E402

__all__ = ["ROOT", "UTILS", "SOLUTIONS", "NOTEBOOKS", "DATASETS", "checks", "plain"]
