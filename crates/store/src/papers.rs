//! Meeting papers, kept outside the database in object storage: a local
//! folder by default, or an S3-compatible bucket (`s3://bucket/prefix`) that
//! many servers share. Each paper is named by the SHA-256 of its content
//! (`ab/abcdef…`), so the same paper uploaded twice is kept once and a record
//! can never point at a file that has changed under it.
//!
//! A paper is written whole or not at all (a local file is renamed into
//! place; an S3 object appears only when its upload completes), read as a
//! stream of chunks (never whole into memory), and swept away once no record
//! names it.

use chrono::{DateTime, Utc};
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::prefix::PrefixStore;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

/// What can go wrong with the papers' storage.
#[derive(Debug, thiserror::Error)]
pub enum PapersError {
    /// The location is neither a folder nor an `s3://` URL we can use.
    #[error("`{location}` is not a place papers can be kept: {reason}. Give a folder, or s3://BUCKET/PREFIX with the AWS_* settings in the environment")]
    Location { location: String, reason: String },
    /// The storage answered with an error.
    #[error("the papers' storage at {location} answered: {source}")]
    Storage { location: String, source: object_store::Error },
}

/// The SHA-256 of some bytes, in hex: a paper's name.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn key(sha256: &str) -> Key {
    Key::from(format!("{}/{sha256}", sha256.get(..2).unwrap_or("00")))
}

/// Whether a stored object's name is a paper's (`ab/` and 64 hex digits
/// starting `ab`); anything else in the folder or bucket is left alone.
fn paper_name(key: &Key) -> Option<String> {
    let mut parts = key.parts();
    let (folder, name) = (parts.next()?, parts.next()?);
    let name = name.as_ref();
    let ok = parts.next().is_none()
        && name.len() == 64
        && name.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        && name.get(..2) == Some(folder.as_ref());
    ok.then(|| name.to_owned())
}

/// Where papers are kept.
#[derive(Clone)]
pub struct Papers {
    inner: Arc<dyn ObjectStore>,
    location: Arc<str>,
}

impl fmt::Debug for Papers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Papers({})", self.location)
    }
}

/// A paper written by [`Papers::keep`]: its name, and whether this upload
/// made it (rather than finding the same content already kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub sha256: String,
    pub created: bool,
}

/// Part or all of a paper, as a stream of chunks.
pub struct Fetched {
    /// The bytes sent, of the paper's whole `size`.
    pub range: Range<u64>,
    pub size: u64,
    pub chunks: BoxStream<'static, Result<bytes::Bytes, object_store::Error>>,
}

/// Which bytes of a paper were asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    All,
    From(u64),
    Between(u64, u64),
    Last(u64),
}

impl Wanted {
    /// The bytes asked for by an HTTP `Range` header (`bytes=…`, one range
    /// only; anything else is answered with the whole paper, as RFC 9110
    /// allows).
    pub fn from_header(value: Option<&str>) -> Wanted {
        let Some(spec) = value.and_then(|v| v.trim().strip_prefix("bytes=")) else { return Wanted::All };
        if spec.contains(',') {
            return Wanted::All;
        }
        let Some((a, b)) = spec.split_once('-') else { return Wanted::All };
        match (a.trim(), b.trim()) {
            ("", n) => n.parse().map_or(Wanted::All, Wanted::Last),
            (a, "") => a.parse().map_or(Wanted::All, Wanted::From),
            (a, b) => match (a.parse(), b.parse()) {
                (Ok(a), Ok(b)) if a <= b => Wanted::Between(a, b),
                _ => Wanted::All,
            },
        }
    }

    /// The bytes this asks for of a paper of `size` bytes, or `None` when
    /// none of them exist (answered 416).
    pub fn within(self, size: u64) -> Option<Range<u64>> {
        match self {
            Wanted::All => Some(0..size),
            Wanted::From(a) | Wanted::Between(a, _) if a >= size => None,
            Wanted::From(a) => Some(a..size),
            Wanted::Between(a, b) => Some(a..(b + 1).min(size)),
            Wanted::Last(0) => None,
            Wanted::Last(n) => Some(size.saturating_sub(n)..size),
        }
    }
}

impl Papers {
    /// Papers kept in a local folder. Nothing is made on disk until the
    /// first paper is kept (the folder and its subfolders are made then).
    pub fn folder(dir: &std::path::Path) -> Result<Papers, PapersError> {
        let location = dir.display().to_string();
        let bad = |reason: String| PapersError::Location { location: location.clone(), reason };
        let absolute = std::path::absolute(dir).map_err(|e| bad(e.to_string()))?;
        let prefix = Key::from_absolute_path(&absolute).map_err(|e| bad(e.to_string()))?;
        let fs = PrefixStore::new(LocalFileSystem::new(), prefix);
        Ok(Papers { inner: Arc::new(fs), location: location.as_str().into() })
    }

    /// Papers kept in an S3-compatible bucket, `s3://BUCKET/PREFIX`. The
    /// endpoint, region and credentials come from `settings` (names as the
    /// AWS_* environment variables, such as `aws_endpoint`), over what the
    /// environment gives.
    pub fn s3(url: &str, settings: &[(&str, &str)]) -> Result<Papers, PapersError> {
        let bad = |reason: String| PapersError::Location { location: url.to_owned(), reason };
        let rest = url.strip_prefix("s3://").ok_or_else(|| bad("it does not start s3://".into()))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(bad("it names no bucket".into()));
        }
        // One TLS provider for the HTTPS client (ring); a second call finds it set.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (k, v) in settings {
            let k = AmazonS3ConfigKey::from_str(k).map_err(|e| bad(e.to_string()))?;
            builder = builder.with_config(k, *v);
        }
        let s3 = builder.build().map_err(|e| bad(e.to_string()))?;
        let prefix = prefix.trim_matches('/');
        let inner: Arc<dyn ObjectStore> = if prefix.is_empty() { Arc::new(s3) } else { Arc::new(PrefixStore::new(s3, prefix)) };
        Ok(Papers { inner, location: url.into() })
    }

    /// Papers kept where `location` says: `s3://…` for a bucket, otherwise a folder.
    pub fn open(location: &str) -> Result<Papers, PapersError> {
        if location.starts_with("s3://") {
            Papers::s3(location, &[])
        } else {
            Papers::folder(std::path::Path::new(location.strip_prefix("file://").unwrap_or(location)))
        }
    }

    /// Where the papers are kept, for messages.
    pub fn location(&self) -> &str {
        &self.location
    }

    fn failed(&self, source: object_store::Error) -> PapersError {
        PapersError::Storage { location: self.location.to_string(), source }
    }

    /// Keeps a paper, whole or not at all, under its digest.
    pub async fn keep(&self, bytes: Vec<u8>) -> Result<Kept, PapersError> {
        let sha256 = digest(&bytes);
        let k = key(&sha256);
        match self.inner.head(&k).await {
            Ok(_) => return Ok(Kept { sha256, created: false }),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(self.failed(e)),
        }
        self.inner.put(&k, PutPayload::from(bytes)).await.map_err(|e| self.failed(e))?;
        Ok(Kept { sha256, created: true })
    }

    /// Whether a paper is kept, and its size.
    pub async fn size(&self, sha256: &str) -> Result<Option<u64>, PapersError> {
        match self.inner.head(&key(sha256)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.failed(e)),
        }
    }

    /// The bytes `range` of a paper of `size` bytes, as a stream; `None`
    /// when the paper is not kept.
    pub async fn fetch(&self, sha256: &str, range: Range<u64>, size: u64) -> Result<Option<Fetched>, PapersError> {
        let options = GetOptions { range: (!range.is_empty()).then(|| GetRange::Bounded(range.clone())), ..GetOptions::default() };
        let got = match self.inner.get_opts(&key(sha256), options).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(self.failed(e)),
        };
        let chunks = if range.is_empty() { futures_util::stream::empty().boxed() } else { got.into_stream().boxed() };
        Ok(Some(Fetched { range, size, chunks }))
    }

    /// The names of every paper kept, with when each was written.
    pub async fn list(&self) -> Result<Vec<(String, DateTime<Utc>)>, PapersError> {
        let metas: Vec<_> = self.inner.list(None).try_collect().await.map_err(|e| self.failed(e))?;
        Ok(metas.into_iter().filter_map(|m| paper_name(&m.location).map(|n| (n, m.last_modified))).collect())
    }

    /// Takes away every paper that no record names and that was written
    /// before `before` (so a paper whose record is being saved this moment
    /// is left alone). Returns the names taken away.
    pub async fn sweep(&self, referenced: &HashSet<String>, before: DateTime<Utc>) -> Result<Vec<String>, PapersError> {
        let mut gone = Vec::new();
        for (name, written) in self.list().await? {
            if referenced.contains(&name) || written >= before {
                continue;
            }
            match self.inner.delete(&key(&name)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => gone.push(name),
                Err(e) => return Err(self.failed(e)),
            }
        }
        gone.sort();
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        let w = Wanted::from_header;
        assert_eq!(w(Some("bytes=0-99")).within(1000), Some(0..100));
        assert_eq!(w(Some("bytes=900-")).within(1000), Some(900..1000));
        assert_eq!(w(Some("bytes=-100")).within(1000), Some(900..1000));
        assert_eq!(w(Some("bytes=-5000")).within(1000), Some(0..1000));
        assert_eq!(w(Some("bytes=990-2000")).within(1000), Some(990..1000));
        assert_eq!(w(Some("bytes=1000-")).within(1000), None);
        assert_eq!(w(Some("bytes=-0")).within(1000), None);
        // Malformed or several ranges: the whole paper.
        assert_eq!(w(Some("bytes=5-1")), Wanted::All);
        assert_eq!(w(Some("bytes=0-1,5-6")), Wanted::All);
        assert_eq!(w(Some("items=0-1")), Wanted::All);
        assert_eq!(w(None).within(10), Some(0..10));
    }

    #[test]
    fn only_papers_names_are_papers() {
        let sha = digest(b"x");
        assert_eq!(paper_name(&key(&sha)), Some(sha.clone()));
        assert_eq!(paper_name(&Key::from(format!("zz/{sha}"))), None);
        assert_eq!(paper_name(&Key::from("ab/readme.txt")), None);
        assert_eq!(paper_name(&Key::from(sha.as_str())), None);
    }

    #[tokio::test]
    async fn a_folder_keeps_streams_and_sweeps() {
        let dir = tempfile::tempdir().unwrap();
        let papers = Papers::folder(&dir.path().join("papers")).unwrap();
        assert!(!dir.path().join("papers").exists(), "nothing is made before a paper is kept");
        assert!(papers.list().await.unwrap().is_empty(), "a folder not yet made holds no papers");
        keeps_streams_and_sweeps(&papers).await;
        let sha = digest(&(0..100_000u32).map(|i| (i % 251) as u8).collect::<Vec<_>>());
        assert!(dir.path().join("papers").join(&sha[..2]).join(&sha).exists(), "the folder layout is ab/abcd…");
    }

    #[tokio::test]
    async fn an_s3_bucket_keeps_streams_and_sweeps() {
        let Some((url, settings)) = crate::testing::s3() else { return };
        let s: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        keeps_streams_and_sweeps(&Papers::s3(&url, &s).unwrap()).await;
    }

    async fn keeps_streams_and_sweeps(papers: &Papers) {
        let body: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let kept = papers.keep(body.clone()).await.unwrap();
        assert!(kept.created);
        assert!(!papers.keep(body.clone()).await.unwrap().created, "the same paper is kept once");
        assert_eq!(papers.size(&kept.sha256).await.unwrap(), Some(100_000));
        let part = papers.fetch(&kept.sha256, 10..20_010, 100_000).await.unwrap().unwrap();
        let got: Vec<bytes::Bytes> = part.chunks.try_collect().await.unwrap();
        assert_eq!(got.concat(), body[10..20_010]);
        assert!(papers.fetch(&digest(b"none"), 0..1, 1).await.unwrap().is_none());

        let other = papers.keep(b"orphan".to_vec()).await.unwrap();
        let referenced = HashSet::from([kept.sha256.clone()]);
        let past = Utc::now() - chrono::Duration::hours(1);
        assert!(papers.sweep(&referenced, past).await.unwrap().is_empty(), "papers written after the cut-off stay");
        let future = Utc::now() + chrono::Duration::hours(1);
        assert_eq!(papers.sweep(&referenced, future).await.unwrap(), vec![other.sha256.clone()]);
        assert_eq!(papers.size(&other.sha256).await.unwrap(), None);
        assert_eq!(papers.size(&kept.sha256).await.unwrap(), Some(100_000), "a named paper is never swept");
    }
}
