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
HAPROXY := /usr/sbin/haproxy
# True when some /usr/lib/postgresql/<major>/bin/ holds the server programs deploy/cluster.py runs.
HAS_POSTGRES := ( for dir in /usr/lib/postgresql/*/bin; do [ -x "$$dir/initdb" ] && [ -x "$$dir/postgres" ] && exit 0; done; exit 1 )
# make cluster: how many dashboard replicas behind HAProxy, and the port readers connect to.
REPLICAS ?= 2
CLUSTER_PORT ?= 8500

.PHONY: run test validate install debian-packages cluster bench

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

# Installs, in one apt-get run (via sudo unless root), whichever of Debian's packages the project drives is
# missing: chromium for the browser tests, postgresql and haproxy for cluster mode's engines. PostgreSQL's
# server programs are looked for where Debian keeps them, /usr/lib/postgresql/<major>/bin/, never on PATH.
# The postgresql package's own "main" cluster is never used: deploy/cluster.py runs its own instance.
debian-packages:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	[ -x $(HAPROXY) ] || missing="$$missing haproxy"; \
	$(HAS_POSTGRES) || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make debian-packages: missing Debian packages:$$missing, and apt-get is not available; install them by hand." >&2; exit 1; \
	fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; [ -t 0 ] || SUDO="sudo -n"; \
	else \
		echo "make debian-packages: missing Debian packages:$$missing; run as root or install sudo, or run: apt-get install$$missing" >&2; exit 1; \
	fi; \
	echo "make debian-packages: installing Debian's$$missing for the browser tests and cluster mode"; \
	$$SUDO apt-get update && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing || { \
		echo "make debian-packages: could not install$$missing with apt-get (see the output above)." >&2; exit 1; }; \
	[ -x $(CHROMIUM) ] || { echo "make debian-packages: apt-get finished but $(CHROMIUM) is still missing." >&2; exit 1; }; \
	[ -x $(HAPROXY) ] || { echo "make debian-packages: apt-get finished but $(HAPROXY) is still missing." >&2; exit 1; }; \
	$(HAS_POSTGRES) || { echo "make debian-packages: apt-get finished but initdb and postgres are still missing from /usr/lib/postgresql/<major>/bin/." >&2; exit 1; }

# Cluster mode on this machine (deploy/README.md): PostgreSQL loaded from data/, $(REPLICAS) replicas and
# HAProxy on http://localhost:$(CLUSTER_PORT), until Ctrl-C.
cluster: $(STAMP) debian-packages
	$(BIN)/python -m deploy.cluster --replicas $(REPLICAS) --port $(CLUSTER_PORT)

test: $(STAMP) debian-packages
	$(BIN)/python -m queries.validate
	$(BIN)/python -m pytest

# The performance harness in full (about 20 minutes on 2 cores, 8 of them the cluster section):
# bench/results/report.{json,md}. Not copied over bench/REPORT.md, the committed record, whose before-and-after
# notes are written by hand.
bench: $(STAMP) debian-packages
	$(BIN)/python -m bench --out bench/results
