-- Evidence Tracker schema, version 7: signing keys. Each account gets an Ed25519 key pair; the
-- private half is kept only sealed with a key derived from the account's password. Signatures made
-- from now on name the key that made them and carry its signature; earlier ones (hash only) stay as
-- they are and read as legacy.

-- Every public key a signature here may name, under its id (ed25519: and the first 16 bytes of its
-- SHA-256, in hex).
CREATE TABLE signing_keys (
    key_id     TEXT PRIMARY KEY,
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    -- The account it belongs to, for this installation's keys.
    user_id    INTEGER REFERENCES users (id),
    -- The installation it came from; NULL for this one.
    origin     TEXT,
    created_at TEXT NOT NULL,
    -- Set when an administrator's password reset replaced it: it signs nothing new.
    retired_at TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX signing_keys_one_current_per_user ON signing_keys (user_id)
    WHERE user_id IS NOT NULL AND retired_at IS NULL;

-- The private half of this installation's current keys, sealed (XChaCha20-Poly1305 under an argon2id
-- key from the password, the key id authenticated with it). Deleted when the key is retired.
CREATE TABLE sealed_keys (
    key_id   TEXT PRIMARY KEY REFERENCES signing_keys (key_id),
    kdf_salt BLOB NOT NULL,
    nonce    BLOB NOT NULL,
    sealed   BLOB NOT NULL
) WITHOUT ROWID;

-- The key a signature was made with and its Ed25519 signature (hex) of the signed statement; both
-- NULL for a legacy signature.
ALTER TABLE signatures ADD COLUMN key_id TEXT;
ALTER TABLE signatures ADD COLUMN key_signature TEXT;

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
