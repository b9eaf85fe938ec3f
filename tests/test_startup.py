"""What importing the grader changes in its process (grader/startup.py), and only there.

The grader's process imports nbgrader's database layer without nbgrader's server extensions and
jsonschema without its optional format checkers; everything nbgrader and nbformat do for the grader
still works, the package's own names still load on first use, and a process that imported nbgrader
first (nbgrader's commands, formgrader) is left as it was. Each case runs in a fresh interpreter,
since pytest's own process has imported half of these already.
"""
import subprocess
import sys
import textwrap

import pytest

from grader import gradebook, refcache, startup
from grader.paths import ROOT


def python(code):
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_gradebook_loads_without_nbgraders_server_extensions_or_format_checkers():
    out = python("""
        import sys
        import grader.gradebook
        heavy = ["nbgrader.server_extensions", "nbgrader.apps", "nbgrader.exchange", "jupyter_server", "nbconvert",
                 *grader.startup.FORMAT_CHECKER_LIBRARIES]
        print(sorted(m for m in heavy if sys.modules.get(m) is not None))
    """)
    assert out.strip() == "[]"


def test_nbgraders_own_names_load_on_first_use():
    out = python("""
        import sys
        import grader.gradebook
        import nbgrader
        from nbgrader._version import __version__
        assert nbgrader.__version__ == __version__, nbgrader.__version__   # runs the package's __init__ now
        assert "nbgrader.server_extensions.formgrader" in sys.modules
        assert nbgrader._jupyter_server_extension_points() == [{"module": "nbgrader"}]
        assert type(nbgrader) is type(sys)
        from nbgrader.apps import NbGraderAPI
        from nbgrader.preprocessors import AssignLatePenalties
        import nbgrader.api
        assert nbgrader.api.Gradebook is grader.gradebook.Gradebook
        try:
            nbgrader.no_such_name
        except AttributeError:
            print("ok")
    """)
    assert out.strip() == "ok"


def test_notebooks_still_validate():
    out = python("""
        import grader, nbformat
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
        nbformat.validate(nb)
        nb.cells[0]["cell_type"] = "nonsense"
        try:
            nbformat.validate(nb)
        except nbformat.ValidationError:
            print("refused")
    """)
    assert out.strip() == "refused"


def test_a_process_that_imported_nbgrader_first_is_left_alone():
    out = python("""
        import sys
        import jsonschema, nbgrader
        import grader.export
        assert type(sys.modules["nbgrader"]) is type(sys)
        assert hasattr(nbgrader, "_load_jupyter_server_extension")
        print(sorted(m for m in grader.startup.FORMAT_CHECKER_LIBRARIES if m in sys.modules and sys.modules[m] is None))
    """)
    assert out.strip() == "[]"


def test_preload_imports_in_the_background_and_leaves_errors_to_the_import_that_needs_it(tmp_path, monkeypatch):
    (tmp_path / "preloaded_ok.py").write_text("import time\ntime.sleep(0.2)\nVALUE = 42\n")
    (tmp_path / "preloaded_bad.py").write_text("raise RuntimeError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    startup.preload("preloaded_ok")
    startup.preload("preloaded_bad")
    import preloaded_ok  # waits for the import in progress, never a half-made module
    assert preloaded_ok.VALUE == 42
    with pytest.raises(RuntimeError, match="broken on purpose"):
        import preloaded_bad  # noqa: F401
    for name in ("preloaded_ok", "preloaded_bad"):
        sys.modules.pop(name, None)


def test_alembic_head_from_the_scripts_and_alembic_for_anything_but_a_line(tmp_path):
    def script(revision, down):
        (tmp_path / f"{revision}_x.py").write_text(f'"""x"""\nrevision = {revision!r}\ndown_revision = {down!r}\n'
                                                  "branch_labels = None\ndepends_on = None\n")
    script("a1", None)
    script("b2", "a1")
    script("c3", "b2")
    assert gradebook._single_head(tmp_path) == "c3"
    script("d4", "b2")                        # a branch: two heads
    assert gradebook._single_head(tmp_path) is None
    script("e5", ("c3", "d4"))                # a merge
    assert gradebook._single_head(tmp_path) is None


def test_the_reference_cache_key_reads_the_versions_importlib_metadata_reports():
    from importlib.metadata import version
    assert refcache._versions()[1:] == [f"numpy={version('numpy')}", f"scipy={version('scipy')}"]
