"""Rebuild every committed data file: runs each datasets/make_*.py in turn (`make datasets`)."""
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    scripts = sorted(p for p in HERE.glob("make_*.py") if p.name != "make_datasets.py")
    for script in scripts:
        if len(sys.argv) > 1 and script.stem.removeprefix("make_") not in sys.argv[1:]:
            continue
        print(f"== {script.name}")
        runpy.run_path(str(script), run_name="__main__")
