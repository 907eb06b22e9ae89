-- Sign-in limits kept as one counter per subject (`account:EMAIL`,
-- `address:IP`), taken before a password is checked: the insert or update
-- that counts an attempt is one statement, so simultaneous guesses each take
-- a place in the count and none is checked past the limit. A success gives
-- its place back; a password reset clears the account's count.
CREATE TABLE sign_in_limits (
    subject TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL CHECK (attempts >= 0)
);
