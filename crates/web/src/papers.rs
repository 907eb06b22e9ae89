//! Uploaded papers, kept as files outside the database, each named by the
//! SHA-256 of its content: the same paper uploaded twice is kept once, and a
//! record can never point at a file that has changed under it.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where the paper with this digest is kept.
pub fn path(dir: &Path, sha256: &str) -> PathBuf {
    dir.join(sha256.get(..2).unwrap_or("00")).join(sha256)
}

/// The SHA-256 of some bytes, in hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A paper written to the folder: where, and whether this upload made
/// the file (so a failed save can take it away again).
pub struct Kept {
    pub created: bool,
    pub path: PathBuf,
}

/// Writes a paper into the folder, whole or not at all: to a temporary file
/// first, then renamed into place.
pub async fn keep(dir: &Path, bytes: Vec<u8>) -> std::io::Result<Kept> {
    let sha256 = digest(&bytes);
    let target = path(dir, &sha256);
    if tokio::fs::try_exists(&target).await? {
        return Ok(Kept { created: false, path: target });
    }
    let folder = target.parent().expect("a paper's path has a folder").to_owned();
    let name = target.clone();
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::create_dir_all(&folder)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&folder)?;
        std::io::Write::write_all(&mut tmp, &bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(&name).map_err(|e| e.error)?;
        Ok(())
    })
    .await
    .map_err(std::io::Error::other)??;
    Ok(Kept { created: true, path: target })
}

/// Takes away a file this upload made, when the record of it could not be saved.
pub async fn discard(kept: &Kept) {
    if kept.created {
        if let Err(e) = tokio::fs::remove_file(&kept.path).await {
            tracing::warn!(path = %kept.path.display(), error = %e, "could not remove a paper whose record was not saved");
        }
    }
}
