# Quick start: `make demo`, then `make test`. Everything installs into .venv/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: setup demo test lab build datasets sandbox benchmark clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP) sandbox          ## create .venv and install the course environment

sandbox:                         ## install bubblewrap when we can (root + apt); otherwise say how
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null) \
	      || echo "warning: could not install bubblewrap; grading will need --no-sandbox"; \
	  else echo "notice: bubblewrap is not installed (sudo apt-get install bubblewrap); the demo runs unsandboxed"; fi; }

demo: setup                      ## build the course, make the sample class, grade it, print the gradebook
	$(BIN)/python -m grader build
	$(BIN)/python -m grader demo --out demo

test: setup                      ## the test suite (parallel)
	$(BIN)/python -m pytest -n auto tests

lab: setup                       ## JupyterLab on the student notebooks, for self-study
	cd notebooks && ../$(BIN)/jupyter lab

build: setup                     ## regenerate notebooks/ from solutions/
	$(BIN)/python -m grader build

datasets: setup                  ## rebuild datasets/ from their sources (needs requirements-data.txt)
	$(BIN)/python -m pip install --quiet -r requirements-data.txt
	$(BIN)/python datasets/make_datasets.py

benchmark: setup                 ## grading speed against stock nbgrader (see README)
	$(BIN)/python benchmarks/grading.py

clean:
	rm -rf demo build .pytest_cache
