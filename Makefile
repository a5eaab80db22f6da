# Two entry points, both usable on a fresh machine: `make run` and `make test`.
# Each installs what it needs first (a virtualenv from requirements.txt), so nothing has to be set up by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp carries a hash of requirements.txt, so editing the pins reinstalls on the next run.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha1sum | cut -c1-12)
PORT ?= 8501
# The browser tests drive Debian's chromium; Playwright's own browser download is never used.
CHROMIUM := /usr/bin/chromium
# Charts ask for Arial and their margins are worked out from Arial's widths (dashboard/charts/margins.py);
# on Debian, Liberation Sans (same metrics) stands in for it. Without it chromium falls back to the wider
# DejaVu Sans, and every chart needs plotly.js's second layout pass.
ARIAL_METRICS_FONT := /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
BROWSER_PACKAGES := chromium fonts-liberation

.PHONY: run test validate install chromium bench

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/python -m streamlit run dashboard/server.py --server.port $(PORT)

validate: $(STAMP)
	$(BIN)/python -m queries.validate

# Installs Debian's chromium and the Arial-metric font for the browser tests when either is missing
# (apt-get, via sudo unless root).
chromium:
	@if [ -x $(CHROMIUM) ] && [ -f $(ARIAL_METRICS_FONT) ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make chromium: $(CHROMIUM) or $(ARIAL_METRICS_FONT) is missing and apt-get is not available; install Debian's packages $(BROWSER_PACKAGES) by hand." >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; [ -t 0 ] || SUDO="sudo -n"; \
	else \
		echo "make chromium: $(CHROMIUM) or $(ARIAL_METRICS_FONT) is missing; run as root or install sudo, or run: apt-get install $(BROWSER_PACKAGES)" >&2; exit 1; \
	fi; \
	echo "make chromium: installing Debian's $(BROWSER_PACKAGES) for the browser tests"; \
	$$SUDO apt-get update && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) || { \
		echo "make chromium: could not install $(BROWSER_PACKAGES) with apt-get (see the output above); the browser tests need them." >&2; exit 1; }; \
	if [ ! -x $(CHROMIUM) ] || [ ! -f $(ARIAL_METRICS_FONT) ]; then \
		echo "make chromium: apt-get finished but $(CHROMIUM) or $(ARIAL_METRICS_FONT) is still missing." >&2; exit 1; \
	fi

test: $(STAMP) chromium
	$(BIN)/python -m queries.validate
	$(BIN)/python -m pytest

# The performance harness in full (about 10 minutes on 2 cores): bench/results/report.{json,md}. Not copied
# over bench/REPORT.md, the committed record, whose before-and-after notes are written by hand.
bench: $(STAMP) chromium
	$(BIN)/python -m bench --out bench/results
