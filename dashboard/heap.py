"""The garbage collector's settings for the server process, all of them here.

Memory is freed by reference counting; the cyclic collector only finds groups of objects that refer
to each other (a Plotly figure and its parts, for one). A full collection walks every object the
process holds with the interpreter lock held, so every session waits while it runs, and with
Streamlit, Plotly, pandas and the kept charts loaded there are many objects to walk. Two settings
keep those walks few and short:

- `runner.postScriptGC = false` in .streamlit/config.toml: Streamlit runs no full collection after
  each script run.
- settle(), called when dashboard.main is first imported: what the process has loaded by then is set
  aside for its whole life, and Python's own full collections come less often.

bench/load.py shows the effect: 100 sessions changing filters on one server.
"""

import atexit
import functools
import gc

# Full collections after this many collections of the middle generation (Python's default is 10):
# with the objects loaded at start-up frozen, a full collection also needs a quarter more surviving
# objects than the last one left (CPython's own rule), so this mostly spaces them out in time.
FULL_COLLECTION_EVERY = 100


@functools.cache
def settle() -> None:
    """Once per process, after the imports: set aside what is loaded, make full collections rarer.

    Streamlit has no start-up hook, so this runs on the first session's first run, before any data
    is loaded. gc.freeze() moves every object alive now (modules, Plotly's validators, the
    translations) out of the collector's sight: they live as long as the process, so walking them
    finds nothing.
    """
    gc.freeze()
    # Handed back at exit, so the interpreter's last collection frees them (DuckDB's types otherwise
    # report themselves as leaked).
    atexit.register(gc.unfreeze)
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
