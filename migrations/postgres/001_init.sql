-- Registry tables on PostgreSQL: the same model as migrations/sqlite/ (001 to 003), applied once by
-- src/storage/postgres/migrate.ts inside a transaction under an advisory lock.

-- Global schema ids. A sequence, not a counter row: nextval() never blocks another transaction, so
-- registrations to different subjects run in parallel. Gaps are allowed (a rolled-back registration
-- loses its number); reuse never is. MAXVALUE is Java's Integer.MAX_VALUE: the Kafka wire format
-- carries 4 bytes, so the registry refuses to register once the space is used up.
CREATE SEQUENCE schema_ids AS integer MINVALUE 1 MAXVALUE 2147483647 NO CYCLE;

-- One row per distinct schema content, kept forever (ids never change meaning).
CREATE TABLE schemas (
  id              integer PRIMARY KEY,
  -- sha256 over schema type, canonical (or normalized) string and references: the dedup key. Its
  -- unique index is what makes two instances registering the same content at once agree on one id.
  identity        text    NOT NULL UNIQUE,
  schema_type     text    NOT NULL DEFAULT 'AVRO',
  references_json text    NOT NULL DEFAULT '[]',
  crc64           text    NOT NULL,
  md5             text    NOT NULL,
  sha256          text    NOT NULL,
  created_at      bigint  NOT NULL,
  pcf             text    NOT NULL,
  canonical       text    NOT NULL,
  original        text    NOT NULL
);

CREATE TABLE subject_versions (
  subject    text    NOT NULL,
  version    integer NOT NULL CHECK (version >= 1),
  schema_id  integer NOT NULL REFERENCES schemas (id),
  deleted    boolean NOT NULL DEFAULT false,
  semver     text    NOT NULL,
  created_at bigint  NOT NULL,
  PRIMARY KEY (subject, version)
);

CREATE INDEX subject_versions_by_schema ON subject_versions (schema_id);

-- A random token per subject, replaced in every transaction that changes the subject's versions, so an
-- instance can tell with one tiny read whether the history it holds in memory is still current (a
-- registration under a long history then does not re-read it). Random, never a counter: a token from
-- a rolled-back transaction can never come back and match a stale memo.
CREATE TABLE subject_generations (
  subject    text PRIMARY KEY,
  generation text NOT NULL
);

CREATE TABLE schema_references (
  schema_id   integer NOT NULL REFERENCES schemas (id),
  position    integer NOT NULL,
  name        text    NOT NULL,
  ref_subject text    NOT NULL,
  ref_version integer NOT NULL,
  PRIMARY KEY (schema_id, position)
);

CREATE INDEX schema_references_by_target ON schema_references (ref_subject, ref_version);

-- Settings; subject '__GLOBAL' is the global row (an invalid subject name, so it cannot collide).
CREATE TABLE configs (
  subject       text PRIMARY KEY,
  compatibility text,
  normalize     boolean
);

CREATE TABLE modes (
  subject text PRIMARY KEY,
  mode    text NOT NULL
);

-- Version negotiation: leases, the agreed version, and per-subject change tokens (see the SQLite
-- migrations for the meaning of each column).
CREATE TABLE negotiation_participants (
  subject        text    NOT NULL,
  participant_id text    NOT NULL,
  role           text    NOT NULL CHECK (role IN ('reader', 'writer', 'both')),
  supports_json  text    NOT NULL,
  ttl_seconds    integer NOT NULL CHECK (ttl_seconds BETWEEN 1 AND 86400),
  expires_at     bigint  NOT NULL,
  created_at     bigint  NOT NULL,
  updated_at     bigint  NOT NULL,
  owner          text,
  PRIMARY KEY (subject, participant_id)
);

CREATE TABLE negotiation_agreements (
  subject       text    PRIMARY KEY,
  version       integer,
  epoch         integer NOT NULL CHECK (epoch >= 1),
  fallback_from integer,
  updated_at    bigint  NOT NULL
);

CREATE TABLE negotiation_generations (
  subject      text PRIMARY KEY,
  history      text NOT NULL,
  participants text NOT NULL
);
