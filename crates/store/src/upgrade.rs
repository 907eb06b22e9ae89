//! Carrying a database made by an earlier release forward: the SQL
//! migrations, and between them what SQL alone cannot do in both engines,
//! done in Rust: moving what earlier releases kept as JSON into the typed
//! columns and rows that migrations made for it, before a later migration
//! takes the JSON columns away.
//!
//! Each step finds nothing to do once done, and is safe with two servers
//! starting at once: each record is claimed by the statement that marks it
//! moved, and on PostgreSQL the whole upgrade holds an advisory lock.

use crate::decisions::write_decision_parts;
use crate::meetings::{delete_meeting_parts, insert_agenda_item, insert_attendance, set_meeting_details};
use crate::register::{insert_area_members, insert_council_lists, insert_requirements, insert_seat_groups, insert_substitutes, write_body_parts, BodyParts};
use crate::{Backend, StoreError};
use placeworks_domain::records::{BodyGroup, Cadence, ChairArrangement, Decision, DecisionRules, Meeting, Requirement, Source};
use placeworks_domain::Slug;
use sqlx::migrate::Migrator;
use sqlx::{AnyConnection, AnyPool, Row};

/// The migrations both engines share, and each engine's own (where the
/// types differ: dates and times).
static SHARED: Migrator = sqlx::migrate!("./migrations");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");
static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Every migration an engine runs, in order.
fn migrations(backend: Backend) -> Vec<sqlx::migrate::Migration> {
    let own = if backend == Backend::Postgres { &POSTGRES } else { &SQLITE };
    let mut all: Vec<_> = SHARED.iter().chain(own.iter()).cloned().collect();
    all.sort_by_key(|m| m.version);
    all
}

/// The migration that takes away the JSON columns: the moves run before it.
const DROPS_JSON: i64 = 14;

/// Runs every migration, with the moves of data before the one that needs them done.
pub(crate) async fn migrate(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let mut lock = None;
    if backend == Backend::Postgres {
        let mut conn = pool.acquire().await?;
        sqlx::query("SELECT pg_advisory_lock(7243001)").execute(&mut *conn).await?;
        lock = Some(conn);
    }
    let outcome = upgrade(pool, backend).await;
    if let Some(mut conn) = lock {
        if outcome.is_ok() {
            sqlx::query("SELECT pg_advisory_unlock(7243001)").execute(&mut *conn).await?;
        } else {
            // A connection still holding the lock is closed, never pooled.
            let _ = conn.close().await;
        }
    }
    outcome
}

async fn upgrade(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    let all = migrations(backend);
    if !applied(pool, DROPS_JSON).await? {
        let before = Migrator {
            migrations: all.iter().filter(|m| m.version < DROPS_JSON).cloned().collect::<Vec<_>>().into(),
            ignore_missing: true,
            ..Migrator::DEFAULT
        };
        before.run(pool).await?;
        let mut tx = pool.begin().await?;
        move_json_into_rows(&mut tx).await?;
        tx.commit().await?;
    }
    Migrator { migrations: all.into(), ..Migrator::DEFAULT }.run(pool).await?;
    Ok(())
}

/// Whether a migration has been applied (none has, to a new database).
async fn applied(pool: &AnyPool, version: i64) -> Result<bool, StoreError> {
    match sqlx::query("SELECT version FROM _sqlx_migrations WHERE version = $1 AND success").bind(version).fetch_optional(pool).await {
        Ok(row) => Ok(row.is_some()),
        // No migrations table yet: a new database.
        Err(sqlx::Error::Database(_)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn corrupt(what: &str, keys: &[String], e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what} {}: {e}", keys.join("/")))
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, keys: &[String], text: Option<&str>) -> Result<T, StoreError> {
    serde_json::from_str(text.unwrap_or("null")).map_err(|e| corrupt(what, keys, e))
}

/// A row whose JSON was claimed: its keys, the JSON, and the other columns asked for.
struct Claimed {
    keys: Vec<String>,
    json: String,
    extra: Vec<Option<String>>,
}

/// Claims every row of `table` whose JSON `column` has not been moved yet,
/// marking it moved (`marker`): a row another server claimed first is not
/// returned. `keys` name each row; `extra` are other columns to read.
async fn claim(tx: &mut AnyConnection, table: &str, keys: &[&str], extra: &[&str], column: &str, marker: &str) -> Result<Vec<Claimed>, StoreError> {
    let columns: Vec<&str> = keys.iter().chain(extra).chain([&column]).copied().collect();
    let rows = sqlx::query(&format!("SELECT {} FROM {table} WHERE {column} <> '{marker}'", columns.join(", "))).fetch_all(&mut *tx).await?;
    let which: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("{k} = ${}", i + 1)).collect();
    let update = format!("UPDATE {table} SET {column} = '{marker}' WHERE {} AND {column} <> '{marker}'", which.join(" AND "));
    let mut out = Vec::new();
    for r in rows {
        let keys: Vec<String> = keys.iter().map(|k| r.try_get(*k)).collect::<Result<_, _>>()?;
        let mut q = sqlx::query(&update);
        for k in &keys {
            q = q.bind(k.clone());
        }
        if q.execute(&mut *tx).await?.rows_affected() == 0 {
            continue; // Another server moved it first.
        }
        let extra = extra.iter().map(|c| r.try_get(*c)).collect::<Result<_, _>>()?;
        out.push(Claimed { json: r.try_get(column)?, keys, extra });
    }
    Ok(out)
}

/// Moves everything earlier releases kept as JSON into the typed columns and
/// rows of migrations 0010 to 0013, in one transaction.
async fn move_json_into_rows(tx: &mut AnyConnection) -> Result<(), StoreError> {
    // Meetings: their details and minutes, and (before 0010 and 0011) their
    // agenda items, papers and attendance.
    for c in claim(tx, "meetings", &["council", "slug"], &[], "record", "{}").await? {
        let m: Meeting = parse("meeting", &c.keys, Some(&c.json))?;
        let (council, slug) = (&c.keys[0], &c.keys[1]);
        let holds_agenda = !m.items.is_empty() || !m.attendance.is_empty();
        if holds_agenda {
            delete_meeting_parts(tx, council, slug).await?;
        }
        set_meeting_details(tx, council, &m).await?;
        if holds_agenda {
            for (i, item) in m.items.iter().enumerate() {
                insert_agenda_item(tx, council, slug, i as i64, item).await?;
            }
            for (i, a) in m.attendance.iter().enumerate() {
                insert_attendance(tx, council, slug, i as i64, a).await?;
            }
        }
    }
    // Decisions, kept whole before 0012.
    for c in claim(tx, "decisions", &["council", "slug"], &[], "record", "{}").await? {
        let d: Decision = parse("decision", &c.keys, Some(&c.json))?;
        write_decision_parts(tx, &c.keys[0], &d).await?;
    }
    // Bodies: cadence, chair, decision rules, groups and lists.
    let body_columns = ["terms_of_reference", "operation", "publication", "membership_notes", "cadence", "chair", "decisions", "body_groups", "sources"];
    for c in claim(tx, "bodies", &["council", "slug"], &body_columns, "areas", "").await? {
        let field = |i: usize| c.extra[i].as_deref();
        let areas: Vec<String> = parse("body", &c.keys, Some(&c.json))?;
        let texts: Vec<Vec<String>> = (0..4).map(|i| parse("body", &c.keys, field(i))).collect::<Result<_, _>>()?;
        let cadence: Option<Cadence> = parse("body", &c.keys, field(4))?;
        let chair: Option<ChairArrangement> = parse("body", &c.keys, field(5))?;
        let rules: DecisionRules = parse("body", &c.keys, field(6))?;
        let groups: Vec<BodyGroup> = parse("body", &c.keys, field(7))?;
        let sources: Vec<Slug> = parse("body", &c.keys, field(8))?;
        let texts: [&[String]; 5] = [&texts[0], &texts[1], &texts[2], &texts[3], &areas];
        write_body_parts(tx, &c.keys[0], &c.keys[1], &BodyParts::new(cadence.as_ref(), chair.as_ref(), &rules, &groups, texts, &sources)).await?;
    }
    for c in claim(tx, "seats", &["council", "body", "slug"], &[], "seat_groups", "").await? {
        let groups: Vec<Slug> = parse("seat", &c.keys, Some(&c.json))?;
        insert_seat_groups(tx, &c.keys[0], &c.keys[1], &c.keys[2], &groups).await?;
    }
    for c in claim(tx, "memberships", &["council", "slug"], &[], "substitutes", "").await? {
        let people: Vec<Slug> = parse("membership", &c.keys, Some(&c.json))?;
        insert_substitutes(tx, &c.keys[0], &c.keys[1], &people).await?;
    }
    for c in claim(tx, "councils", &["slug"], &["attribution"], "sources", "").await? {
        let sources: Vec<Source> = parse("council", &c.keys, Some(&c.json))?;
        let attribution: Vec<String> = parse("council", &c.keys, c.extra[0].as_deref())?;
        insert_council_lists(tx, &c.keys[0], &attribution, &sources).await?;
    }
    for c in claim(tx, "areas", &["council", "code"], &[], "members", "").await? {
        let members: Vec<String> = parse("area", &c.keys, Some(&c.json))?;
        insert_area_members(tx, &c.keys[0], &c.keys[1], &members).await?;
    }
    for c in claim(tx, "baselines", &["council", "slug"], &[], "requires", "").await? {
        let requires: Vec<Requirement> = parse("baseline", &c.keys, Some(&c.json))?;
        insert_requirements(tx, &c.keys[0], &c.keys[1], &requires).await?;
    }
    Ok(())
}
