//! Where the two engines' SQL differs: dates and times. PostgreSQL keeps them
//! in its own types (DATE, TIME, TIMESTAMP, TIMESTAMPTZ); SQLite as ISO 8601
//! text under the same declared types (migrations/{postgres,sqlite}/0015).
//! The one driver binds and reads neither engine's date types, so a value
//! goes in as ISO text, cast to its type where the engine has one, and comes
//! back as text in the form the register keeps.

use sqlx::AnyConnection;

/// A date or time column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `2027-03-09`
    Date,
    /// `10:00:00`
    Time,
    /// `2027-03-09T10:00:00`, London local time
    Timestamp,
    /// `2026-12-03T18:29:02Z`, UTC
    Timestamptz,
}

impl Kind {
    fn sql(self) -> &'static str {
        match self {
            Kind::Date => "DATE",
            Kind::Time => "TIME",
            Kind::Timestamp => "TIMESTAMP",
            Kind::Timestamptz => "TIMESTAMPTZ",
        }
    }
}

fn is_postgres(conn: &AnyConnection) -> bool {
    conn.backend_name() == "PostgreSQL"
}

/// Placeholder `$n` for a value of `kind` bound as ISO text: cast to the
/// type in PostgreSQL, as it is in SQLite.
pub(crate) fn param(conn: &AnyConnection, n: usize, kind: Kind) -> String {
    if is_postgres(conn) {
        format!("CAST(${n} AS {})", kind.sql())
    } else {
        format!("${n}")
    }
}

/// A date or time column, selected as text in both engines.
pub(crate) fn column(col: &str) -> String {
    format!("CAST({col} AS TEXT) AS {col}")
}

/// The register's form of a value read as text: PostgreSQL writes a
/// timestamp with a space, and one with a time zone in its session's zone.
pub(crate) fn iso(kind: Kind, text: String) -> String {
    match kind {
        Kind::Date | Kind::Time => text,
        Kind::Timestamp => text.replacen(' ', "T", 1),
        Kind::Timestamptz => {
            if text.ends_with('Z') {
                return text;
            }
            chrono::DateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S%#z")
                .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgresql_text_comes_back_in_the_registers_form() {
        assert_eq!(iso(Kind::Timestamp, "2027-03-09 10:00:00".into()), "2027-03-09T10:00:00");
        assert_eq!(iso(Kind::Timestamptz, "2026-12-03 18:29:02+00".into()), "2026-12-03T18:29:02Z");
        assert_eq!(iso(Kind::Timestamptz, "2026-07-03 19:29:02+01".into()), "2026-07-03T18:29:02Z", "a session in London time");
        assert_eq!(iso(Kind::Timestamptz, "2026-12-03T18:29:02Z".into()), "2026-12-03T18:29:02Z", "SQLite's, as stored");
        assert_eq!(iso(Kind::Date, "2027-03-09".into()), "2027-03-09");
    }
}
