"""What `streamlit run` executes on every rerun of every session: the import path, then dashboard.main.

Kept this small because all of it runs again on each rerun; the dashboard itself lives in modules,
set up once per process.
"""

import os
import sys

# `streamlit run dashboard/app.py` puts only dashboard/ on the import path; the project root is needed
# for the `queries` and `dashboard` packages. Added once: inserting it on every rerun grew sys.path by
# one entry per rerun for the life of the server.
PROJECT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PROJECT_DIR not in sys.path:
    sys.path.insert(0, PROJECT_DIR)

from dashboard.main import main  # noqa: E402

main()
