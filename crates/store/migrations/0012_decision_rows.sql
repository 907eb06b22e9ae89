-- Decisions as typed rows: what a decision is (its title, whether it is a
-- key decision, how it was reached, the meeting it was taken at, the
-- forward plan) in columns of its own, and its resolutions, the constituent
-- bodies' ratifications, and its lists (the summary's and the minutes'
-- paragraphs, the areas it affects, its documents and sources) in rows of
-- their own, so an analyst reads a decision without decoding JSON and a
-- ratification is answered by writing one row. Decisions that earlier
-- releases kept whole in `record` are moved into these when the store opens
-- (store/src/upgrade.rs); `record` is then '{}', and a later release drops it.
-- Dates are ISO 8601 text (2023-06-20), as every date in this schema: the
-- engines share one set of SQL and one driver, which binds no DATE.
ALTER TABLE decisions ADD COLUMN title TEXT;
ALTER TABLE decisions ADD COLUMN key_decision BOOLEAN;
ALTER TABLE decisions ADD COLUMN call_in TEXT;
ALTER TABLE decisions ADD COLUMN reached TEXT CHECK (reached IN ('consensus', 'vote'));
ALTER TABLE decisions ADD COLUMN votes_for BIGINT CHECK (votes_for >= 0);
ALTER TABLE decisions ADD COLUMN votes_against BIGINT CHECK (votes_against >= 0);
ALTER TABLE decisions ADD COLUMN votes_abstaining BIGINT CHECK (votes_abstaining >= 0);
ALTER TABLE decisions ADD COLUMN issue TEXT;
ALTER TABLE decisions ADD COLUMN meeting TEXT;
ALTER TABLE decisions ADD COLUMN forthcoming BOOLEAN;
ALTER TABLE decisions ADD COLUMN notified TEXT;
ALTER TABLE decisions ADD COLUMN beyond_delegation BOOLEAN;

-- One numbered item of a decision: "That the progress ... be NOTED."
CREATE TABLE resolutions (
    council TEXT NOT NULL,
    decision TEXT NOT NULL,
    position BIGINT NOT NULL,
    number TEXT,
    text TEXT NOT NULL,
    verb TEXT NOT NULL,
    PRIMARY KEY (council, decision, position),
    FOREIGN KEY (council, decision) REFERENCES decisions (council, slug) ON DELETE CASCADE
);

-- One constituent organisation's answer to a request to ratify a decision.
CREATE TABLE ratifications (
    council TEXT NOT NULL,
    decision TEXT NOT NULL,
    organisation TEXT NOT NULL,
    position BIGINT NOT NULL,
    requested TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'ratified', 'declined')),
    answered TEXT,
    minute TEXT,
    PRIMARY KEY (council, decision, organisation),
    FOREIGN KEY (council, decision) REFERENCES decisions (council, slug) ON DELETE CASCADE
);

-- A decision's lists, one value a row, in order: `summary` and `minutes`
-- (paragraphs), `area` (a GSS or local area code), `document` (a title) and
-- `source` (a source's key in council.toml).
CREATE TABLE decision_lists (
    council TEXT NOT NULL,
    decision TEXT NOT NULL,
    list TEXT NOT NULL CHECK (list IN ('summary', 'minutes', 'area', 'document', 'source')),
    position BIGINT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (council, decision, list, position),
    FOREIGN KEY (council, decision) REFERENCES decisions (council, slug) ON DELETE CASCADE
);
