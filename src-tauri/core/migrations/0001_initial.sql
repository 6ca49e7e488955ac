-- Evidence Tracker schema, version 1.
-- Internal ids are integers; everything users and files see is a UUID or a FRAMEWORK:CODE reference.

CREATE TABLE frameworks (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL,
    version      TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('qualification', 'occupational_standard', 'values', 'competence_framework')),
    source       TEXT NOT NULL,
    verified     INTEGER NOT NULL CHECK (verified IN (0, 1)),
    description  TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    is_current   INTEGER NOT NULL CHECK (is_current IN (0, 1)),
    imported_at  TEXT NOT NULL,
    UNIQUE (code, version)
);
-- Exactly one version of a framework is current; older versions stay as the record of what was mapped.
CREATE UNIQUE INDEX frameworks_one_current ON frameworks (code) WHERE is_current = 1;

CREATE TABLE framework_groups (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id),
    parent_id    INTEGER REFERENCES framework_groups (id),
    code         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    position     INTEGER NOT NULL,
    UNIQUE (framework_id, code)
);
CREATE INDEX framework_groups_by_parent ON framework_groups (parent_id);

CREATE TABLE criteria (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id),
    group_id     INTEGER REFERENCES framework_groups (id),
    code         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('assessment_criterion', 'performance_criterion', 'knowledge_item', 'value_statement', 'indicator')),
    text         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    UNIQUE (framework_id, code)
);
CREATE INDEX criteria_by_group ON criteria (group_id);

-- Links between criteria of different frameworks, by FRAMEWORK:CODE so they survive new versions.
CREATE TABLE crosswalk (
    from_ref TEXT NOT NULL,
    to_ref   TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (from_ref, to_ref)
) WITHOUT ROWID;
CREATE INDEX crosswalk_by_to ON crosswalk (to_ref);

CREATE TABLE learners (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    email      TEXT,
    created_at TEXT NOT NULL
);

-- An enrolment follows the framework's current version; for a qualification it may choose units.
CREATE TABLE enrolments (
    id             INTEGER PRIMARY KEY,
    learner_id     INTEGER NOT NULL REFERENCES learners (id),
    framework_code TEXT NOT NULL,
    enrolled_at    TEXT NOT NULL,
    UNIQUE (learner_id, framework_code)
);
CREATE TABLE enrolment_units (
    enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    group_code   TEXT NOT NULL,
    PRIMARY KEY (enrolment_id, group_code)
) WITHOUT ROWID;

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    learner_id    INTEGER NOT NULL REFERENCES learners (id),
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    method        TEXT NOT NULL,
    activity_date TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    body_md       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    version       INTEGER NOT NULL,
    -- status and activity_date as integers, for the gap engine's covering index below; the CHECKs make
    -- them impossible to get out of step with the text columns they restate.
    submitted     INTEGER NOT NULL CHECK (submitted = (status = 'submitted')),
    activity_day  INTEGER NOT NULL CHECK (activity_day = unixepoch(activity_date) / 86400),
    UNIQUE (learner_id, number),
    UNIQUE (id, learner_id)
);
-- Gaps read every item's facts for a learner (or a cohort) from this index alone, never the rows
-- with their Markdown bodies.
CREATE INDEX evidence_facts ON evidence (learner_id, submitted, activity_day);

-- Every saved state of an item, the current one included.
CREATE TABLE evidence_versions (
    evidence_id   INTEGER NOT NULL REFERENCES evidence (id),
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    method        TEXT NOT NULL,
    activity_date TEXT NOT NULL,
    body_md       TEXT NOT NULL,
    status        TEXT NOT NULL,
    saved_at      TEXT NOT NULL,
    PRIMARY KEY (evidence_id, version)
) WITHOUT ROWID;

-- learner_id is part of the key so a learner's gaps are one range scan; the composite foreign key keeps
-- it equal to the evidence item's learner.
CREATE TABLE mappings (
    learner_id   INTEGER NOT NULL,
    criterion_id INTEGER NOT NULL REFERENCES criteria (id),
    evidence_id  INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    mapped_at    TEXT NOT NULL,
    PRIMARY KEY (learner_id, criterion_id, evidence_id),
    FOREIGN KEY (evidence_id, learner_id) REFERENCES evidence (id, learner_id)
) WITHOUT ROWID;
CREATE INDEX mappings_by_evidence ON mappings (evidence_id);
CREATE INDEX mappings_by_criterion ON mappings (criterion_id);

-- Attachment contents, stored once each under attachments/<sha256>.
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    added_at    TEXT NOT NULL,
    UNIQUE (evidence_id, sha256)
);
CREATE INDEX attachments_by_blob ON attachments (sha256);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE evidence_fts USING fts5 (
    title, body_md, content = 'evidence', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE TRIGGER evidence_fts_insert AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
CREATE TRIGGER evidence_fts_delete AFTER DELETE ON evidence BEGIN
    INSERT INTO evidence_fts (evidence_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
END;
CREATE TRIGGER evidence_fts_update AFTER UPDATE OF title, body_md ON evidence BEGIN
    INSERT INTO evidence_fts (evidence_fts, rowid, title, body_md) VALUES ('delete', old.id, old.title, old.body_md);
    INSERT INTO evidence_fts (rowid, title, body_md) VALUES (new.id, new.title, new.body_md);
END;
