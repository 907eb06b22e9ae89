//! Backups of a live SQLite database, and checks before one is restored.
//! (For PostgreSQL, use `pg_dump` and `pg_restore`: see the README.)

use crate::{Backend, Store, StoreError};
use sqlx::Row;
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the live SQLite database to `to`, while
    /// readers and writers carry on (`VACUUM INTO` reads one snapshot).
    pub async fn backup_to(&self, to: &Path) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Unsupported("placeworks backup copies SQLite databases; for PostgreSQL use pg_dump".into()));
        }
        if to.exists() {
            return Err(StoreError::Conflict(format!("{} already exists; choose a new file name so that no backup is overwritten", to.display())));
        }
        let target = to.to_str().ok_or_else(|| StoreError::Unsupported("the backup path must be valid UTF-8".into()))?;
        sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''"))).execute(self.pool()).await?;
        Ok(())
    }

    /// Checks that this store is a sound Placeworks database: SQLite's
    /// integrity check passes and the register's tables are there.
    pub async fn verify(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Sqlite {
            let row = sqlx::query("PRAGMA integrity_check").fetch_one(self.pool()).await?;
            let result: String = row.try_get(0)?;
            if result != "ok" {
                return Err(StoreError::Corrupt(format!("the integrity check failed: {result}")));
            }
        }
        sqlx::query("SELECT COUNT(*) AS n FROM councils")
            .fetch_one(self.pool())
            .await
            .map_err(|_| StoreError::Corrupt("this is not a Placeworks database: it has no register".into()))?;
        Ok(())
    }

    /// Closes the store's connections (before its file is replaced).
    pub async fn close(&self) {
        self.pool().close().await;
    }
}

/// Opens a backup file read-only and checks it, without changing it.
pub async fn check_backup(path: &Path) -> Result<Store, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Unsupported(format!("{} is not a file", path.display())));
    }
    let mut head = [0u8; 16];
    use std::io::Read;
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).map_err(|e| StoreError::Unsupported(format!("cannot read {}: {e}", path.display())))?;
    if &head != b"SQLite format 3\0" {
        return Err(StoreError::Corrupt(format!("{} is not an SQLite database, so not a Placeworks backup", path.display())));
    }
    let store = Store::connect_read_only(path).await?;
    store.verify().await?;
    Ok(store)
}
