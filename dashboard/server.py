"""What `make run` starts: the dashboard and its read-only API (/api/v1/) in one process.

`streamlit run dashboard/server.py` finds the module-level `app` below and serves it: Streamlit runs
dashboard/app.py for every rerun of every session, as it does when that script is run alone (AppTest
and the benchmark's page runs still use it so), and the API's routes answer beside it. In cluster mode
($KZNGO_DATABASE_URL set) it first starts keeping its data folder a copy of PostgreSQL (desk/mirror.py).
"""

import os
import sys

import streamlit as st

# Streamlit puts only dashboard/ on the import path; the project root is needed for its packages.
PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PROJECT_DIR not in sys.path:
    sys.path.insert(0, PROJECT_DIR)

from dashboard import api  # noqa: E402
from desk import mirror, postgres  # noqa: E402
from queries import schema  # noqa: E402

# Cluster mode: this server's data folder is its copy of PostgreSQL, made before the first page is served.
if url := postgres.database_url():
    if schema.data_dir().resolve() == schema.PROJECT_DATA_DIR:
        sys.exit(f"{postgres.DATABASE_URL_ENV} is set: set {schema.DATA_DIR_ENV} too, to a folder of this server's own "
                 "for its copy of the database (data/ is the published files, which only an export writes)")
    mirror.start(url, schema.data_dir())

app = st.App("app.py", routes=api.routes())
