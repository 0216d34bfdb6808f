# The course's commands. Each one bootstraps .venv when needed, so on a fresh machine with
# Python 3.11 and pip, `make lab` and `make test` are all you need. `make lab` installs what the
# lessons need (requirements.txt); `make test` and the maintainer targets add the tests, the
# browser checks and the website build (requirements-dev.txt).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
SUPPORTED_PYTHON := 3.11
VENV   := .venv
BIN    := $(VENV)/bin
COURSE_STAMP := $(VENV)/.course-stamp
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test outputs bench data lint book solutions clean-venv help python-check

help:
	@echo "make lab      open the course in JupyterLab (lesson 00); installs only what the lessons need"
	@echo "make test     run the whole test suite (unit, exercises, strict nbval, JupyterLab in headless Chromium, book)"
	@echo "make outputs  re-execute notebooks and commit-ready outputs (NB=notebooks/NN_x.ipynb for one)"
	@echo "make bench    time and measure peak memory of every notebook"
	@echo "make data     regenerate datasets/ and SHA256SUMS from the seeded generator"
	@echo "make lint     ruff check"
	@echo "make book     build the course website (Jupyter Book, offline) into _build/book/_build/html/"
	@echo "make solutions  the instructor's answer key: every lesson with its exercises solved, run and checked, into _build/solutions/ (git-ignored; NB=notebooks/NN_x.ipynb for one)"
	@echo "make federation  run lesson 05's Flower federation (5 hospitals, TLS, 127.0.0.1) and write tools/federation/results.json"

# Fails at once, before anything is downloaded, when the Python that would build (or that
# built) .venv is not the one the pins were measured on.
python-check:
	@py="$(PYTHON)"; [ -x $(BIN)/python ] && py=$(BIN)/python; \
	if [ -z "$$py" ]; then echo "No Python found: install Python $(SUPPORTED_PYTHON), or use conda/Binder (see book/setup.md)." >&2; exit 2; fi; \
	ver=$$("$$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null); \
	if [ "$$ver" != "$(SUPPORTED_PYTHON)" ]; then \
	  echo "The course needs Python $(SUPPORTED_PYTHON); $$py is Python $${ver:-unknown}." >&2; \
	  echo "Install Python $(SUPPORTED_PYTHON) and run: make PYTHON=/path/to/python3.11 ..." >&2; \
	  echo "or use conda (conda env create -f environment.yml) or Binder: see book/setup.md." >&2; \
	  [ -x $(BIN)/python ] && echo "($(VENV) was built with Python $$ver: remove it with make clean-venv.)" >&2; \
	  exit 2; \
	fi

$(COURSE_STAMP): requirements.txt pyproject.toml tools/lab_settings.py | python-check
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pip check
	$(BIN)/python tools/lab_settings.py
	touch $(COURSE_STAMP)

$(STAMP): $(COURSE_STAMP) requirements-dev.txt | python-check
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip check
	touch $(STAMP)

# Serve from the repository root (as Binder does) and open lesson 00. As root (containers),
# JupyterLab refuses to start without --allow-root; add other options with LAB_ARGS=...
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(COURSE_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(LAB_ARGS) notebooks/00_welcome.ipynb

test: $(STAMP)
	COURSE_QUIET=1 $(BIN)/python -m pytest

outputs: $(STAMP)
	COURSE_QUIET=1 $(BIN)/python tools/execute_notebooks.py $(or $(NB),notebooks/*.ipynb)

bench: $(STAMP)
	COURSE_QUIET=1 $(BIN)/python tools/bench.py $(or $(NB),notebooks/*.ipynb)

data: $(STAMP)
	$(BIN)/python datasets/generate.py

lint: $(STAMP)
	$(BIN)/ruff check .

book: $(STAMP)
	$(BIN)/python tools/build_book.py

# The answer key: every exercise's starter replaced by its reference solution, the lesson run in a
# fresh kernel, and every check required to pass. Writes only _build/solutions/ (git-ignored):
# never commit or publish it. NB=notebooks/NN_x.ipynb (or several, space-separated) for some lessons.
solutions: $(STAMP)
	COURSE_QUIET=1 $(BIN)/python tools/make_solutions.py $(NB)

# Lesson 05: a SuperLink and five SuperNodes on 127.0.0.1 over TLS, then `flwr run`; rewrites the
# committed tools/federation/results.json that the notebook reads. Options: FEDERATION_ARGS="--port 0".
.PHONY: federation
federation: $(COURSE_STAMP)
	COURSE_QUIET=1 $(BIN)/python tools/run_federation.py $(FEDERATION_ARGS)

clean-venv:
	rm -rf $(VENV)
