//! The one way a council's register is written. A write is decided inside
//! the transaction that commits it: the transaction first takes the council's
//! write lock by bumping its version (SQLite `BEGIN IMMEDIATE`, PostgreSQL a
//! row lock on the council), then reads what the change depends on, decides,
//! writes the records and their audit entry, and commits. Two writers of one
//! council therefore never decide on the same state, and the "before" in the
//! audit trail is the record as it really was.
//!
//! A write that fails on a conflict the database detected (a serialisation
//! failure or deadlock) is tried again from the start ([`retrying`]), a
//! bounded number of times; anything else is returned to the caller, and
//! nothing is kept.

use crate::audit::{append, apply_writes};
use crate::register::{read_register, Places};
use crate::{AuditEntry, Backend, Store, StoreError};
use placeworks_domain::change::Write;
use placeworks_domain::Register;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Row};
use std::time::Duration;

/// How many times a write is tried when the database asks for a retry.
const ATTEMPTS: u32 = 5;

/// A transaction on a connection of the pool, begun, committed and rolled
/// back by statement. A connection whose transaction did not end cleanly (a
/// failed COMMIT, a write dropped half way) is never put back in the pool:
/// it is closed, so no later write can find itself inside an old transaction.
pub(crate) struct Held {
    conn: Option<PoolConnection<Any>>,
}

impl Held {
    pub(crate) async fn begin(pool: &sqlx::AnyPool, begin: &'static str) -> Result<Held, StoreError> {
        let mut conn = pool.acquire().await?;
        sqlx::query(begin).execute(&mut *conn).await?;
        Ok(Held { conn: Some(conn) })
    }

    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("a held connection until the transaction ends")
    }

    /// Ends the transaction with `statement`; the connection goes back to
    /// the pool only when it succeeded.
    async fn end(mut self, statement: &'static str) -> Result<(), StoreError> {
        sqlx::query(statement).execute(self.conn()).await?;
        // Ended cleanly: the connection may serve again.
        drop(self.conn.take());
        Ok(())
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.end("COMMIT").await
    }

    pub(crate) async fn rollback(self) -> Result<(), StoreError> {
        self.end("ROLLBACK").await
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            // Closing the connection ends whatever transaction it was in.
            drop(conn.detach());
        }
    }
}

/// A write transaction on one council, holding its write lock.
pub struct WriteTx {
    tx: Held,
    council: String,
    version: i64,
    backend: Backend,
    clock: placeworks_kernel::Clock,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// The council's version this write will commit as.
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The council's register as it stands inside this transaction (areas
    /// without boundaries, and no indicator values: what a write decides on).
    pub async fn register(&mut self) -> Result<Register, StoreError> {
        read_register(self.tx.conn(), &self.council, Places::ForWriting)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("there is no council `{}`", self.council)))
    }

    /// The version an edited record has now: the council version it last
    /// changed at, or the version the council was loaded at.
    pub async fn record_version(&mut self, kind: &str, id: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT version FROM record_versions WHERE council = $1 AND record_kind = $2 AND record_id = $3")
            .bind(&self.council)
            .bind(kind)
            .bind(id)
            .fetch_optional(self.tx.conn())
            .await?;
        if let Some(row) = row {
            return Ok(row.try_get("version")?);
        }
        let row = sqlx::query("SELECT loaded_version FROM councils WHERE slug = $1").bind(&self.council).fetch_one(self.tx.conn()).await?;
        Ok(row.try_get("loaded_version")?)
    }

    /// The audit entries of one record written after a council version, oldest first.
    pub async fn audit_since(&mut self, kind: &str, id: &str, version: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM audit_log WHERE council = $1 AND record_kind = $2 AND record_id = $3 AND council_version > $4 ORDER BY council_version, id",
            crate::audit::ENTRY_COLUMNS
        ))
        .bind(&self.council)
        .bind(kind)
        .bind(id)
        .bind(version)
        .fetch_all(self.tx.conn())
        .await?;
        rows.iter().map(crate::audit::entry).collect()
    }

    /// Writes records and their audit entries.
    pub async fn apply(&mut self, writes: &[Write], audit: &[AuditEntry]) -> Result<(), StoreError> {
        apply_writes(self.tx.conn(), &self.council, self.version, writes).await?;
        for e in audit {
            append(self.tx.conn(), e, Some(self.version)).await?;
        }
        Ok(())
    }

    /// The transaction itself, for writes this module does not name (imports).
    pub(crate) fn inner(&mut self) -> &mut AnyConnection {
        self.tx.conn()
    }

    pub(crate) fn council(&self) -> &str {
        &self.council
    }
}

impl WriteTx {
    /// Commits the write: it is kept, it is in the change feed (and, on
    /// PostgreSQL, every listening server is told), and it is acknowledged
    /// only now. Returns the council's version it committed as.
    pub async fn commit(mut self, action: &str) -> Result<i64, StoreError> {
        sqlx::query("INSERT INTO changes (council, version, at, action) VALUES ($1, $2, $3, $4)")
            .bind(&self.council)
            .bind(self.version)
            .bind(self.clock.unix())
            .bind(action)
            .execute(self.tx.conn())
            .await?;
        if self.backend == Backend::Postgres {
            // Delivered to every listening server when, and only if, this commits.
            sqlx::query("SELECT pg_notify('placeworks_changes', $1)").bind(format!("{} {}", self.council, self.version)).execute(self.tx.conn()).await?;
        }
        self.tx.commit().await?;
        Ok(self.version)
    }

    /// Abandons the write: nothing of it is kept.
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }
}

/// Runs `attempt` until it succeeds, fails for good, or has been tried
/// [`ATTEMPTS`] times on conflicts the database asks to be tried again.
pub async fn retrying<T, F: std::future::Future<Output = Result<T, StoreError>>>(mut attempt: impl FnMut() -> F) -> Result<T, StoreError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Err(e) if e.is_retryable() && tries < ATTEMPTS => {
                tracing::debug!(tries, error = %e, "a write conflicted; trying again");
                tokio::time::sleep(Duration::from_millis(5 * u64::from(tries))).await;
            }
            other => return other,
        }
    }
}

impl Store {
    /// Begins a write transaction on `council`, holding its write lock: in
    /// it, read what the change depends on, decide, write, then
    /// [`WriteTx::commit`]. Dropped without a commit, nothing is kept.
    pub async fn begin_write(&self, council: &str) -> Result<WriteTx, StoreError> {
        // Writers in this process queue here rather than in SQLite's busy handler.
        let gate = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
        };
        let mut tx = Held::begin(self.pool(), begin).await?;
        // The first statement takes the council's write lock (a row lock in
        // PostgreSQL; SQLite's write lock is already held) and its next version.
        let row = sqlx::query("UPDATE councils SET version = version + 1 WHERE slug = $1 RETURNING version").bind(council).fetch_optional(tx.conn()).await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Err(StoreError::Conflict(format!("there is no council `{council}`")));
        };
        let version: i64 = row.try_get("version")?;
        Ok(WriteTx { tx, council: council.to_owned(), version, backend: self.backend, clock: self.clock.clone(), _gate: gate })
    }
}
