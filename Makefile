# The edition's commands. Every target sets up .venv first if it is missing
# or older than the project's dependencies.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= _build
SPHINX := $(BIN)/sphinx-build -W --keep-going -c conf
# Reproducible output: the date of the last commit, unless the caller sets one.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH

.PHONY: html test check import clean

html: $(VENV)/.installed  ## build the HTML edition into _build/html
	$(SPHINX) -b html docs $(OUT)/html
	@echo "Open $(OUT)/html/index.html"

test: $(VENV)/.installed  ## run the test suite
	$(BIN)/pytest

import: $(VENV)/.installed  ## regenerate docs/texts/ from sources/
	$(BIN)/edition import sources/*.txt

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf $(OUT)
