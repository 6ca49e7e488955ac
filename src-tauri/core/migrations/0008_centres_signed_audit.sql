-- Evidence Tracker schema, version 8: centres vouch for keys, imports keep what does not verify
-- without counting it, and every audit entry is signed by the key of the account that made it.

-- Centres: the key each installation vouches for its staff with, and the centres this one trusts.
-- `own` marks this installation's centre key (at most one; a personal laptop has none); a centre
-- key seen in a bundle is kept untrusted until an administrator pins it (`trusted_at`).
CREATE TABLE centre_keys (
    key_id     TEXT PRIMARY KEY,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    name       TEXT NOT NULL,
    own        INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0, 1)),
    seen_at    TEXT NOT NULL,
    trusted_at TEXT,
    trusted_by TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX centre_keys_one_own ON centre_keys (own) WHERE own = 1;

-- This installation's centre key, sealed for each administrator who holds it (as sealed_keys are).
CREATE TABLE centre_key_seals (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id),
    key_id   TEXT NOT NULL REFERENCES centre_keys (key_id),
    kdf_salt BLOB NOT NULL,
    nonce    BLOB NOT NULL,
    sealed   BLOB NOT NULL
);

-- A centre's signed statement that a signing key belongs to a named person with these roles, for a
-- time: what makes a key's judgements count on another installation.
CREATE TABLE key_certificates (
    id            INTEGER PRIMARY KEY,
    key_id        TEXT NOT NULL REFERENCES signing_keys (key_id),
    centre_key_id TEXT NOT NULL REFERENCES centre_keys (key_id),
    name          TEXT NOT NULL,
    -- Role names, comma-separated, sorted.
    roles         TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    signature     TEXT NOT NULL,
    UNIQUE (key_id, centre_key_id, issued_at)
);

-- A judgement or sign-off that arrived in a bundle and did not verify against a key a trusted centre
-- certified is kept, visibly, but never counts: the judgement's `counted` is 0 and its signature
-- says why.
ALTER TABLE judgements ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
ALTER TABLE signatures ADD COLUMN not_counted_reason TEXT;
-- The standing judgement per criterion is the newest counted one by the time it was signed.
CREATE INDEX judgements_standing ON judgements (learner_id, criterion_id, judged_at) WHERE counted = 1;

-- Each audit entry's signature: the key of the account that made it and its Ed25519 signature (hex)
-- of the entry's hash. NULL for entries made with no key at hand (before accounts, by the app
-- itself, a failed sign-in, an account without a password) and for entries of earlier versions.
ALTER TABLE audit_log ADD COLUMN key_id TEXT;
ALTER TABLE audit_log ADD COLUMN signature TEXT;
-- The head is signed too, by the key that signed its entry.
ALTER TABLE audit_head ADD COLUMN key_id TEXT;
ALTER TABLE audit_head ADD COLUMN signature TEXT;
-- Entries of other installations' trails keep their signatures as they came.
ALTER TABLE imported_audit ADD COLUMN key_id TEXT;
ALTER TABLE imported_audit ADD COLUMN signature TEXT;

-- Where signing began: entries from `from_seq` on are signed whenever their author had a key, and
-- records from these row ids on must each have the entry that made them. What came before was
-- written by earlier versions and is checked as they checked it (the chain and the content hashes).
CREATE TABLE audit_signing (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    from_seq        INTEGER NOT NULL,
    judgements_from INTEGER NOT NULL,
    signatures_from INTEGER NOT NULL,
    evidence_from   INTEGER NOT NULL,
    users_from      INTEGER NOT NULL
);
INSERT INTO audit_signing (id, from_seq, judgements_from, signatures_from, evidence_from, users_from)
VALUES (1,
        (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log),
        (SELECT COALESCE(MAX(id), 0) + 1 FROM judgements),
        (SELECT COALESCE(MAX(id), 0) + 1 FROM signatures),
        (SELECT COALESCE(MAX(id), 0) + 1 FROM evidence),
        (SELECT COALESCE(MAX(id), 0) + 1 FROM users));
