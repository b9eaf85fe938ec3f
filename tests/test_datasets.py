"""The committed data: every file is documented, loads offline, and every assignment's data exists."""
import re

import numpy as np
import pytest

from grader import spec as specs
from grader.paths import DATASETS, UTILS  # noqa: F401  (puts utils/ on sys.path)

import data

FILES = sorted(p.name for p in DATASETS.iterdir() if p.suffix in (".h5", ".png", ".txt", ".npz"))


def test_every_data_file_has_a_readme_row_naming_the_script_that_makes_it():
    rows = [line for line in (DATASETS / "README.md").read_text().splitlines() if line.startswith("| `")]
    for name in FILES:
        first_of_series = re.sub(r"_\d+\.", "_0.", name)  # own_digit_7.png is documented as own_digit_0.png ...
        row = next((r for r in rows if f"`{name}`" in r or f"`{first_of_series}`" in r), None)
        assert row, f"{name} is not documented in datasets/README.md"
        scripts = re.findall(r"make_\w+\.py", row)
        assert scripts and all((DATASETS / s).is_file() for s in scripts), f"{name}: no existing make_*.py named"


@pytest.mark.parametrize("name", [f for f in FILES if f.endswith(".h5")])
def test_hdf5_files_load_offline_with_plain_arrays(name):
    arrays = data.load_h5(name)
    assert arrays
    for key, value in arrays.items():
        assert isinstance(value, np.ndarray) and value.dtype.kind in "biufU", (key, value.dtype)


def test_odd_even_digits_has_the_documented_shapes():
    d = data.load_h5("odd_even_digits.h5")
    assert d["train_x"].shape == (4000, 28, 28) and d["test_x"].shape == (1000, 28, 28)
    assert set(np.unique(d["train_y"])) == {0, 1} and np.array_equal(d["train_y"], d["train_digit"] % 2)
    assert list(d["classes"]) == ["even", "odd"]
    assert np.all(np.bincount(d["test_digit"]) == 100)


@pytest.mark.parametrize("name", [f for f in FILES if f.endswith(".png")])
def test_images_load(name):
    import matplotlib.image
    image = matplotlib.image.imread(data.path(name))
    assert image.shape[:2] == (28, 28)


@pytest.mark.parametrize("slug", specs.slugs())
def test_every_listed_data_file_exists(slug):
    for name in specs.load(slug).data:
        assert (DATASETS / name).is_file(), f"{slug} lists {name}, which datasets/ lacks"


def test_committed_weights_and_vectors_load_with_their_checksums_and_a_damaged_copy_is_refused(tmp_path, monkeypatch):
    import dates
    import detector
    import transfer_utils
    import trigger_utils
    import w2v_utils
    detector.load_detector()
    trigger_utils.load_detector_params()
    transfer_utils.load_base()
    assert "encoder_fwd" in dates.load_translator()
    assert len(w2v_utils.read_glove_vecs()[0]) > 40_000
    (tmp_path / "datasets").mkdir()
    damaged = tmp_path / "datasets" / "date_translator.npz"
    damaged.write_bytes((DATASETS / "date_translator.npz").read_bytes() + b"\0")
    monkeypatch.chdir(tmp_path)                       # data.path looks in ./datasets first, as in a release
    with pytest.raises(ValueError, match="SHA-256 .* differs from the recorded"):
        dates.load_translator()
