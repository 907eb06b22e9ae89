//! The one way a council's register is written. A write is decided inside
//! the transaction that commits it: the transaction first takes the council's
//! write lock by bumping its version (SQLite `BEGIN IMMEDIATE`, PostgreSQL a
//! row lock on the council), then reads what the change depends on, decides,
//! writes the records and their audit entry, and commits. Two writers of one
//! council therefore never decide on the same state, and the "before" in the
//! audit trail is the record as it really was.
//!
//! One transaction may carry several writes of one council, each at a
//! version of its own (each [`WriteTx::apply`] after a [`WriteTx::made`]
//! takes the next; the council's row and the change feed are written at the
//! commit, [`WriteTx::commit_made`]): the web
//! layer hands an open transaction on to the next officer queued for the
//! council and commits them together (group commit), so one sync of the disk
//! serves them all and none is acknowledged before it.
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
    /// Whether a write has been made at `version` (its change row written):
    /// the next write takes the next version.
    used: bool,
    /// The version the transaction began at (its first write's).
    began: i64,
    /// The writes made in this transaction: their versions and actions,
    /// for the change feed.
    made: Vec<(i64, String)>,
    backend: Backend,
    clock: placeworks_kernel::Clock,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// The council's version this write will commit as (the next write in
    /// the transaction takes the one after it).
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

    /// Writes records and their audit entries, at the next version when a
    /// write has already been made at this one.
    pub async fn apply(&mut self, writes: &[Write], audit: &[AuditEntry]) -> Result<(), StoreError> {
        if self.used {
            // The council's row is set to the last version at the commit.
            self.version += 1;
            self.used = false;
        }
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
    /// Marks the write made at this version as done: it is in the change
    /// feed (as `action`) once the transaction commits. Returns its version.
    pub fn made(&mut self, action: &str) -> i64 {
        self.made.push((self.version, action.to_owned()));
        self.used = true;
        self.version
    }

    /// Whether any write has been made in this transaction.
    pub fn has_writes(&self) -> bool {
        !self.made.is_empty()
    }

    /// Commits the write: it is kept, it is in the change feed (and, on
    /// PostgreSQL, every listening server is told), and it is acknowledged
    /// only now. Returns the council's version it committed as.
    pub async fn commit(mut self, action: &str) -> Result<i64, StoreError> {
        self.made(action);
        self.commit_made().await
    }

    /// Commits the writes made in this transaction ([`WriteTx::made`]), or
    /// rolls back when none was. Returns the council's version: the last
    /// write's.
    pub async fn commit_made(mut self) -> Result<i64, StoreError> {
        if self.made.is_empty() {
            self.tx.rollback().await?;
            return Ok(self.began - 1);
        }
        if self.version > self.began {
            sqlx::query("UPDATE councils SET version = $1 WHERE slug = $2").bind(self.version).bind(&self.council).execute(self.tx.conn()).await?;
        }
        // The change feed: one row per write, in one statement.
        let rows: Vec<String> = (0..self.made.len()).map(|i| format!("($1, ${}, $2, ${})", 2 * i + 3, 2 * i + 4)).collect();
        let sql = format!("INSERT INTO changes (council, version, at, action) VALUES {}", rows.join(", "));
        let mut insert = sqlx::query(&sql).bind(&self.council).bind(self.clock.unix());
        for (version, action) in &self.made {
            insert = insert.bind(*version).bind(action.as_str());
        }
        insert.execute(self.tx.conn()).await?;
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
        Ok(WriteTx {
            tx,
            council: council.to_owned(),
            version,
            used: false,
            began: version,
            made: Vec::new(),
            backend: self.backend,
            clock: self.clock.clone(),
            _gate: gate,
        })
    }
}
