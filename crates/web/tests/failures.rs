//! Failures are failures: a write the database cannot keep is never answered
//! as saved. The database lives on a small tmpfs of its own, which is filled
//! up; each write meanwhile is refused with a page that says it was not
//! saved, and after a restart exactly the acknowledged writes are there.
//! (SQLite: PostgreSQL's disk is the server's, not the portal's.)
//!
//! A read-only database likewise: SQLite's file seen through a read-only bind
//! mount, and a PostgreSQL database turned read-only as a standby is after a
//! failover. Reads carry on; writes are refused with a page that says so;
//! `/readyz` says not ready; nothing refused is ever found afterwards.

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::{dataset, Slug};
use placeworks_store::testing::clock;
use placeworks_store::Store;
use placeworks_web::{router, AppState, Options};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::*;

const BSP: &str = "/buckinghamshire/bodies/bsp-board";

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Tmpfs {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir.path()).output().expect("mount");
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs for the database, which needs root (scripts/test runs as root in CI): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fills the file system with one file until it is full; returns the file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    while f.write_all(&chunk[..512]).is_ok() {}
    let _ = f.sync_all();
    filler
}

async fn app_on(url: &str) -> axum::Router {
    app_and_store(url).await.0
}

async fn app_and_store(url: &str) -> (axum::Router, Store) {
    let store = Store::connect(url).await.unwrap();
    (router(AppState::new(store.clone(), clock()).await.unwrap(), &Options::default()), store)
}

/// The built-in dataset and a secretariat for the BSP Board, in a new database.
async fn prepare(url: &str) {
    let store = Store::connect(url).await.unwrap();
    store.replace_council(&dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
    let hash = NewPassword::parse(PASSWORD).unwrap().hash();
    let grant = ("buckinghamshire".to_owned(), Grant::Secretariat(Slug::parse("bsp-board").unwrap()));
    store.create_account("sec", "secretariat@example.org", "Sally Secretariat", &hash, &[grant], 0).await.unwrap();
    store.close().await;
}

const SAVED: &str = "Saved while the database took writes";
const REFUSED: &str = "Typed while the database was read-only";

/// Signs in and saves one change to the board's purpose; the session.
async fn save_one(app: &axum::Router) -> (String, String) {
    let (session, csrf) = sign_in(app, "secretariat@example.org").await;
    let edit = format!("{BSP}/edit");
    let (status, _, body) = post(app, &edit, &session, &purpose_form(&csrf, SAVED, &opened_version(app, &edit, &session).await)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    (session, csrf)
}

/// On a read-only database: pages are served, a write is refused and says
/// so, and `/readyz` says not ready.
async fn refused_while_read_only(app: &axum::Router, session: &str, csrf: &str, version: &str) {
    let (status, page) = get(app, BSP, None).await;
    assert_eq!(status, StatusCode::OK, "the public pages are still served");
    assert!(page.contains(SAVED));
    let (status, _, body) = post(app, &format!("{BSP}/edit"), session, &purpose_form(csrf, REFUSED, version)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("has not been saved") && body.contains("read-only"), "{body}");
    assert!(!get(app, BSP, None).await.1.contains(REFUSED), "nothing unsaved is shown");
    let (status, body) = get(app, "/readyz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "not ready: the database is read-only\n"));
    // Signing in counts the attempt, a write: refused the same way, never a 500.
    let (status, _, _, body) = send(app, req("GET", "/sign-in", None, None)).await;
    assert_eq!(status, StatusCode::OK);
    let token = value_after(&body, "name=\"csrf\" value=\"").to_owned();
    let form = format!("csrf={token}&email=secretariat%40example.org&password=wrong+password+entirely");
    let (status, _, _, body) = send(app, req("POST", "/sign-in", Some(&format!("pw_csrf={token}")), Some(&form))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("read-only") && body.contains("Try again in a few minutes"), "{body}");
}

/// Writable again: the acknowledged write is there, the refused one nowhere,
/// one edit in the audit trail, and writes are saved again.
async fn writable_again(url: &str) {
    let (app, store) = app_and_store(url).await;
    let page = get(&app, BSP, None).await.1;
    assert!(page.contains(SAVED) && !page.contains(REFUSED));
    let edits = store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "edit-body").count();
    assert_eq!(edits, 1, "one edit acknowledged, one in the audit trail");
    let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
    let edit = format!("{BSP}/edit");
    let (status, _, _) = post(&app, &edit, &session, &purpose_form(&csrf, "Saved again", &opened_version(&app, &edit, &session).await)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(get(&app, "/readyz", None).await.0, StatusCode::OK);
}

/// A folder seen again, read-only, through a bind mount; unmounted when dropped.
struct ReadOnlyView {
    dir: tempfile::TempDir,
}

impl ReadOnlyView {
    fn of(folder: &Path) -> ReadOnlyView {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let out = Command::new("mount").args(args).arg(dir.path()).output().expect("mount");
            assert!(out.status.success(), "this test bind-mounts a folder read-only, which needs root: {}", String::from_utf8_lossy(&out.stderr));
        };
        run(&["--bind", folder.to_str().unwrap()]);
        run(&["-o", "remount,ro,bind"]);
        ReadOnlyView { dir }
    }
}

impl Drop for ReadOnlyView {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_sqlite_file_refuses_writes_and_loses_none() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("placeworks.db").display());
    prepare(&url).await;
    let (app, store) = app_and_store(&url).await;
    let (session, csrf) = save_one(&app).await;
    let version = opened_version(&app, &format!("{BSP}/edit"), &session).await;
    drop(app);
    // A linux file system can only be made read-only while no file on it is
    // open to write, so the database is copied as it stands (with its WAL
    // and shared-memory index, which SQLite needs to read a WAL database on
    // read-only media), and a server starts on the copy seen read-only.
    let copy = tempfile::tempdir().unwrap();
    for name in ["placeworks.db", "placeworks.db-wal", "placeworks.db-shm"] {
        std::fs::copy(folder.path().join(name), copy.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    store.close().await;
    {
        let view = ReadOnlyView::of(copy.path());
        let (app, store) = app_and_store(&format!("sqlite://{}", view.dir.path().join("placeworks.db").display())).await;
        refused_while_read_only(&app, &session, &csrf, &version).await;
        drop(app);
        store.close().await;
    }
    writable_again(&format!("sqlite://{}", copy.path().join("placeworks.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_postgresql_database_refuses_writes_and_loses_none() {
    let Some(db) = placeworks_store::testing::postgres().await else { return };
    prepare(&db.url).await;
    let app = app_on(&db.url).await;
    let (session, csrf) = save_one(&app).await;
    let version = opened_version(&app, &format!("{BSP}/edit"), &session).await;
    // While the server runs, the database becomes read-only under it.
    placeworks_store::testing::set_postgres_read_only(&db, true).await;
    refused_while_read_only(&app, &session, &csrf, &version).await;
    placeworks_store::testing::set_postgres_read_only(&db, false).await;
    drop(app);
    writable_again(&db.url).await;
}

fn purpose_form(csrf: &str, purpose: &str, version: &str) -> String {
    format!("csrf={csrf}&name=Bucks+Strategic+Partnership+Board&kind=board&purpose={}{version}", encode(purpose))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_and_none_acknowledged_is_lost() {
    let fs = Tmpfs::mount("24m");
    let url = format!("sqlite://{}", fs.path().join("placeworks.db").display());
    {
        let store = Store::connect(&url).await.unwrap();
        store.replace_council(&dataset::read(&placeworks_builtin::buckinghamshire()).unwrap(), "1").await.unwrap();
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        let grant = ("buckinghamshire".to_owned(), Grant::Secretariat(Slug::parse("bsp-board").unwrap()));
        store.create_account("sec", "secretariat@example.org", "Sally Secretariat", &hash, &[grant], 0).await.unwrap();
    }
    let app = app_on(&url).await;
    let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
    let edit = format!("{BSP}/edit");

    // A write while there is room: saved.
    let saved = "Saved while the disk had room";
    let (status, _, body) = post(&app, &edit, &session, &purpose_form(&csrf, saved, &opened_version(&app, &edit, &session).await)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

    // The disk fills: each write is refused, says so, and is not shown as saved.
    let filler = fill(fs.path());
    let mut refused = Vec::new();
    for i in 0..3 {
        let lost = format!("Typed when the disk was full {i}");
        let version = opened_version(&app, &edit, &session).await;
        let (status, _, body) = post(&app, &edit, &session, &purpose_form(&csrf, &lost, &version)).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "write {i} on a full disk: {body}");
        // Refused where the write is tried, or earlier, when even finding the
        // session needs the disk: either way the page says so.
        assert!(body.contains("has not been saved") && body.contains("disk is full"), "{body}");
        let (_, page) = get(&app, BSP, None).await;
        assert!(page.contains(saved) && !page.contains(&lost), "nothing unsaved is shown");
        refused.push(lost);
    }
    std::fs::remove_file(&filler).unwrap();

    // A restart finds what was acknowledged, and nothing that was refused.
    drop(app);
    let app = app_on(&url).await;
    let (_, page) = get(&app, BSP, None).await;
    assert!(page.contains(saved), "the acknowledged write survived");
    for lost in &refused {
        assert!(!page.contains(lost.as_str()), "a refused write is nowhere: {lost}");
    }
    let store = Store::connect(&url).await.unwrap();
    let edits = store.audit_trail("buckinghamshire").await.unwrap().into_iter().filter(|e| e.action == "edit-body").count();
    assert_eq!(edits, 1, "one edit acknowledged, one in the audit trail");

    // And with room again, writes are saved.
    let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
    let again = "Saved after the disk was cleared";
    let (status, _, _) = post(&app, &edit, &session, &purpose_form(&csrf, again, &opened_version(&app, &edit, &session).await)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(get(&app, BSP, None).await.1.contains(again));
}
