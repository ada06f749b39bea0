-- Version negotiation: participants' leases and the agreed version per subject. Applied once, inside a
-- transaction, by src/storage/migrate.ts. Both tables survive restarts; an expired lease is simply a row
-- whose expires_at is in the past (it stops counting when the agreement is next computed).

CREATE TABLE negotiation_participants (
  subject        TEXT    NOT NULL,
  participant_id TEXT    NOT NULL,
  role           TEXT    NOT NULL CHECK (role IN ('reader', 'writer', 'both')),
  -- The validated `supports` object as JSON (range, versions, fingerprints, schema).
  supports_json  TEXT    NOT NULL,
  ttl_seconds    INTEGER NOT NULL CHECK (ttl_seconds BETWEEN 1 AND 86400),
  -- Milliseconds since the Unix epoch, by the server's injected clock.
  expires_at     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (subject, participant_id)
) WITHOUT ROWID;

-- The agreed version per subject. `version` is NULL while the subject has no live version. `epoch` grows
-- by exactly one whenever `version` changes. `fallback_from` is the version the agreement fell back from
-- while it stays below it (graceful degradation), NULL otherwise.
CREATE TABLE negotiation_agreements (
  subject       TEXT    PRIMARY KEY,
  version       INTEGER,
  epoch         INTEGER NOT NULL CHECK (epoch >= 1),
  fallback_from INTEGER,
  updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Change tokens per subject, so that every server process (WORKERS > 1 share this file) can tell whether
-- what it memoised is still current with one indexed read: `history` changes inside every transaction
-- that changes the subject's versions, `participants` with every lease write. Random tokens (never
-- counters), so a token from a rolled-back transaction can never come back and match a stale memo.
CREATE TABLE negotiation_generations (
  subject      TEXT PRIMARY KEY,
  history      TEXT NOT NULL,
  participants TEXT NOT NULL
) WITHOUT ROWID;
