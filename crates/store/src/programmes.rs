//! Reading and writing a council's programmes: a row each, and rows for
//! their levels (with the bodies at each), themes, outcomes and lists.

use crate::register::{corrupt, opt_date, opt_slug, slug};
use crate::StoreError;
use placeworks_domain::ids::Slug;
use placeworks_domain::programmes::*;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A programme: its row and the rows of its parts.
pub(crate) async fn insert_programme(tx: &mut AnyConnection, c: &str, position: i64, p: &Programme) -> Result<(), StoreError> {
    let s = p.slug.as_str();
    sqlx::query(
        "INSERT INTO programmes (council, slug, position, name, aim, launched, status, governed_by, roll_up, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(s)
    .bind(position)
    .bind(&p.name)
    .bind(&p.aim)
    .bind(p.launched.as_ref().map(ToString::to_string))
    .bind(p.status.code())
    .bind(p.governed_by.as_ref().map(ToString::to_string))
    .bind(p.roll_up.code())
    .bind(p.note.clone())
    .execute(&mut *tx)
    .await?;
    for (i, l) in p.levels.iter().enumerate() {
        sqlx::query("INSERT INTO programme_levels (council, programme, position, name, text) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(&l.name)
            .bind(l.text.clone())
            .execute(&mut *tx)
            .await?;
        for (j, b) in l.bodies.iter().enumerate() {
            sqlx::query("INSERT INTO programme_level_bodies (council, programme, level, position, body) VALUES ($1, $2, $3, $4, $5)")
                .bind(c)
                .bind(s)
                .bind(i as i64)
                .bind(j as i64)
                .bind(b.as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    for (i, t) in p.themes.iter().enumerate() {
        sqlx::query("INSERT INTO programme_themes (council, programme, position, slug, name, text) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(t.slug.as_str())
            .bind(&t.name)
            .bind(t.text.clone())
            .execute(&mut *tx)
            .await?;
    }
    for (i, o) in p.outcomes.iter().enumerate() {
        sqlx::query("INSERT INTO programme_outcomes (council, programme, position, slug, name) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(s)
            .bind(i as i64)
            .bind(o.slug.as_str())
            .bind(&o.name)
            .execute(&mut *tx)
            .await?;
    }
    let lists: [(&str, Vec<&str>); 4] = [
        ("area", p.areas.iter().map(String::as_str).collect()),
        ("decision", p.decisions.iter().map(Slug::as_str).collect()),
        ("source", p.sources.iter().map(Slug::as_str).collect()),
        ("example", p.example.iter().map(String::as_str).collect()),
    ];
    for (list, values) in lists {
        for (i, v) in values.into_iter().enumerate() {
            sqlx::query("INSERT INTO programme_lists (council, programme, list, position, value) VALUES ($1, $2, $3, $4, $5)")
                .bind(c)
                .bind(s)
                .bind(list)
                .bind(i as i64)
                .bind(v)
                .execute(&mut *tx)
                .await?;
        }
    }
    Ok(())
}

/// A council's programmes, in order.
pub(crate) async fn read_programmes(conn: &mut AnyConnection, council: &str) -> Result<Vec<Programme>, StoreError> {
    let mut bodies: HashMap<(String, i64), Vec<Slug>> = HashMap::new();
    for r in sqlx::query("SELECT programme, level, body FROM programme_level_bodies WHERE council = $1 ORDER BY programme, level, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        bodies.entry((r.try_get("programme")?, r.try_get("level")?)).or_default().push(slug(&r, "body")?);
    }
    let mut levels: HashMap<String, Vec<Level>> = HashMap::new();
    for r in sqlx::query("SELECT programme, position, name, text FROM programme_levels WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        let p: String = r.try_get("programme")?;
        let at: i64 = r.try_get("position")?;
        let l = Level { name: r.try_get("name")?, text: r.try_get("text")?, bodies: bodies.remove(&(p.clone(), at)).unwrap_or_default() };
        levels.entry(p).or_default().push(l);
    }
    let mut themes: HashMap<String, Vec<Theme>> = HashMap::new();
    for r in sqlx::query("SELECT programme, slug, name, text FROM programme_themes WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        themes.entry(r.try_get("programme")?).or_default().push(Theme { slug: slug(&r, "slug")?, name: r.try_get("name")?, text: r.try_get("text")? });
    }
    let mut outcomes: HashMap<String, Vec<Outcome>> = HashMap::new();
    for r in sqlx::query("SELECT programme, slug, name FROM programme_outcomes WHERE council = $1 ORDER BY programme, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        outcomes.entry(r.try_get("programme")?).or_default().push(Outcome { slug: slug(&r, "slug")?, name: r.try_get("name")? });
    }
    let mut lists: HashMap<(String, String), Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT programme, list, value FROM programme_lists WHERE council = $1 ORDER BY programme, list, position")
        .bind(council)
        .fetch_all(&mut *conn)
        .await?
    {
        lists.entry((r.try_get("programme")?, r.try_get("list")?)).or_default().push(r.try_get("value")?);
    }
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM programmes WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let s: String = r.try_get("slug")?;
        let mut list = |name: &str| lists.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
        let slugs = |v: Vec<String>| v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect::<Result<Vec<_>, _>>();
        out.push(Programme {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            aim: r.try_get("aim")?,
            launched: opt_date(&r, "launched")?,
            status: ProgrammeStatus::parse(&r.try_get::<String, _>("status")?).map_err(corrupt)?,
            governed_by: opt_slug(&r, "governed_by")?,
            levels: levels.remove(&s).unwrap_or_default(),
            themes: themes.remove(&s).unwrap_or_default(),
            outcomes: outcomes.remove(&s).unwrap_or_default(),
            areas: list("area"),
            decisions: slugs(list("decision"))?,
            roll_up: RollUp::parse(&r.try_get::<String, _>("roll_up")?).map_err(corrupt)?,
            sources: slugs(list("source"))?,
            example: list("example"),
            note: r.try_get("note")?,
        });
    }
    Ok(out)
}
