-- The evidence base in PostgreSQL: cluster mode's system of record (desk/postgres.py applies this file).
--
-- Each table holds one data file of data/, column for column, as the text the file holds: a blank field
-- is NULL, and `row_order` keeps the file's order, so exporting a table gives back the file byte for byte.
-- The constraints are the validator's rules that a database can hold by itself: keys, references,
-- required columns and the format of ids, numbers, years and dates. The validator (queries/validate.py)
-- still checks every change in full before it is written; these keep a hand-made SQL change honest too.
-- References are checked at commit, so a change may replace a table's rows in any order.

CREATE TABLE tiers (
    row_order integer NOT NULL UNIQUE,
    tier text PRIMARY KEY CHECK (tier ~ '^[a-z0-9_]+$'),
    rank text NOT NULL UNIQUE CHECK (rank ~ '^[0-9]+$'),
    label text NOT NULL CHECK (btrim(label) <> ''),
    description text NOT NULL CHECK (btrim(description) <> '')
);

CREATE TABLE qualifiers (
    row_order integer NOT NULL UNIQUE,
    qualifier text PRIMARY KEY CHECK (btrim(qualifier) <> ''),
    label text NOT NULL CHECK (btrim(label) <> ''),
    meaning text NOT NULL CHECK (btrim(meaning) <> '')
);

CREATE TABLE units (
    row_order integer NOT NULL UNIQUE,
    unit text PRIMARY KEY CHECK (btrim(unit) <> ''),
    whole_number text NOT NULL CHECK (whole_number IN ('yes', 'no')),
    minimum text CHECK (minimum ~ '^[0-9]+(\.[0-9]+)?$'),
    maximum text CHECK (maximum ~ '^[0-9]+(\.[0-9]+)?$'),
    note text
);

CREATE TABLE sources (
    row_order integer NOT NULL UNIQUE,
    source_id text PRIMARY KEY CHECK (source_id ~ '^[a-z0-9_]+$'),
    publisher text NOT NULL CHECK (btrim(publisher) <> ''),
    title text NOT NULL CHECK (btrim(title) <> ''),
    published text CHECK (published ~ '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$'),
    date_note text,
    url text CHECK (url ~ '^https?://'),
    language text NOT NULL CHECK (language IN ('en', 'ru', 'kk', 'de', 'cs')),
    tier text NOT NULL REFERENCES tiers DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE indicators (
    row_order integer NOT NULL UNIQUE,
    indicator_id text PRIMARY KEY CHECK (indicator_id ~ '^[a-z0-9_]+$'),
    category text NOT NULL CHECK (category IN ('ngos', 'public_councils', 'funding', 'forums', 'context')),
    unit text NOT NULL REFERENCES units DEFERRABLE INITIALLY DEFERRED,
    name text NOT NULL CHECK (btrim(name) <> ''),
    definition text NOT NULL CHECK (btrim(definition) <> ''),
    name_ru text NOT NULL CHECK (btrim(name_ru) <> ''),
    name_kk text NOT NULL CHECK (btrim(name_kk) <> ''),
    definition_ru text NOT NULL CHECK (btrim(definition_ru) <> ''),
    definition_kk text NOT NULL CHECK (btrim(definition_kk) <> '')
);

CREATE TABLE regions (
    row_order integer NOT NULL UNIQUE,
    iso_code text PRIMARY KEY CHECK (btrim(iso_code) <> ''),
    name_en text NOT NULL CHECK (btrim(name_en) <> ''),
    name_ru text NOT NULL CHECK (btrim(name_ru) <> ''),
    name_kk text NOT NULL CHECK (btrim(name_kk) <> ''),
    type text NOT NULL CHECK (type IN ('country', 'oblast', 'city', 'supranational')),
    created_year text CHECK (created_year ~ '^[0-9]{4}$'),
    split_from text REFERENCES regions DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE region_aliases (
    row_order integer NOT NULL UNIQUE,
    alias text PRIMARY KEY CHECK (btrim(alias) <> ''),
    iso_code text NOT NULL REFERENCES regions DEFERRABLE INITIALLY DEFERRED,
    note text
);

CREATE TABLE events (
    row_order integer NOT NULL UNIQUE,
    event_id text PRIMARY KEY CHECK (event_id ~ '^[a-z0-9_]+$'),
    scope text NOT NULL CHECK (scope IN ('national', 'city')),
    region text NOT NULL REFERENCES regions DEFERRABLE INITIALLY DEFERRED,
    number text NOT NULL CHECK (number ~ '^[0-9]+$'),
    edition text NOT NULL CHECK (btrim(edition) <> ''),
    year text CHECK (year ~ '^[0-9]{4}$'),
    start_date text CHECK (start_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    end_date text CHECK (end_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    city text,
    city_ru text,
    city_kk text,
    theme_en text,
    theme_ru text,
    format text,
    -- Several source ids joined by ';': each is checked against sources by the validator.
    source_ids text NOT NULL CHECK (source_ids ~ '^[a-z0-9_]+(;[a-z0-9_]+)*$'),
    note text,
    ref text NOT NULL CHECK (btrim(ref) <> '')
);

CREATE TABLE facts (
    row_order integer NOT NULL UNIQUE,
    indicator_id text NOT NULL REFERENCES indicators DEFERRABLE INITIALLY DEFERRED,
    region text NOT NULL REFERENCES regions DEFERRABLE INITIALLY DEFERRED,
    period text CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
    value text NOT NULL CHECK (value ~ '^[0-9]+(\.[0-9]+)?$'),
    value_high text CHECK (value_high ~ '^[0-9]+(\.[0-9]+)?$'),
    unit text NOT NULL CHECK (btrim(unit) <> ''),
    qualifier text NOT NULL REFERENCES qualifiers DEFERRABLE INITIALLY DEFERRED,
    source_id text NOT NULL REFERENCES sources DEFERRABLE INITIALLY DEFERRED,
    event_id text REFERENCES events DEFERRABLE INITIALLY DEFERRED,
    note text,
    ref text NOT NULL CHECK (btrim(ref) <> '')
);
CREATE INDEX facts_source ON facts (source_id);

CREATE TABLE statements (
    row_order integer NOT NULL UNIQUE,
    indicator_id text NOT NULL REFERENCES indicators DEFERRABLE INITIALLY DEFERRED,
    region text NOT NULL REFERENCES regions DEFERRABLE INITIALLY DEFERRED,
    period text CHECK (period ~ '^[0-9]{4}(-[0-9]{4})?$'),
    statement text NOT NULL CHECK (btrim(statement) <> ''),
    source_id text NOT NULL REFERENCES sources DEFERRABLE INITIALLY DEFERRED,
    note text,
    ref text NOT NULL CHECK (btrim(ref) <> '')
);

-- One row: the evidence's version, raised by every change in the same transaction. Replicas poll it
-- (a primary-key read) and rebuild their copy when it moves; a change locks it first, so changes
-- from any number of replicas run one after another, each on the state the one before it left.
CREATE TABLE store_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Every import and undo, in the order they were committed.
CREATE TABLE change_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    op text NOT NULL CHECK (op IN ('import', 'undo')),
    at timestamptz NOT NULL,
    user_name text NOT NULL,
    via text NOT NULL,
    file_name text,
    file_sha256 text,
    rows_added integer,
    undoes text REFERENCES change_log (id),
    version bigint NOT NULL,
    entry jsonb NOT NULL  -- the entry as the desk shows it: summary and each file's checksums before and after
);

-- Each file a change replaced, as it was before: what an undo restores.
CREATE TABLE change_backups (
    change_id text NOT NULL REFERENCES change_log (id),
    file text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (change_id, file)
);
