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

.PHONY: html pdf epub test test-quick check import clean bench release

html: $(VENV)/.installed  ## build the HTML edition into _build/html
	$(SPHINX) -b html docs $(OUT)/html
	@echo "Open $(OUT)/html/index.html"

# What the PDF needs, and the Debian package that provides each (README).
XELATEX ?= xelatex
LATEXMK ?= latexmk
UPMENDEX ?= upmendex
PDF_FONTS ?= Noto Serif:fonts-noto-core|Noto Serif CJK KR:fonts-noto-cjk|DejaVu Sans Mono:fonts-dejavu-core

pdf: $(VENV)/.installed  ## build the print edition: _build/edition.pdf (needs TeX Live, see README)
	@command -v $(XELATEX) >/dev/null || { echo "make pdf: $(XELATEX) not found; install texlive-xetex texlive-latex-extra texlive-lang-cjk texlive-lang-chinese texlive-lang-cyrillic"; exit 1; }
	@command -v $(LATEXMK) >/dev/null || { echo "make pdf: $(LATEXMK) not found; install latexmk"; exit 1; }
	@command -v $(UPMENDEX) >/dev/null || { echo "make pdf: $(UPMENDEX) not found; install texlive-binaries"; exit 1; }
	@missing=$$(echo "$(PDF_FONTS)" | tr '|' '\n' | while IFS=: read -r font pkg; do \
	  fc-list ":family=$$font" family | grep -q . || echo "$$font:$$pkg"; done | head -n 1); \
	  [ -z "$$missing" ] || { echo "make pdf: font $${missing%%:*} not found; install $${missing#*:}"; exit 1; }
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

# Test processes: one per core (pytest-xdist). A module's tests stay on one worker
# (--dist loadfile), so its own builds are made once; the session's HTML, EPUB and
# PDF builds are made once and shared by the workers (tests/conftest.py). Files are
# handed out in the order tests/conftest.py gives them (longest first, RUN_FIRST),
# not xdist's own (most tests first), so that the workers end together.
TEST_JOBS ?= auto
PYTEST_PARALLEL := -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

test: $(VENV)/.installed  ## run the whole test suite (CI runs this)
	@# The accessibility and HTML-validity tests use npm tools (package.json).
	@# Puppeteer (under DAISY Ace) must not download a browser: Ace uses Debian's Chromium.
	@if command -v npm >/dev/null && [ ! -f node_modules/.package-lock.json ]; then PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund; fi
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

test-quick: $(VENV)/.installed  ## the suite without the PDF, Java/Node tools and browser (tests marked slow or browser)
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow and not browser" $(PYTEST_ARGS)

# The release date is SOURCE_DATE_EPOCH only if the caller sets it (this
# Makefile's own default, the last commit's date, is not the day of release).
release: $(VENV)/.installed  ## make release VERSION=1.2: version and date in CITATION.cff, .zenodo.json, tag v1.2
	@test -n "$(VERSION)" || { echo "make release: give the version, e.g. make release VERSION=1.2"; exit 1; }
	$(if $(filter file,$(origin SOURCE_DATE_EPOCH)),env -u SOURCE_DATE_EPOCH) $(BIN)/edition release "$(VERSION)"

import: $(VENV)/.installed  ## regenerate docs/texts/ from sources/
	$(BIN)/edition import sources/*.txt

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf $(OUT)

bench: $(VENV)/.installed  ## benchmark against plain Sphinx at 100-2,000 texts within 10 min (larger sizes skipped, said so; BENCH_BUDGET=0 runs all): bench/out/results.json
	$(BIN)/python bench/run.py
	$(BIN)/python bench/orphans.py  # check with 100 orphan anchors of 500 characters: bench/out/orphans.json
	$(BIN)/python bench/hostile_import.py  # import-annotations --dry-run on 600 hostile rows: bench/out/hostile_import.json
