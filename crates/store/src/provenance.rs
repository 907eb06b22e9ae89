//! Where records come from: the sources of organisations, people, posts,
//! areas and meetings (`record_sources`; bodies, decisions and commitments
//! keep theirs with their parts), and, for every kind, the fields whose
//! values are the example's (`example_values`). Written with each record,
//! read once per council and put back on each record.

use crate::register::corrupt;
use crate::StoreError;
use placeworks_domain::ids::Slug;
use placeworks_domain::records::Register;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

type Key = (String, String);

/// Writes a record's provenance afresh: its sources (when the kind keeps
/// them here) and its example marks.
pub(crate) async fn write(tx: &mut AnyConnection, c: &str, kind: &str, record: &str, sources: Option<&[Slug]>, example: &[String]) -> Result<(), StoreError> {
    let tables: &[&str] = if sources.is_some() { &["record_sources", "example_values"] } else { &["example_values"] };
    for table in tables {
        sqlx::query(&format!("DELETE FROM {table} WHERE council = $1 AND record_kind = $2 AND record = $3"))
            .bind(c)
            .bind(kind)
            .bind(record)
            .execute(&mut *tx)
            .await?;
    }
    for (i, s) in sources.unwrap_or_default().iter().enumerate() {
        sqlx::query("INSERT INTO record_sources (council, record_kind, record, position, source) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(kind)
            .bind(record)
            .bind(i as i64)
            .bind(s.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for (i, f) in example.iter().enumerate() {
        sqlx::query("INSERT INTO example_values (council, record_kind, record, position, field) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(kind)
            .bind(record)
            .bind(i as i64)
            .bind(f.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Reads a council's provenance and puts it on the records of `reg`.
pub(crate) async fn attach(conn: &mut AnyConnection, council: &str, reg: &mut Register) -> Result<(), StoreError> {
    let mut sources: HashMap<Key, Vec<Slug>> = HashMap::new();
    for r in sqlx::query("SELECT record_kind, record, source FROM record_sources WHERE council = $1 ORDER BY record_kind, record, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        let source: String = r.try_get("source")?;
        sources.entry((r.try_get("record_kind")?, r.try_get("record")?)).or_default().push(Slug::parse(&source).map_err(corrupt)?);
    }
    let mut example: HashMap<Key, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT record_kind, record, field FROM example_values WHERE council = $1 ORDER BY record_kind, record, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        example.entry((r.try_get("record_kind")?, r.try_get("record")?)).or_default().push(r.try_get("field")?);
    }
    let mut s = |kind: &str, key: &str| sources.remove(&(kind.to_owned(), key.to_owned())).unwrap_or_default();
    let mut e = |kind: &str, key: &str| example.remove(&(kind.to_owned(), key.to_owned())).unwrap_or_default();
    for x in &mut reg.organisations {
        (x.sources, x.example) = (s("organisation", x.slug.as_str()), e("organisation", x.slug.as_str()));
    }
    for x in &mut reg.people {
        (x.sources, x.example) = (s("person", x.slug.as_str()), e("person", x.slug.as_str()));
    }
    for x in &mut reg.posts {
        (x.sources, x.example) = (s("post", x.slug.as_str()), e("post", x.slug.as_str()));
    }
    for x in &mut reg.areas {
        (x.sources, x.example) = (s("area", &x.code), e("area", &x.code));
    }
    for x in &mut reg.meetings {
        (x.sources, x.example) = (s("meeting", x.slug.as_str()), e("meeting", x.slug.as_str()));
    }
    for x in &mut reg.bodies {
        x.example = e("body", x.slug.as_str());
    }
    for x in &mut reg.decisions {
        x.example = e("decision", x.slug.as_str());
    }
    for x in &mut reg.commitments {
        x.example = e("commitment", x.slug.as_str());
    }
    Ok(())
}
