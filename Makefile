# Quick start: `make demo`, then `make test`. Everything installs into .venv/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup system demo test lab build datasets benchmark benchmark-framework benchmark-notebooks clean

# The grader itself is installed editable, so that `python -m grader` works from any folder.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e . --no-deps
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP) system           ## create .venv and install the course environment

# System packages: bubblewrap (the grading sandbox), PostgreSQL (tested as the gradebook for
# large classes) and Chromium (the browser test of `make lab`, tests/test_lab_browser.py, drives it
# with Playwright; never a browser download). Installed when we can (root + apt); otherwise we say
# how, and carry on.
SYSTEM_PACKAGES := bubblewrap postgresql chromium
system:
	@missing=""; command -v bwrap >/dev/null 2>&1 || missing="bubblewrap"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "installing $$missing (apt)"; \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	        || echo "warning: could not install $$missing"; \
	    else echo "notice: not installed: $$missing (sudo apt-get install $(SYSTEM_PACKAGES)); without bubblewrap the demo runs unsandboxed, without postgresql or chromium their tests are skipped"; fi; \
	  fi

demo: setup                      ## build the course, make the sample class, grade it, print the gradebook
	$(BIN)/python -m grader build
	$(BIN)/python -m grader demo --out demo

test: setup                      ## the test suite (parallel)
	$(BIN)/python -m pytest -n auto tests

# lab_config/ (added to JUPYTER_CONFIG_PATH, so only here) hides nbgrader's panels that need an
# nbgrader course: Assignment List, Course List, Formgrader, Create Assignment. Validate stays.
lab: setup                       ## JupyterLab on the student notebooks, for self-study
	cd notebooks && JUPYTER_CONFIG_PATH="$(CURDIR)/lab_config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  ../$(BIN)/jupyter lab $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

build: setup                     ## regenerate notebooks/ from solutions/
	$(BIN)/python -m grader build

datasets: setup                  ## rebuild datasets/ from their sources (needs requirements-data.txt)
	$(BIN)/python -m pip install --quiet -r requirements-data.txt
	$(BIN)/python datasets/make_datasets.py

benchmark: setup                 ## grading speed against stock nbgrader (see README)
	$(BIN)/python benchmarks/grading.py

benchmark-notebooks: setup       ## every solution notebook's time and peak memory against its budget
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/notebooks.py

benchmark-framework: setup       ## milliseconds per step of the framework's conv and LSTM layers
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/framework_conv.py
	OPENBLAS_NUM_THREADS=1 $(BIN)/python benchmarks/framework_seq.py

clean:
	rm -rf demo build .pytest_cache
