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
