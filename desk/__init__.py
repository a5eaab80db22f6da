"""The Data desk, the write path: an office's file becomes new facts and sources in data/.

`read` turns a CSV or XLSX file into a table, `cells` reads one cell as a value, `snapshot` holds the
data files as the import checks against them, `rows` checks each row into planned facts, `classify`
sorts those against the data (new, conflict, changed, duplicate), `plan` names what an import is
asked to do and would do, and `ingest` previews, commits and undoes imports, writing through
`storage` (crash-safe and logged). `access` says who may use the desk page; `python -m desk` is the
same import on the command line.
"""
