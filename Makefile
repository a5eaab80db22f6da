# Two entry points, both usable on a fresh machine: `make run` and `make test`.
# Each installs what it needs first (a virtualenv from requirements.txt), so nothing has to be set up by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp carries a hash of requirements.txt, so editing the pins reinstalls on the next run.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | sha1sum | cut -c1-12)
PORT ?= 8501

.PHONY: run test validate install

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

validate: $(STAMP)
	$(BIN)/python -m queries.validate

test: $(STAMP)
	$(BIN)/python -m queries.validate
	$(BIN)/python -m pytest
