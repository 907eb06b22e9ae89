-- What a programme manager writes for a period's report to Cabinet: one
-- text a programme and period, with who wrote it and when (seconds since
-- 1970, UTC; nothing for highlights that came with a dataset).
CREATE TABLE programme_highlights (
    council TEXT NOT NULL,
    programme TEXT NOT NULL,
    period TEXT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 8000),
    written_by TEXT,
    written_at BIGINT,
    PRIMARY KEY (council, programme, period),
    FOREIGN KEY (council, programme) REFERENCES programmes (council, slug) ON DELETE CASCADE
);
