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

.PHONY: html pdf epub test check import clean

html: $(VENV)/.installed  ## build the HTML edition into _build/html
	$(SPHINX) -b html docs $(OUT)/html
	@echo "Open $(OUT)/html/index.html"

pdf: $(VENV)/.installed  ## build the print edition: _build/edition.pdf (needs TeX Live, see README)
	@command -v xelatex >/dev/null || { echo "make pdf: xelatex not found; install texlive-xetex texlive-lang-cjk texlive-lang-cyrillic fonts-noto-cjk latexmk (README, System packages)"; exit 1; }
	@command -v latexmk >/dev/null || { echo "make pdf: latexmk not found; install latexmk (README, System packages)"; exit 1; }
	@fc-list | grep -q "Noto Serif CJK" || { echo "make pdf: font Noto Serif CJK not found; install fonts-noto-cjk (README, System packages)"; exit 1; }
	$(SPHINX) -b latex -d $(OUT)/doctrees-latex docs $(OUT)/latex
	$(MAKE) -C $(OUT)/latex LATEXMKOPTS="-silent -halt-on-error -g" all-pdf
	cp $(OUT)/latex/edition.pdf $(OUT)/edition.pdf
	@echo "Wrote $(OUT)/edition.pdf"

epub: $(VENV)/.installed  ## build the EPUB 3 edition: _build/edition.epub
	rm -rf $(OUT)/epub  # stale files would be packed into the book
	$(SPHINX) -b epub -d $(OUT)/doctrees-epub docs $(OUT)/epub
	cp $(OUT)/epub/*.epub $(OUT)/edition.epub
	@echo "Wrote $(OUT)/edition.epub"

check: $(VENV)/.installed  ## validate the annotations without building
	$(BIN)/edition check

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
