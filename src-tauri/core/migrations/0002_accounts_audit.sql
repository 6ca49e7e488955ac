-- Evidence Tracker schema, version 2: user accounts and roles, who is assigned to which learner, and
-- the hash-chained audit trail.

-- The sample portfolio is example data that every signed-in user may explore.
ALTER TABLE learners ADD COLUMN is_sample INTEGER NOT NULL DEFAULT 0 CHECK (is_sample IN (0, 1));
UPDATE learners SET is_sample = 1 WHERE name = 'Sample portfolio (example)';

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    -- An argon2id PHC string; NULL for a personal laptop's one user who has not set a password.
    password_hash   TEXT,
    -- The learner whose portfolio this user owns (users with the learner role).
    learner_id      INTEGER UNIQUE REFERENCES learners (id),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    -- Sign-in is refused before this moment (RFC 3339, UTC) after repeated failures.
    retry_after     TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at      TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL CHECK (role IN ('learner', 'tutor', 'assessor', 'iqa', 'administrator')),
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

-- Tutors and assessors are assigned to learners; an IQA to the learners sampled for them.
CREATE TABLE assignments (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    learner_id  INTEGER NOT NULL REFERENCES learners (id),
    role        TEXT NOT NULL CHECK (role IN ('tutor', 'assessor', 'iqa')),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (user_id, learner_id, role)
) WITHOUT ROWID;
CREATE INDEX assignments_by_learner ON assignments (learner_id);

-- Every change, appended. Each entry's hash covers its fields and the previous entry's hash, so an
-- altered, removed or reordered entry breaks the chain where it happened.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    -- The acting user's uuid; NULL before accounts existed, or for the app itself.
    user_uuid TEXT,
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL,
    -- What was changed: kind:identifier (learner:UUID, evidence:UUID, user:UUID, framework:CODE@VERSION…)
    subject   TEXT NOT NULL,
    -- The portfolio it belongs to, when it belongs to one (for a learner's history).
    learner_uuid TEXT,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_by_subject ON audit_log (subject);
CREATE INDEX audit_by_learner ON audit_log (learner_uuid);

-- The last entry's number and hash, so an entry removed from the end is noticed too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
