//! Reading and writing a council's service points and the baselines of
//! service each area is held to.

use crate::register::{corrupt, flag, opt_slug, slug};
use crate::StoreError;
use placeworks_domain::records::*;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A council's service points and baselines.
pub(crate) async fn read_services(conn: &mut AnyConnection, council: &str) -> Result<(Vec<ServicePoint>, Vec<Baseline>), StoreError> {
    let q = |table: &str| format!("SELECT * FROM {table} WHERE council = $1 ORDER BY position");
    let mut services = Vec::new();
    for r in sqlx::query(&q("services")).bind(council).fetch_all(&mut *conn).await? {
        services.push(ServicePoint {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            kind: ServiceKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
            extended: r.try_get::<i64, _>("extended")? != 0,
            area: r.try_get("area")?,
            note: r.try_get("note")?,
        });
    }
    let mut baselines = Vec::new();
    let mut requires: HashMap<String, Vec<Requirement>> = HashMap::new();
    let sql = format!("SELECT baseline, kind, {}, at_least FROM baseline_requirements WHERE council = $1 ORDER BY position", flag("extended"));
    for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
        let at_least: i64 = r.try_get("at_least")?;
        requires.entry(r.try_get("baseline")?).or_default().push(Requirement {
            kind: ServiceKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
            extended: r.try_get::<i64, _>("extended")? != 0,
            at_least: u32::try_from(at_least).map_err(|_| corrupt(format!("at_least {at_least}")))?,
        });
    }
    let mut posts: HashMap<String, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT baseline, title FROM baseline_posts WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        posts.entry(r.try_get("baseline")?).or_default().push(r.try_get("title")?);
    }
    let mut bodies: HashMap<String, Vec<BodyKind>> = HashMap::new();
    for r in sqlx::query("SELECT baseline, kind FROM baseline_bodies WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        bodies.entry(r.try_get("baseline")?).or_default().push(BodyKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?);
    }
    for r in sqlx::query(&q("baselines")).bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        baselines.push(Baseline {
            slug: slug(&r, "slug")?,
            area_kind: AreaKind::parse(&r.try_get::<String, _>("area_kind")?).map_err(corrupt)?,
            requires: requires.remove(&s).unwrap_or_default(),
            posts: posts.remove(&s).unwrap_or_default(),
            bodies: bodies.remove(&s).unwrap_or_default(),
            text: r.try_get("text")?,
            source: opt_slug(&r, "source")?,
        });
    }
    Ok((services, baselines))
}

/// Inserts a council's service points and baselines, in order.
pub(crate) async fn insert_services(tx: &mut AnyConnection, reg: &Register) -> Result<(), StoreError> {
    let c = reg.council.slug.as_str();
    for (i, p) in reg.services.iter().enumerate() {
        sqlx::query("INSERT INTO services (council, slug, position, name, kind, extended, area, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(c)
            .bind(p.slug.as_str())
            .bind(i as i64)
            .bind(&p.name)
            .bind(p.kind.code())
            .bind(i64::from(p.extended))
            .bind(&p.area)
            .bind(p.note.clone())
            .execute(&mut *tx)
            .await?;
    }
    for (i, b) in reg.baselines.iter().enumerate() {
        sqlx::query("INSERT INTO baselines (council, slug, position, area_kind, text, source) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(b.slug.as_str())
            .bind(i as i64)
            .bind(b.area_kind.code())
            .bind(&b.text)
            .bind(b.source.as_ref().map(|s| s.to_string()))
            .execute(&mut *tx)
            .await?;
        insert_requirements(tx, c, b.slug.as_str(), &b.requires).await?;
        for (i, t) in b.posts.iter().enumerate() {
            sqlx::query("INSERT INTO baseline_posts (council, baseline, position, title) VALUES ($1, $2, $3, $4)")
                .bind(c)
                .bind(b.slug.as_str())
                .bind(i as i64)
                .bind(t.as_str())
                .execute(&mut *tx)
                .await?;
        }
        for (i, k) in b.bodies.iter().enumerate() {
            sqlx::query("INSERT INTO baseline_bodies (council, baseline, position, kind) VALUES ($1, $2, $3, $4)")
                .bind(c)
                .bind(b.slug.as_str())
                .bind(i as i64)
                .bind(k.code())
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// What a baseline asks of each area, a row a requirement.
pub(crate) async fn insert_requirements(tx: &mut AnyConnection, c: &str, baseline: &str, requires: &[Requirement]) -> Result<(), StoreError> {
    for (i, q) in requires.iter().enumerate() {
        sqlx::query("INSERT INTO baseline_requirements (council, baseline, position, kind, extended, at_least) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(baseline)
            .bind(i as i64)
            .bind(q.kind.code())
            .bind(q.extended)
            .bind(i64::from(q.at_least))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
