-- Evidence Tracker schema, version 5: portable portfolio bundles (a learner's laptop ↔ the centre's
-- machine, and read-only bundles for quality assurers).

-- This installation's id, named in every bundle it writes (random, made once).
INSERT OR IGNORE INTO settings (key, value) VALUES ('installation_id', lower(hex(randomblob(16))));

-- Audit entries written by other installations about learners whose portfolios were imported here,
-- exactly as they were (with their own chain hashes), so both sides' trails survive an exchange.
CREATE TABLE imported_audit (
    origin       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    at           TEXT NOT NULL,
    user_uuid    TEXT,
    user_name    TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject      TEXT NOT NULL,
    learner_uuid TEXT,
    before       TEXT,
    after        TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
CREATE INDEX imported_audit_by_learner ON imported_audit (learner_uuid);

-- A version as another installation numbers it, where that differs from its number here (a version
-- that arrived while this side had versions of its own). Signatures made there cite that number.
CREATE TABLE evidence_version_labels (
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    origin      TEXT NOT NULL,
    label       INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (evidence_id, origin, label)
) WITHOUT ROWID;

-- Where a signature was made: NULL on this installation, else the id of the one that made it.
ALTER TABLE signatures ADD COLUMN origin TEXT;

-- An item changed on both sides since the two last exchanged it. Until the user chooses, field by
-- field, the other side's state waits here (`remote`: its versions, mappings, files, and the
-- feedback, judgements and signatures that rest on them, as JSON); resolving adds its versions to the
-- item's history, then a version with the chosen fields.
CREATE TABLE evidence_conflicts (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    origin      TEXT NOT NULL,
    remote      TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    resolved_at TEXT,
    -- The choices made, as JSON: {field: "local" | "remote"}.
    resolution  TEXT
);
CREATE UNIQUE INDEX evidence_conflicts_open ON evidence_conflicts (evidence_id) WHERE resolved_at IS NULL;
