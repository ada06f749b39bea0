-- Registry core tables. Applied once, inside a transaction, by src/storage/migrate.ts.

-- One row per distinct schema content. Rows are kept forever, even after every subject-version holding
-- them is hard-deleted: ids are never reused, and re-registering the same content later gets the same id
-- back, so an id never changes meaning for the Kafka records that carry it.
CREATE TABLE schemas (
  id              INTEGER PRIMARY KEY,
  -- sha256 over schema type, canonical (or normalized) string and references: the dedup key.
  identity        TEXT    NOT NULL UNIQUE,
  schema_type     TEXT    NOT NULL DEFAULT 'AVRO',
  references_json TEXT    NOT NULL DEFAULT '[]',
  crc64           TEXT    NOT NULL,
  md5             TEXT    NOT NULL,
  sha256          TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  -- The large texts come last: SQLite reads a row's columns in order, so the small ones above stay
  -- readable without walking a long schema's overflow pages.
  pcf             TEXT    NOT NULL,
  -- What the API returns (Java Schema.toString emulation, or the normalized form).
  canonical       TEXT    NOT NULL,
  -- The text as first submitted, kept for audits.
  original        TEXT    NOT NULL
);

CREATE TABLE subject_versions (
  subject    TEXT    NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  schema_id  INTEGER NOT NULL REFERENCES schemas (id),
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  semver     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (subject, version)
) WITHOUT ROWID;

CREATE INDEX subject_versions_by_schema ON subject_versions (schema_id);

-- The references a schema declares (in declaration order), for resolution and `referencedby`.
CREATE TABLE schema_references (
  schema_id   INTEGER NOT NULL REFERENCES schemas (id),
  position    INTEGER NOT NULL,
  name        TEXT    NOT NULL,
  ref_subject TEXT    NOT NULL,
  ref_version INTEGER NOT NULL,
  PRIMARY KEY (schema_id, position)
) WITHOUT ROWID;

CREATE INDEX schema_references_by_target ON schema_references (ref_subject, ref_version);

-- Compatibility config. subject '__GLOBAL' is the global row: that name is an invalid subject (42208),
-- whereas the empty string is a valid subject name in Confluent. NULL columns mean "not set here".
CREATE TABLE configs (
  subject       TEXT PRIMARY KEY,
  compatibility TEXT,
  normalize     INTEGER CHECK (normalize IS NULL OR normalize IN (0, 1))
) WITHOUT ROWID;

-- Modes, same '__GLOBAL' convention.
CREATE TABLE modes (
  subject TEXT PRIMARY KEY,
  mode    TEXT NOT NULL
) WITHOUT ROWID;

-- High-water marks. 'schema_id' is the largest id ever assigned (imports included); never decreases.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO counters (name, value) VALUES ('schema_id', 0);
