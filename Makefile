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

# Installs Debian's chromium for the browser tests when it is missing (apt-get, via sudo unless root).
chromium:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make chromium: $(CHROMIUM) is missing and apt-get is not available; install Debian's package chromium by hand." >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; [ -t 0 ] || SUDO="sudo -n"; \
	else \
		echo "make chromium: $(CHROMIUM) is missing; run as root or install sudo, or run: apt-get install chromium" >&2; exit 1; \
	fi; \
	echo "make chromium: installing Debian's chromium for the browser tests"; \
	$$SUDO apt-get update && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium || { \
		echo "make chromium: could not install chromium with apt-get (see the output above); the browser tests need it." >&2; exit 1; }; \
	if [ ! -x $(CHROMIUM) ]; then \
		echo "make chromium: apt-get finished but $(CHROMIUM) is still missing." >&2; exit 1; \
	fi

test: $(STAMP) chromium
	$(BIN)/python -m queries.validate
	$(BIN)/python -m pytest

# The performance harness in full (about 10 minutes on 2 cores): bench/results/report.{json,md}. Not copied
# over bench/REPORT.md, the committed record, whose before-and-after notes are written by hand.
bench: $(STAMP) chromium
	$(BIN)/python -m bench --out bench/results
