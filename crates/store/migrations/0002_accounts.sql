-- Accounts, their roles, sessions, sign-in attempts and password resets.
-- Identifiers are random text made by the application, so the same DDL
-- serves SQLite and PostgreSQL. Secrets (passwords, session and reset
-- tokens) are stored only as hashes.

CREATE TABLE accounts (
    id TEXT NOT NULL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    disabled BIGINT NOT NULL
);

CREATE TABLE account_grants (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    role TEXT NOT NULL,
    council TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, role, council, body)
);

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE sign_in_attempts (
    subject TEXT NOT NULL,
    at BIGINT NOT NULL,
    succeeded BIGINT NOT NULL
);

CREATE TABLE password_resets (
    token_hash TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sign_in_attempts_by_subject ON sign_in_attempts (subject, at);
