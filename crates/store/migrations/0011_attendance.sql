-- Attendance at a meeting as rows of its own, one per person (as agenda
-- items in 0010): recording someone's attendance writes one row. Attendance
-- kept inside older meetings' records is moved here when the store opens.
CREATE TABLE attendance (
    council TEXT NOT NULL,
    meeting TEXT NOT NULL,
    person TEXT NOT NULL,
    position BIGINT NOT NULL,
    seat TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('present', 'apologies', 'substitute', 'adviser', 'observer', 'in-attendance')),
    substitute_for TEXT,
    chair_agreed BOOLEAN NOT NULL,
    PRIMARY KEY (council, meeting, person),
    FOREIGN KEY (council, meeting) REFERENCES meetings (council, slug) ON DELETE CASCADE
);
