-- Evidence Tracker schema, version 3: review and judgement. Feedback threads on evidence items, an
-- item returned to its learner for changes, assessors' judgements per criterion (citing the evidence
-- relied on), and signatures over exactly what was signed.

-- The date a learner aims to complete by (set by an administrator or their tutor), for the caseload.
ALTER TABLE learners ADD COLUMN target_date TEXT CHECK (target_date IS NULL OR date(target_date) = target_date);

-- Set when a tutor or assessor asks for changes; cleared when the learner submits the item again.
ALTER TABLE evidence ADD COLUMN changes_requested INTEGER NOT NULL DEFAULT 0 CHECK (changes_requested IN (0, 1));

CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id),
    -- NULL before accounts existed.
    author_id   INTEGER REFERENCES users (id),
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- The item version the comment was written on.
    on_version  INTEGER NOT NULL,
    requests_changes INTEGER NOT NULL CHECK (requests_changes IN (0, 1)),
    created_at  TEXT NOT NULL
);
CREATE INDEX feedback_by_evidence ON feedback (evidence_id, id);

-- Every judgement is kept; the newest for a learner and criterion is the one that stands.
CREATE TABLE judgements (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    learner_id    INTEGER NOT NULL REFERENCES learners (id),
    criterion_id  INTEGER NOT NULL REFERENCES criteria (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('met', 'not_yet_met')),
    comment       TEXT NOT NULL,
    assessor_id   INTEGER REFERENCES users (id),
    assessor_name TEXT NOT NULL,
    judged_at     TEXT NOT NULL
);
CREATE INDEX judgements_by_learner ON judgements (learner_id, criterion_id, id);

-- The evidence a judgement relies on, at the version the assessor saw.
CREATE TABLE judgement_evidence (
    judgement_id     INTEGER NOT NULL REFERENCES judgements (id),
    evidence_id      INTEGER NOT NULL REFERENCES evidence (id),
    evidence_version INTEGER NOT NULL,
    PRIMARY KEY (judgement_id, evidence_id)
) WITHOUT ROWID;

-- A signature: who signed, when, and the SHA-256 of exactly what was signed (kept as canonical JSON).
CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    -- judgement: an assessor's judgement; unit_sign_off: a unit whose criteria are all met;
    -- declaration: a learner's declaration that a submitted item is their own work.
    kind         TEXT NOT NULL CHECK (kind IN ('judgement', 'unit_sign_off', 'declaration')),
    -- judgement:UUID, unit:FRAMEWORK:UNIT or evidence:UUID
    subject      TEXT NOT NULL,
    learner_id   INTEGER NOT NULL REFERENCES learners (id),
    signer_id    INTEGER REFERENCES users (id),
    signer_name  TEXT NOT NULL,
    signed_at    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX signatures_by_learner ON signatures (learner_id, kind);
CREATE INDEX signatures_by_subject ON signatures (subject);
