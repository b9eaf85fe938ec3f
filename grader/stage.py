"""Lay out a scratch folder as a student has it: the released files with one notebook in them."""
import shutil
from pathlib import Path


def stage(release, notebook_path, dest, name=None):
    """Copy the release folder's files (not its notebooks) into `dest`, then `notebook_path` as `name`."""
    release, dest = Path(release), Path(dest)
    ignore = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")
    shutil.copytree(release, dest, ignore=ignore, dirs_exist_ok=True)
    target = dest / (name or f"{release.name}.ipynb")
    shutil.copyfile(notebook_path, target)
    return target
