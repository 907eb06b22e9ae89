-- Meetings as recorded: held, to come, moved or cancelled.
CREATE TABLE meetings (
    council TEXT NOT NULL REFERENCES councils (slug),
    slug TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    meeting_date TEXT NOT NULL,
    status TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (council, slug)
);
