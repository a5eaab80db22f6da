"""The garbage collector's settings for the long-running server process.

Memory is freed by reference counting; the cyclic collector only finds groups of objects that refer
to each other (a Plotly figure and its parts, for one). Its full collections walk every object the
process holds: with Streamlit, Plotly, pandas and the memoised charts loaded that took about 300 ms
of held interpreter lock each, 8 to 11 times in 40 s under 100 sessions (bench/REPORT.md, item 31), a pause for
every session at once.
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

    gc.freeze() moves every object alive now (modules, Plotly's validators, the translations) out of
    the collector's sight: they live as long as the process, so walking them finds nothing.
    """
    gc.freeze()
    # Handed back at exit, so the interpreter's last collection frees them as before (DuckDB's types
    # otherwise report themselves as leaked).
    atexit.register(gc.unfreeze)
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
