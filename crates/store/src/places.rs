//! Reading and writing a council's places: areas (with their boundaries and
//! members), indicators and their values.

use crate::register::{corrupt, json, opt_date, opt_str, slug};
use crate::StoreError;
use placeworks_domain::places::import::Missing;
use placeworks_domain::records::*;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// How much of the places a register is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Places {
    /// Everything: boundaries and every indicator value.
    Whole,
    /// Areas without their boundaries, and no indicator values: what a write
    /// needs to decide, without the weight of the maps and the statistics.
    ForWriting,
}

/// A council's areas, indicators and (for [`Places::Whole`]) values.
pub(crate) async fn read_places(
    conn: &mut AnyConnection,
    council: &str,
    places: Places,
) -> Result<(Vec<Area>, Vec<Indicator>, Vec<IndicatorValue>), StoreError> {
    let q = |table: &str| format!("SELECT * FROM {table} WHERE council = $1 ORDER BY position");
    let mut areas = Vec::new();
    let mut members: HashMap<String, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT area, member FROM area_members WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        members.entry(r.try_get("area")?).or_default().push(r.try_get("member")?);
    }
    for r in sqlx::query(&q("areas")).bind(council).fetch_all(&mut *conn).await? {
        let boundary: Option<String> = if places == Places::Whole { r.try_get("boundary")? } else { None };
        areas.push(Area {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            kind: AreaKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
            parent: r.try_get("parent")?,
            valid_from: opt_date(&r, "valid_from")?,
            valid_to: opt_date(&r, "valid_to")?,
            members: members.remove(&r.try_get::<String, _>("code")?).unwrap_or_default(),
            boundary: boundary.map(|b| serde_json::from_str::<Value>(&b).map(std::sync::Arc::new).map_err(corrupt)).transpose()?,
            note: r.try_get("note")?,
            sources: Vec::new(),
            example: Vec::new(),
        });
    }
    let mut indicators = Vec::new();
    for r in sqlx::query(&q("indicators")).bind(council).fetch_all(&mut *conn).await? {
        indicators.push(Indicator {
            slug: slug(&r, "slug")?,
            name: r.try_get("name")?,
            unit: r.try_get("unit")?,
            polarity: Polarity::parse(&r.try_get::<String, _>("polarity")?).map_err(corrupt)?,
            theme: r.try_get("theme")?,
            source: r.try_get("source")?,
            licence: r.try_get("licence")?,
            frequency: r.try_get("frequency")?,
            geography: AreaKind::parse(&r.try_get::<String, _>("geography")?).map_err(corrupt)?,
            note: r.try_get("note")?,
        });
    }
    let values = if places == Places::Whole { indicator_values(&mut *conn, council).await? } else { Vec::new() };
    Ok((areas, indicators, values))
}

async fn indicator_values(conn: &mut AnyConnection, council: &str) -> Result<Vec<IndicatorValue>, StoreError> {
    let mut out = Vec::new();
    for r in sqlx::query("SELECT * FROM indicator_values WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
        let missing: Option<String> = r.try_get("missing")?;
        out.push(IndicatorValue {
            indicator: slug(&r, "indicator")?,
            area: r.try_get("area")?,
            period: r.try_get("period")?,
            value: r.try_get("value")?,
            missing: missing.map(|m| Missing::parse(&m).ok_or_else(|| corrupt(format!("unknown missing-value reason `{m}`")))).transpose()?,
            numerator: r.try_get("numerator")?,
            denominator: r.try_get("denominator")?,
        });
    }
    Ok(out)
}

/// Inserts a council's areas, indicators and values, in order.
pub(crate) async fn insert_places(tx: &mut AnyConnection, reg: &Register) -> Result<(), StoreError> {
    let c = reg.council.slug.as_str();
    for (i, a) in reg.areas.iter().enumerate() {
        insert_area(tx, c, i as i64, a).await?;
    }
    for (i, ind) in reg.indicators.iter().enumerate() {
        insert_indicator(tx, c, i as i64, ind).await?;
    }
    insert_values(tx, c, 0, &reg.values).await?;
    Ok(())
}

pub(crate) async fn insert_indicator(tx: &mut AnyConnection, c: &str, position: i64, i: &Indicator) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO indicators (council, slug, position, name, unit, polarity, theme, source, licence, frequency, geography, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c)
    .bind(i.slug.as_str())
    .bind(position)
    .bind(&i.name)
    .bind(&i.unit)
    .bind(i.polarity.code())
    .bind(i.theme.clone())
    .bind(&i.source)
    .bind(&i.licence)
    .bind(i.frequency.clone())
    .bind(i.geography.code())
    .bind(i.note.clone())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Inserts values from `first_position` on, many rows a statement: a
/// council's values run to thousands.
pub(crate) async fn insert_values(tx: &mut AnyConnection, c: &str, first_position: i64, values: &[IndicatorValue]) -> Result<(), StoreError> {
    const ROWS: usize = 200;
    for (chunk_no, chunk) in values.chunks(ROWS).enumerate() {
        let mut sql = String::from("INSERT INTO indicator_values (council, indicator, area, period, position, value, missing, numerator, denominator) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 9;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9));
        }
        let mut q = sqlx::query(&sql);
        for (i, v) in chunk.iter().enumerate() {
            let position = first_position + (chunk_no * ROWS + i) as i64;
            q = q
                .bind(c)
                .bind(v.indicator.as_str())
                .bind(v.area.clone())
                .bind(v.period.clone())
                .bind(position)
                .bind(v.value)
                .bind(v.missing.map(|m| m.code()))
                .bind(v.numerator)
                .bind(v.denominator);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

pub(crate) async fn insert_area(tx: &mut AnyConnection, c: &str, position: i64, a: &Area) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO areas (council, code, position, name, kind, parent, valid_from, valid_to, boundary, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(&a.code)
    .bind(position)
    .bind(&a.name)
    .bind(a.kind.code())
    .bind(a.parent.clone())
    .bind(opt_str(&a.valid_from))
    .bind(opt_str(&a.valid_to))
    .bind(a.boundary.as_ref().map(json))
    .bind(a.note.clone())
    .execute(&mut *tx)
    .await?;
    crate::provenance::write(tx, c, "area", &a.code, Some(&a.sources), &a.example).await?;
    insert_area_members(tx, c, &a.code, &a.members).await
}

/// The areas a named set is made of, a row each.
pub(crate) async fn insert_area_members(tx: &mut AnyConnection, c: &str, area: &str, members: &[String]) -> Result<(), StoreError> {
    for (i, m) in members.iter().enumerate() {
        sqlx::query("INSERT INTO area_members (council, area, position, member) VALUES ($1, $2, $3, $4)")
            .bind(c)
            .bind(area)
            .bind(i as i64)
            .bind(m.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl crate::Store {
    /// Replaces a council's postcode lookup, with its audit entry, in one
    /// write transaction: the new lookup is stored whole, or the old one
    /// stays. `progress` is told how many postcodes are written so far.
    pub async fn replace_postcodes(
        &self,
        council: &str,
        postcodes: &std::collections::BTreeMap<String, String>,
        audit: &[crate::AuditEntry],
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<(), StoreError> {
        let mut w = self.begin_write(council).await?;
        let tx = w.inner();
        sqlx::query("DELETE FROM postcodes WHERE council = $1").bind(council).execute(&mut *tx).await?;
        let rows: Vec<(&String, &String)> = postcodes.iter().collect();
        let mut done = 0;
        for chunk in rows.chunks(1000) {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("($1, ${}, ${})", i * 2 + 2, i * 2 + 3)).collect();
            let sql = format!("INSERT INTO postcodes (council, postcode, area) VALUES {}", values.join(", "));
            let mut q = sqlx::query(&sql).bind(council);
            for (pc, area) in chunk {
                q = q.bind(pc.as_str()).bind(area.as_str());
            }
            q.execute(&mut *tx).await?;
            done += chunk.len();
            progress(done);
        }
        w.apply(&[], audit).await?;
        w.commit("import-postcodes").await?;
        Ok(())
    }

    /// The area a postcode (written as [`placeworks_domain::places::postcodes::normalise`] writes it) lies in.
    pub async fn postcode_area(&self, council: &str, postcode: &str) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT area FROM postcodes WHERE council = $1 AND postcode = $2").bind(council).bind(postcode).fetch_optional(self.pool()).await?;
        Ok(row.map(|r| r.try_get("area")).transpose()?)
    }

    /// How many postcodes a council's lookup holds (none until one is imported).
    pub async fn postcode_count(&self, council: &str) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM postcodes WHERE council = $1").bind(council).fetch_one(self.pool()).await?;
        Ok(row.try_get("n")?)
    }
}
