//! The servers using a database. Each `placeworks serve` writes a heartbeat
//! every few seconds: that is how `/readyz` proves the database takes writes,
//! and how `placeworks restore` knows not to swap a database out from under a
//! server that holds it.

use crate::{Store, StoreError};
use sqlx::Row;

/// How long a heartbeat counts as a server's being alive, in seconds.
pub const ALIVE_SECONDS: i64 = 15;

/// One running server, as it last said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub id: String,
    pub host: String,
    pub pid: i64,
    pub started_at: i64,
    pub seen_at: i64,
}

impl Store {
    /// Records that `server` is alive now, in a transaction that commits: it
    /// fails, with the database's reason, when the database takes no writes.
    pub async fn heartbeat(&self, server: &Server) -> Result<(), StoreError> {
        let _gate = match &self.write_gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        };
        sqlx::query(
            "INSERT INTO servers (id, host, pid, started_at, seen_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
        )
        .bind(&server.id)
        .bind(&server.host)
        .bind(server.pid)
        .bind(server.started_at)
        .bind(self.clock.unix())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Takes a server that is stopping off the list.
    pub async fn forget_server(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM servers WHERE id = $1").bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// The servers seen in the last [`ALIVE_SECONDS`].
    pub async fn live_servers(&self) -> Result<Vec<Server>, StoreError> {
        let rows =
            sqlx::query("SELECT * FROM servers WHERE seen_at >= $1 ORDER BY started_at").bind(self.clock.unix() - ALIVE_SECONDS).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(Server {
                    id: r.try_get("id")?,
                    host: r.try_get("host")?,
                    pid: r.try_get("pid")?,
                    started_at: r.try_get("started_at")?,
                    seen_at: r.try_get("seen_at")?,
                })
            })
            .collect()
    }
}
