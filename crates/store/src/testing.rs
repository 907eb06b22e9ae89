//! Test databases on both engines, for this crate's tests and the web crate's.
//!
//! SQLite always runs, in a temporary file. PostgreSQL runs when
//! `PLACEWORKS_TEST_POSTGRES` names a server (scripts/test starts one); each
//! test gets a database of its own. Without that variable the PostgreSQL half
//! fails, unless `PLACEWORKS_SKIP_POSTGRES=1` says to skip it on purpose, so
//! that a missing server can never pass unnoticed.

use crate::Store;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty, migrated store, and what keeps it alive.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh SQLite store in a temporary folder.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::connect(&url).await.expect("SQLite store");
    TestDb { store, url, name: "sqlite", _dir: Some(dir) }
}

/// A fresh PostgreSQL database on the test server, or `None` when skipping on purpose.
pub async fn postgres() -> Option<TestDb> {
    let url = empty_postgres().await?;
    let store = Store::connect(&url).await.expect("PostgreSQL store");
    Some(TestDb { store, url, name: "postgres", _dir: None })
}

/// The address of a new, empty PostgreSQL database on the test server (no
/// migrations run: for a test that fills it as an earlier release would),
/// or `None` when skipping on purpose. It is dropped, as every test
/// database is, once its test process has ended.
pub async fn empty_postgres() -> Option<String> {
    let Ok(admin_url) = std::env::var("PLACEWORKS_TEST_POSTGRES") else {
        if std::env::var("PLACEWORKS_SKIP_POSTGRES").as_deref() == Ok("1") {
            eprintln!("PLACEWORKS_SKIP_POSTGRES=1: skipping the PostgreSQL half of this test");
            return None;
        }
        panic!("PLACEWORKS_TEST_POSTGRES is not set: run scripts/test, which starts PostgreSQL, or set PLACEWORKS_SKIP_POSTGRES=1");
    };
    let admin = admin_pool(&admin_url).await;
    drop_databases_of_ended_tests(&admin).await;
    let name = format!("pw_test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), nanos());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create test database");
    admin.close().await;
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b).to_owned();
    Some(format!("{base}/{name}"))
}

/// Each test process leaves its databases behind when it ends (nothing async
/// runs at exit), and a full suite makes hundreds. So each new one first drops
/// those whose test process has ended: the process id is in the name, and a
/// process that has ended has no `/proc` entry. Two tests sweeping at once may
/// race for one database; the loser's error is of no consequence.
async fn drop_databases_of_ended_tests(admin: &sqlx::AnyPool) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'pw\\_test\\_%'").fetch_all(admin).await.expect("the test databases");
    for name in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let ended = pid.is_some_and(|pid| pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists());
        if ended {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin).await;
        }
    }
}

/// A pool on the server's own database, for making and dropping test
/// databases: never migrated, so it holds none of the store's tables.
async fn admin_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::new().max_connections(2).connect(url).await.expect("the test PostgreSQL server")
}

fn nanos() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

/// Makes a PostgreSQL test database read-only, or writable again, the way a
/// standby is after a failover: every new session defaults to read-only
/// transactions, and the sessions open now are ended, so that the pool
/// connects again and finds the database read-only.
pub async fn set_postgres_read_only(db: &TestDb, read_only: bool) {
    let admin_url = std::env::var("PLACEWORKS_TEST_POSTGRES").expect("PLACEWORKS_TEST_POSTGRES");
    let name = db.url.rsplit('/').next().expect("a database name");
    let admin = admin_pool(&admin_url).await;
    let setting = if read_only { "on" } else { "off" };
    sqlx::query(&format!("ALTER DATABASE {name} SET default_transaction_read_only = {setting}")).execute(&admin).await.expect("alter database");
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
        .bind(name)
        .execute(&admin)
        .await
        .expect("end the database's sessions");
    admin.close().await;
}

/// Both engines: SQLite always, PostgreSQL unless skipped on purpose.
pub async fn both() -> Vec<TestDb> {
    let mut out = vec![sqlite().await];
    out.extend(postgres().await);
    out
}

/// The clock tests run on: the system's, or, when `PLACEWORKS_TEST_TODAY`
/// names a day (scripts/test sets 2031-06-01 for a second run), a clock
/// running from 09:00 London time on that day. Every test that needs "today"
/// asks this, so the suite passes on whatever day it runs.
pub fn clock() -> placeworks_kernel::Clock {
    match std::env::var("PLACEWORKS_TEST_TODAY") {
        Ok(day) if !day.trim().is_empty() => placeworks_kernel::Clock::parse_start(&day).unwrap_or_else(|e| panic!("PLACEWORKS_TEST_TODAY: {e}")),
        _ => placeworks_kernel::Clock::system(),
    }
}

/// The clock for tests of the 2008 Bucks Strategic Partnership's business
/// (its Board, CADEX, the Implementation Group and the rest). The built-in
/// example has those bodies meet from January 2010 until they ended with the
/// County Council in March 2020, so such a test runs seventeen years before
/// the day `clock()` gives: 5 December 2009 for 5 December 2026, 1 June 2014
/// for the 2031 run (brought back eight years at a time should that fall
/// after 2018). It runs on from 09:00 London time on that day.
pub fn bsp_era_clock() -> placeworks_kernel::Clock {
    let last = chrono::NaiveDate::from_ymd_opt(2018, 12, 31).expect("a day");
    let mut day = clock().today() - chrono::Months::new(17 * 12);
    while day > last {
        day = day - chrono::Months::new(8 * 12);
    }
    placeworks_kernel::Clock::parse_start(&day.to_string()).expect("a day the clock reads")
}

/// Where papers go in a test, both kinds: a temporary folder always, and a
/// prefix of its own in the S3-compatible test server (moto, which
/// scripts/test starts and names in `PLACEWORKS_TEST_S3` as
/// `http://HOST:PORT/BUCKET`) unless `PLACEWORKS_SKIP_S3=1` skips it on purpose.
pub fn paper_stores() -> Vec<(crate::Papers, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut out = vec![(crate::Papers::folder(dir.path()).expect("papers folder"), Some(dir))];
    if let Some((url, settings)) = s3() {
        let s: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
        out.push((crate::Papers::s3(&url, &s).expect("papers in the test bucket"), None));
    }
    out
}

/// An `s3://` location with a prefix of its own in the test bucket, and
/// the settings to reach the test server (as `AWS_*` names, lower-cased),
/// or `None` when skipping on purpose.
pub fn s3() -> Option<(String, Vec<(&'static str, String)>)> {
    let Ok(server) = std::env::var("PLACEWORKS_TEST_S3") else {
        if std::env::var("PLACEWORKS_SKIP_S3").as_deref() == Ok("1") {
            eprintln!("PLACEWORKS_SKIP_S3=1: skipping the S3 half of this test");
            return None;
        }
        panic!("PLACEWORKS_TEST_S3 is not set: run scripts/test, which starts an S3-compatible server, or set PLACEWORKS_SKIP_S3=1");
    };
    let (endpoint, bucket) = server.trim_end_matches('/').rsplit_once('/').expect("PLACEWORKS_TEST_S3 is http://HOST:PORT/BUCKET");
    let prefix = format!("t{}-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), nanos());
    let settings = vec![
        ("aws_endpoint", endpoint.to_owned()),
        ("aws_allow_http", "true".to_owned()),
        ("aws_region", "eu-west-2".to_owned()),
        ("aws_access_key_id", "placeworks-test".to_owned()),
        ("aws_secret_access_key", "placeworks-test".to_owned()),
        ("aws_virtual_hosted_style_request", "false".to_owned()),
    ];
    Some((format!("s3://{bucket}/{prefix}"), settings))
}
