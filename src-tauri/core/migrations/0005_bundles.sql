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

-- A field of an item changed on both sides since the two last exchanged it: both versions are in the
-- item's history; the conflict stays open until the user chooses (resolution: local, remote).
CREATE TABLE evidence_conflicts (
    id             INTEGER PRIMARY KEY,
    evidence_id    INTEGER NOT NULL REFERENCES evidence (id),
    field          TEXT NOT NULL CHECK (field IN ('title', 'method', 'activity_date', 'status', 'body', 'witness', 'mappings', 'attachments')),
    local_value    TEXT NOT NULL,
    remote_value   TEXT NOT NULL,
    -- The item's version holding the other side's state.
    remote_version INTEGER NOT NULL,
    origin         TEXT NOT NULL,
    detected_at    TEXT NOT NULL,
    resolved_at    TEXT,
    resolution     TEXT CHECK (resolution IS NULL OR resolution IN ('local', 'remote'))
);
CREATE UNIQUE INDEX evidence_conflicts_open ON evidence_conflicts (evidence_id, field) WHERE resolved_at IS NULL;
