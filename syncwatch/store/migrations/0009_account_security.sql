-- migration: 0009_account_security (sessions people can see and end, one-time password resets)

-- Each sign-in (a refresh-token family) remembers the browser it came from,
-- the address and when it began, so its owner can recognise and end it.
ALTER TABLE refresh_tokens ADD COLUMN user_agent TEXT;
ALTER TABLE refresh_tokens ADD COLUMN client_ip TEXT;
ALTER TABLE refresh_tokens ADD COLUMN session_started_at BIGINT;

-- One-time password reset links made by `syncwatch admin reset-password`:
-- only the SHA-256 of the secret is stored; a link is used once, within 30 min.
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
