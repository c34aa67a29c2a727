# The course's commands. `make course` runs every notebook; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
MODE ?=

.PHONY: course test lint lab student clean

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

## course: execute every notebook (MODE=smoke|default|full) into build/ and print the results table
course: $(INSTALLED)
	$(PY) -m course_utils.instructor.runner $(if $(MODE),--mode $(MODE))

## test: lint, unit tests, every notebook in smoke mode, the grading flow
test: lint
	$(PY) -m pytest

lint: $(INSTALLED)
	$(PY) -m ruff check .

## lab: open JupyterLab on the notebooks
lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab notebooks

## student: student versions of every notebook (nbgrader) in build/nbgrader/release
student: $(INSTALLED)
	$(PY) -m course_utils.instructor.grading release

clean:
	rm -rf build checkpoints
