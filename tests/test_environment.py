"""The pip route (requirements.txt) and the conda route (environment.yml) install the same things."""
import re

from grader.paths import ROOT

# PyPI name -> conda-forge name, where they differ
CONDA_NAME = {"psycopg2-binary": "psycopg2"}


def pip_pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[CONDA_NAME.get(name.lower(), name.lower())] = version
    return pins


def conda_pins():
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"\s*-\s*([A-Za-z0-9_.-]+)\s*=\s*([0-9][^\s#]*)", line)
        if m and m.group(1) != "python":
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_pip_and_conda_lists_agree():
    assert pip_pins() == conda_pins()


def test_environment_is_python_311_with_the_course_stack():
    text = (ROOT / "environment.yml").read_text()
    assert "python=3.11" in text and "conda-forge" in text
    assert {"numpy", "scipy", "h5py", "matplotlib", "nbformat", "nbclient", "nbgrader", "jupyterlab", "ipykernel",
            "pytest"} <= set(conda_pins())
    assert conda_pins()["nbgrader"].startswith("0.9.")
    assert conda_pins()["jupyterlab"].startswith("4.")


def test_in_process_alembic_head_is_the_one_nbgrader_stamps():
    import subprocess
    import sys
    from grader import gradebook
    import os
    from pathlib import Path
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    stock = subprocess.run([sys.executable, "-c", "import nbgrader.api as a; print(a.get_alembic_version())"],
                           capture_output=True, text=True, check=True, env=env).stdout.strip()
    assert stock and stock == gradebook.alembic_head()
