//! Storage for Placeworks: one [`Store`] over SQLite (the embedded default)
//! and PostgreSQL (for large and multi-council deployments), chosen from the
//! URL scheme. The SQL text is shared: both dialects accept `$1` placeholders
//! and the types the migrations use. Migrations are embedded and run on
//! connect.
//!
//! The store holds several councils side by side; every row carries its
//! council, and replacing one council's register touches no other.

mod accounts;
mod audit;
mod backup;
mod decisions;
mod dialect;
mod meetings;
pub mod papers;
mod places;
mod programmes;
mod provenance;
mod register;
mod servers;
mod services;
#[cfg(feature = "testing")]
pub mod testing;
mod upgrade;
mod write;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Row};
use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

pub use accounts::{Account, Session};
pub use audit::AuditEntry;
pub use backup::check_backup;
pub use papers::{Papers, PapersError};
pub use placeworks_kernel::Clock;
pub use register::CouncilSummary;
pub use servers::{Server, ALIVE_SECONDS};
pub use write::{retrying, WriteTx};

/// What can go wrong with storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no database engine we support.
    #[error("`{0}` is not a database URL Placeworks understands: use sqlite://FILE or postgres://USER@HOST:PORT/DATABASE")]
    UnsupportedUrl(String),
    /// The database could not be reached.
    #[error("cannot connect to the database at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// A migration failed.
    #[error("the database schema could not be brought up to date: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The database answered with an error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The operation does not apply here (such as a SQLite backup of PostgreSQL).
    #[error("{0}")]
    Unsupported(String),
    /// The write would break a rule of uniqueness, such as a second account for one email.
    #[error("{0}")]
    Conflict(String),
    /// The papers' storage failed.
    #[error(transparent)]
    Papers(#[from] PapersError),
    /// A stored value is not one the register allows (the database was edited by hand).
    #[error("the stored register is damaged: {0}")]
    Corrupt(String),
    /// The transaction this write shared with others failed as a whole
    /// (group commit): why, as its committer was told.
    #[error("{0}")]
    Shared(std::sync::Arc<StoreError>),
    /// The transaction this write shared with others was abandoned when a
    /// later write in it failed: nothing of it was kept, and it may be tried again.
    #[error("the change was given up with another that failed; try again")]
    Abandoned,
}

impl StoreError {
    /// Whether the write broke a unique constraint (PostgreSQL 23505; SQLite's
    /// SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self.code().as_deref(), Some("23505" | "2067" | "1555"))
    }

    /// Whether the database refused for a reason that trying again from the
    /// start can cure: a serialisation failure or a deadlock, or a shared
    /// transaction given up for another write's failure.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Abandoned) || matches!(self.code().as_deref(), Some("40001" | "40P01"))
    }

    /// Why the database cannot take writes, in words for the person whose
    /// change was not saved, when that is the trouble: full, read-only, or
    /// too busy to answer in time.
    pub fn unavailable(&self) -> Option<&'static str> {
        match self {
            StoreError::Database(sqlx::Error::PoolTimedOut) => return Some("the database is too busy to take it just now"),
            StoreError::Shared(e) => return e.unavailable(),
            _ => {}
        }
        let code = self.code()?;
        // SQLite's extended result codes keep the primary code in the low byte.
        let sqlite = code.parse::<i32>().ok().map(|c| c & 0xff);
        match (sqlite, code.as_str()) {
            (Some(13), _) | (_, "53100") => Some("the database's disk is full"),
            (Some(8), _) | (_, "25006") => Some("the database is read-only"),
            (Some(5 | 6), _) | (_, "55P03" | "57014") => Some("the database is too busy to take it just now"),
            (Some(10 | 14), _) => Some("the database could not write to its disk"),
            _ => None,
        }
    }

    fn code(&self) -> Option<String> {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => e.code().map(|c| c.into_owned()),
            StoreError::Shared(e) => e.code(),
            _ => None,
        }
    }
}

/// Which engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The register's storage.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// The URL connected to, for a PostgreSQL listener of its own.
    url: std::sync::Arc<str>,
    backend: Backend,
    /// SQLite takes one writer at a time: writers in this process wait here,
    /// in turn, rather than in SQLite's busy handler.
    write_gate: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    clock: Clock,
}

static DRIVERS: Once = Once::new();

/// A URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The write-ahead log's size, in pages of 4 KB, past which a commit copies
/// it back into the database: about 16 MB, where SQLite's default is 4 MB.
const AUTOCHECKPOINT_PAGES: u32 = 4000;

impl Store {
    /// Connects to `url` (`sqlite://FILE`, `sqlite::memory:` or
    /// `postgres://...`), creating a SQLite file if needed, and runs the
    /// embedded migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (backend, url_to_use) = if let Some(rest) = url.strip_prefix("sqlite:") {
            // Create the file when it does not exist yet.
            let with_mode = if rest.contains("mode=") || rest.contains(":memory:") {
                url.to_owned()
            } else if rest.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, with_mode)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        let unreachable = |e: sqlx::Error| StoreError::Unreachable { url: redact(url), reason: first_line(&e.to_string()) };
        let options = AnyConnectOptions::from_str(&url_to_use).map_err(unreachable)?;
        let is_memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            // An in-memory SQLite database lives in one connection.
            .max_connections(if is_memory {
                1
            } else if backend == Backend::Sqlite {
                4
            } else {
                8
            })
            .min_connections(if is_memory { 1 } else { 0 })
            .idle_timeout(if is_memory { None } else { Some(Duration::from_secs(600)) })
            .max_lifetime(if is_memory { None } else { Some(Duration::from_secs(1800)) })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA busy_timeout = 5000").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                        // A commit that fills the log past this many pages copies
                        // it back into the database itself, with the write lock
                        // held. A serving store does that in the background
                        // (`checkpoint_in_background`) long before; this is the
                        // backstop for everything else.
                        sqlx::query(&format!("PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(unreachable)?;
        if backend == Backend::Sqlite && !is_memory {
            // WAL lets readers carry on while a dataset is loaded.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        upgrade::migrate(&pool, backend).await?;
        let write_gate = (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Store { pool, url: url.into(), backend, write_gate, clock: Clock::system() })
    }

    /// On an SQLite file, copies the write-ahead log back into the database
    /// every `every`, on a connection of its own and without waiting for
    /// readers or writers (a passive checkpoint), so no officer's write is
    /// the one that pays for it while holding the council's turn. Returns
    /// the task, or None where there is nothing to do (PostgreSQL, memory).
    pub fn checkpoint_in_background(&self, every: Duration) -> Option<tokio::task::JoinHandle<()>> {
        if self.backend != Backend::Sqlite || self.url.contains(":memory:") {
            return None;
        }
        let pool = self.pool.clone();
        Some(tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !pool.is_closed() {
                tick.tick().await;
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                    tracing::debug!(error = %e, "a background checkpoint did not run");
                }
            }
        }))
    }

    /// Opens an SQLite file read-only, without running migrations (to check a backup).
    pub async fn connect_read_only(path: &std::path::Path) -> Result<Store, StoreError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let url = format!("sqlite://{}?mode=ro", path.display());
        let options = AnyConnectOptions::from_str(&url).map_err(|e| StoreError::Unreachable { url: url.clone(), reason: first_line(&e.to_string()) })?;
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unreachable { url, reason: first_line(&e.to_string()) })?;
        Ok(Store { pool, url: path.display().to_string().into(), backend: Backend::Sqlite, write_gate: None, clock: Clock::system() })
    }

    /// This store, reading the time from `clock` (for the change feed and heartbeats).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The clock this store reads the time from.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// On PostgreSQL, a connection listening for the change feed's
    /// notifications: each names a council written (`slug version`). None on
    /// SQLite, whose servers poll.
    pub async fn listen_for_changes(&self) -> Result<Option<sqlx::postgres::PgListener>, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(None);
        }
        let mut listener = sqlx::postgres::PgListener::connect(&self.url).await?;
        listener.listen("placeworks_changes").await?;
        Ok(Some(listener))
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Answers when the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Every table's columns, as `table.column` with a portable type and
    /// whether it may be null: used to prove both engines' schemas match.
    pub async fn schema(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT m.name AS t, p.name AS c, p.type AS ty, p.\"notnull\" AS nn, p.pk AS pk \
                 FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY t, c"
            }
            Backend::Postgres => {
                "SELECT c.table_name::TEXT AS t, c.column_name::TEXT AS c, c.data_type::TEXT AS ty, \
                 CAST(CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END AS BIGINT) AS nn, CAST(0 AS BIGINT) AS pk \
                 FROM information_schema.columns c WHERE c.table_schema = current_schema() \
                 AND c.table_name NOT LIKE '_sqlx%' ORDER BY t, c"
            }
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for row in rows {
            let ty: String = row.try_get("ty")?;
            let portable = match ty.to_lowercase().as_str() {
                "text" => "text",
                "bigint" => "bigint",
                "double precision" => "double precision",
                "boolean" => "boolean",
                "date" => "date",
                "time" | "time without time zone" => "time",
                "timestamp" | "timestamp without time zone" => "timestamp",
                "timestamptz" | "timestamp with time zone" => "timestamptz",
                other => return Err(StoreError::Corrupt(format!("unexpected column type {other}"))),
            };
            // SQLite reports primary-key columns as nullable unless declared NOT NULL;
            // our DDL declares every key column NOT NULL.
            let nn: i64 = row.try_get("nn")?;
            let pk: i64 = row.try_get("pk")?;
            let null = if nn == 1 || pk > 0 { "not null" } else { "null" };
            out.push(format!("{}.{} {portable} {null}", row.try_get::<String, _>("t")?, row.try_get::<String, _>("c")?));
        }
        Ok(out)
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_owned()
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_passwords_only() {
        assert_eq!(redact("postgres://pw:secret@localhost:5432/db"), "postgres://pw:***@localhost:5432/db");
        assert_eq!(redact("postgres://pw@localhost/db"), "postgres://pw@localhost/db");
        assert_eq!(redact("sqlite://placeworks.db"), "sqlite://placeworks.db");
    }
}
