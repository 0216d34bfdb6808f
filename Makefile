# The course's commands. Each one bootstraps .venv from requirements.txt when needed, so
# on a fresh machine with Python 3.11 and pip, `make lab` and `make test` are all you need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test outputs bench data lint book solutions clean-venv help

help:
	@echo "make lab      open the course in JupyterLab (lesson 00)"
	@echo "make test     run the whole test suite (unit, exercises, strict nbval, JupyterLab in headless Chromium, book)"
	@echo "make outputs  re-execute notebooks and commit-ready outputs (NB=notebooks/NN_x.ipynb for one)"
	@echo "make bench    time and measure peak memory of every notebook"
	@echo "make data     regenerate datasets/ and SHA256SUMS from the seeded generator"
	@echo "make lint     ruff check"
	@echo "make book     build the course website (Jupyter Book, offline) into _build/book/_build/html/"
	@echo "make solutions  the instructor's answer key: every lesson with its exercises solved, run and checked, into _build/solutions/ (git-ignored; NB=notebooks/NN_x.ipynb for one)"
	@echo "make federation  run lesson 05's Flower federation (5 hospitals, TLS, 127.0.0.1) and write tools/federation/results.json"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# Serve from the repository root (as Binder does) and open lesson 00. As root (containers),
# JupyterLab refuses to start without --allow-root; add other options with LAB_ARGS=...
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
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
federation: $(STAMP)
	COURSE_QUIET=1 $(BIN)/python tools/run_federation.py $(FEDERATION_ARGS)

clean-venv:
	rm -rf $(VENV)
