//! Reading and writing a council's register.

pub(crate) use crate::places::{insert_area_members, insert_indicator, insert_values, Places};
pub(crate) use crate::services::insert_requirements;
use crate::{Store, StoreError};
use placeworks_domain::ids::{PartialDate, Slug};
use placeworks_domain::records::*;
use placeworks_domain::visibility::Exemption;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A council held in the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CouncilSummary {
    pub slug: String,
    pub name: String,
    pub loaded_at: String,
}

/// The tables holding one council's rows, children first so deletes never
/// leave an orphan behind.
const COUNCIL_TABLES: &[&str] = &[
    "plan_lists",
    "plan_action_lists",
    "plan_actions",
    "action_plans",
    "strategy_lists",
    "strategy_objective_measures",
    "strategy_objectives",
    "strategy_aims",
    "strategies",
    "money_lists",
    "agreement_services",
    "agreements",
    "contributions",
    "fund_spend",
    "fund_bids",
    "fund_allocations",
    "funds",
    "measure_actual_entries",
    "measure_lists",
    "measure_actuals",
    "measure_targets",
    "measures",
    "initiative_lists",
    "initiative_milestones",
    "initiatives",
    "programme_level_bodies",
    "programme_levels",
    "programme_themes",
    "programme_outcomes",
    "programme_lists",
    "programme_highlights",
    "programmes",
    "record_sources",
    "example_values",
    "area_members",
    "baseline_requirements",
    "baseline_posts",
    "baseline_bodies",
    "powers",
    "escalation_stages",
    "commitment_sources",
    "commitments",
    "dispute_steps",
    "dispute_parties",
    "disputes",
    "attributions",
    "council_sources",
    "minutes",
    "substitutes",
    "seat_groups",
    "body_lists",
    "body_groups",
    "standing_items",
    "chair_agrees",
    "decision_lists",
    "ratifications",
    "resolutions",
    "approvals",
    "attendance",
    "papers",
    "agenda_items",
    "meetings",
    "decisions",
    "services",
    "baselines",
    "indicator_values",
    "indicators",
    "memberships",
    "seats",
    "relations",
    "posts",
    "bodies",
    "people",
    "organisations",
    "areas",
];

pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("register values serialise")
}

pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

pub(crate) fn slug(row: &AnyRow, col: &str) -> Result<Slug, StoreError> {
    let s: String = row.try_get(col)?;
    Slug::parse(&s).map_err(corrupt)
}

pub(crate) fn opt_slug(row: &AnyRow, col: &str) -> Result<Option<Slug>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| Slug::parse(&s).map_err(corrupt)).transpose()
}

pub(crate) fn opt_date(row: &AnyRow, col: &str) -> Result<Option<PartialDate>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| PartialDate::parse(&s).map_err(corrupt)).transpose()
}

pub(crate) fn opt_str(d: &Option<PartialDate>) -> Option<String> {
    d.as_ref().map(|d| d.to_string())
}

pub(crate) fn party_parts(p: &Option<Party>) -> (Option<&'static str>, Option<String>) {
    match p {
        Some(Party::Organisation(s)) => (Some("organisation"), Some(s.to_string())),
        Some(Party::Body(s)) => (Some("body"), Some(s.to_string())),
        None => (None, None),
    }
}

pub(crate) fn party_from(kind: Option<String>, s: Option<String>) -> Result<Option<Party>, StoreError> {
    match (kind.as_deref(), s) {
        (Some("organisation"), Some(s)) => Ok(Some(Party::Organisation(Slug::parse(&s).map_err(corrupt)?))),
        (Some("body"), Some(s)) => Ok(Some(Party::Body(Slug::parse(&s).map_err(corrupt)?))),
        (None, None) => Ok(None),
        (k, _) => Err(corrupt(format!("unknown party kind {k:?}"))),
    }
}

impl Store {
    /// The councils held, in name order.
    pub async fn councils(&self) -> Result<Vec<CouncilSummary>, StoreError> {
        let rows = sqlx::query("SELECT slug, name, loaded_at FROM councils ORDER BY name").fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(CouncilSummary { slug: r.try_get("slug")?, name: r.try_get("name")?, loaded_at: r.try_get("loaded_at")? })).collect()
    }

    /// The name and area a council is held under, when it is held.
    pub async fn council_identity(&self, council: &str) -> Result<Option<(String, Option<String>)>, StoreError> {
        let row = sqlx::query("SELECT name, area FROM councils WHERE slug = $1").bind(council).fetch_optional(self.pool()).await?;
        row.map(|r| Ok((r.try_get("name")?, r.try_get("area")?))).transpose()
    }

    /// Whether no council has been loaded yet.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM councils").fetch_one(self.pool()).await?;
        Ok(row.try_get::<i64, _>("n")? == 0)
    }

    /// Loads (or replaces) one council's register in a single transaction:
    /// either the whole register is stored, or nothing changes. Other
    /// councils' rows are not touched. Returns the council's new version.
    pub async fn replace_council(&self, reg: &Register, loaded_at: &str) -> Result<i64, StoreError> {
        self.load_council(reg, loaded_at, None).await
    }

    /// Loads (or replaces) one council's register, as [`Store::replace_council`],
    /// with an entry in its audit trail. The load is a write like any other:
    /// it takes the council's write lock, bumps its version and reaches
    /// every server's read model through the change feed.
    pub async fn load_council(&self, reg: &Register, loaded_at: &str, audit: Option<&crate::AuditEntry>) -> Result<i64, StoreError> {
        let _gate = match &self.write_gate {
            Some(gate) => Some(gate.lock().await),
            None => None,
        };
        let begin = match self.backend {
            crate::Backend::Sqlite => "BEGIN IMMEDIATE",
            crate::Backend::Postgres => "BEGIN ISOLATION LEVEL READ COMMITTED",
        };
        let mut txn = crate::write::Held::begin(self.pool(), begin).await?;
        let tx = txn.conn();
        let c = reg.council.slug.as_str();
        let held = sqlx::query("UPDATE councils SET version = version + 1 WHERE slug = $1 RETURNING version").bind(c).fetch_optional(&mut *tx).await?;
        let version: i64 = match held {
            Some(row) => row.try_get("version")?,
            None => {
                sqlx::query(
                    "INSERT INTO councils (slug, name, area, description, brand_colour, loaded_at, version, loaded_version) \
                     VALUES ($1, '', NULL, '', '', '', 1, 1)",
                )
                .bind(c)
                .execute(&mut *tx)
                .await?;
                1
            }
        };
        delete_council_rows(tx, c).await?;
        sqlx::query("DELETE FROM record_versions WHERE council = $1").bind(c).execute(&mut *tx).await?;
        sqlx::query(
            "UPDATE councils SET name = $2, area = $3, description = $4, brand_colour = $5, loaded_at = $6, loaded_version = $7, giving_prefix = $8, org_id = $9 WHERE slug = $1",
        )
            .bind(c)
            .bind(&reg.council.name)
            .bind(reg.council.area.clone())
            .bind(&reg.council.description)
            .bind(&reg.council.brand_colour)
            .bind(loaded_at)
            .bind(version)
            .bind(reg.council.giving_prefix.clone())
            .bind(reg.council.org_id.clone())
            .execute(&mut *tx)
            .await?;
        insert_council_lists(tx, c, &reg.council.attribution, &reg.council.sources).await?;
        insert_register_rows(tx, reg).await?;
        if let Some(e) = audit {
            crate::audit::append(tx, e, Some(version)).await?;
        }
        sqlx::query("INSERT INTO changes (council, version, at, action) VALUES ($1, $2, $3, 'load')")
            .bind(c)
            .bind(version)
            .bind(self.clock.unix())
            .execute(&mut *tx)
            .await?;
        if self.backend == crate::Backend::Postgres {
            sqlx::query("SELECT pg_notify('placeworks_changes', $1)").bind(format!("{c} {version}")).execute(&mut *tx).await?;
        }
        txn.commit().await?;
        Ok(version)
    }

    /// Removes one council and everything it holds.
    pub async fn remove_council(&self, council: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool().begin().await?;
        delete_council_rows(&mut tx, council).await?;
        sqlx::query("DELETE FROM record_versions WHERE council = $1").bind(council).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM postcodes WHERE council = $1").bind(council).execute(&mut *tx).await?;
        let n = sqlx::query("DELETE FROM councils WHERE slug = $1").bind(council).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(n > 0)
    }

    /// Reads one council's whole register, and the version it was read at,
    /// in one snapshot: a write that commits meanwhile is wholly in it or
    /// wholly not.
    pub async fn register_at(&self, council: &str) -> Result<Option<(Register, i64)>, StoreError> {
        let begin = match self.backend {
            crate::Backend::Sqlite => "BEGIN",
            crate::Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        let mut tx = self.pool().begin_with(begin).await?;
        let Some(version) = council_version(&mut tx, council).await? else { return Ok(None) };
        let reg = read_register(&mut tx, council, Places::Whole).await?;
        tx.commit().await?;
        Ok(reg.map(|r| (r, version)))
    }

    /// Reads one council's whole register.
    pub async fn register(&self, council: &str) -> Result<Option<Register>, StoreError> {
        Ok(self.register_at(council).await?.map(|(r, _)| r))
    }

    /// The change feed of a council after `version`: each write's version
    /// and action, in order.
    pub async fn changes_since(&self, council: &str, version: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let rows = sqlx::query("SELECT version, action FROM changes WHERE council = $1 AND version > $2 ORDER BY version")
            .bind(council)
            .bind(version)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(|r| Ok((r.try_get("version")?, r.try_get("action")?))).collect()
    }

    /// Each council held, with its version.
    pub async fn council_versions(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query("SELECT slug, version FROM councils ORDER BY slug").fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((r.try_get("slug")?, r.try_get("version")?))).collect()
    }
}

/// A council's version, when it is held.
pub(crate) async fn council_version(conn: &mut AnyConnection, council: &str) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT version FROM councils WHERE slug = $1").bind(council).fetch_optional(&mut *conn).await?;
    row.map(|r| r.try_get("version")).transpose().map_err(Into::into)
}

/// Reads one council's register over a connection (inside a transaction, to
/// read one snapshot).
pub(crate) async fn read_register(conn: &mut AnyConnection, council: &str, places: Places) -> Result<Option<Register>, StoreError> {
    {
        let Some(row) = sqlx::query("SELECT * FROM councils WHERE slug = $1").bind(council).fetch_optional(&mut *conn).await? else {
            return Ok(None);
        };
        let mut council_rec = Council {
            slug: slug(&row, "slug")?,
            name: row.try_get("name")?,
            area: row.try_get("area")?,
            description: row.try_get("description")?,
            brand_colour: row.try_get("brand_colour")?,
            attribution: Vec::new(),
            sources: Vec::new(),
            giving_prefix: row.try_get("giving_prefix")?,
            org_id: row.try_get("org_id")?,
        };
        for r in sqlx::query("SELECT line FROM attributions WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
            council_rec.attribution.push(r.try_get("line")?);
        }
        for r in
            sqlx::query("SELECT key, title, source_date FROM council_sources WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await?
        {
            council_rec.sources.push(Source { key: slug(&r, "key")?, title: r.try_get("title")?, date: opt_date(&r, "source_date")? });
        }
        let q = |table: &str| format!("SELECT * FROM {table} WHERE council = $1 ORDER BY position");

        let mut organisations = Vec::new();
        for r in sqlx::query(&q("organisations")).bind(council).fetch_all(&mut *conn).await? {
            organisations.push(Organisation {
                slug: slug(&r, "slug")?,
                name: r.try_get("name")?,
                short_name: r.try_get("short_name")?,
                kind: OrganisationKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
                sector: Sector::parse(&r.try_get::<String, _>("sector")?).map_err(corrupt)?,
                parent: opt_slug(&r, "parent")?,
                ended: opt_date(&r, "ended")?,
                note: r.try_get("note")?,
                sources: Vec::new(),
                example: Vec::new(),
            });
        }
        let mut people = Vec::new();
        for r in sqlx::query(&q("people")).bind(council).fetch_all(&mut *conn).await? {
            people.push(Person {
                slug: slug(&r, "slug")?,
                name: r.try_get("name")?,
                note: r.try_get("note")?,
                exempt: opt_exempt(&r)?,
                sources: Vec::new(),
                example: Vec::new(),
            });
        }
        let mut posts = Vec::new();
        for r in sqlx::query(&q("posts")).bind(council).fetch_all(&mut *conn).await? {
            let of = party_from(r.try_get("of_kind")?, r.try_get("of_slug")?)?.ok_or_else(|| corrupt("a post without an owner"))?;
            posts.push(Post {
                slug: slug(&r, "slug")?,
                title: r.try_get("title")?,
                of,
                holder: opt_slug(&r, "holder")?,
                area: r.try_get("area")?,
                party: r.try_get("party")?,
                start: opt_date(&r, "holder_start")?,
                end: opt_date(&r, "holder_end")?,
                sources: Vec::new(),
                example: Vec::new(),
            });
        }
        let mut bodies = Vec::new();
        let mut groups: HashMap<String, Vec<BodyGroup>> = HashMap::new();
        for r in sqlx::query("SELECT body, slug, name FROM body_groups WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
            groups.entry(r.try_get("body")?).or_default().push(BodyGroup { slug: slug(&r, "slug")?, name: r.try_get("name")? });
        }
        // Standing items and what the chair agrees: rows of their own.
        let mut extra: HashMap<(&str, String), Vec<String>> = HashMap::new();
        for (table, column) in [("standing_items", "title"), ("chair_agrees", "what"), ("escalation_stages", "stage")] {
            let sql = format!("SELECT body, {column} AS value FROM {table} WHERE council = $1 ORDER BY position");
            for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
                extra.entry((table, r.try_get("body")?)).or_default().push(r.try_get("value")?);
            }
        }
        let mut powers: HashMap<String, Vec<Power>> = HashMap::new();
        for r in sqlx::query("SELECT body, slug, text, held_by FROM powers WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
            powers.entry(r.try_get("body")?).or_default().push(Power { slug: slug(&r, "slug")?, text: r.try_get("text")?, held_by: r.try_get("held_by")? });
        }
        let mut listed: HashMap<(String, String), Vec<String>> = HashMap::new();
        for r in sqlx::query("SELECT body, list, value FROM body_lists WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
            listed.entry((r.try_get("body")?, r.try_get("list")?)).or_default().push(r.try_get("value")?);
        }
        let sql = format!(
            "SELECT slug, name, short_name, kind, statutory, purpose, agenda_notice_days, secretariat, accountable_body, established, ended, \
             review_due, review, note, exempt, cadence_text, cadence_rule, {}, chair_kind, chair_text, chair_post, \
             chair_rotation_meetings, {}, {}, {}, quorum, decision_notice_days, {} FROM bodies WHERE council = $1 ORDER BY position",
            crate::dialect::column("cadence_first"),
            flag("chair_hosts"),
            flag("by_consensus"),
            flag("voting"),
            flag("ratification_by_constituents")
        );
        for r in sqlx::query(&sql).bind(council).fetch_all(&mut *conn).await? {
            let s: String = r.try_get("slug")?;
            let mut list = |name: &str| listed.remove(&(s.clone(), name.to_owned())).unwrap_or_default();
            let slugs = |v: Vec<String>| v.iter().map(|x| Slug::parse(x).map_err(corrupt)).collect::<Result<Vec<_>, _>>();
            let count = |col: &str| -> Result<Option<u32>, StoreError> {
                r.try_get::<Option<i64>, _>(col)?.map(|n| u32::try_from(n).map_err(|_| corrupt(format!("{col} {n}")))).transpose()
            };
            let on = |col: &str| -> Result<Option<bool>, StoreError> { Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v != 0)) };
            let cadence = match r.try_get::<Option<String>, _>("cadence_text")? {
                Some(text) => Some(Cadence {
                    text,
                    rule: r.try_get("cadence_rule")?,
                    first: r
                        .try_get::<Option<String>, _>("cadence_first")?
                        .map(|f| crate::dialect::iso(crate::dialect::Kind::Timestamp, f))
                        .map(|f| f.parse().map_err(|e| corrupt(format!("cadence_first {f:?}: {e}"))))
                        .transpose()?,
                }),
                None => None,
            };
            let rotation = slugs(list("chair-rotation"))?;
            let agrees = extra.remove(&("chair_agrees", s.clone())).unwrap_or_default();
            let agrees = agrees.iter().map(|a| ApprovalKind::parse(a).map_err(corrupt)).collect::<Result<Vec<_>, _>>()?;
            let standing_items = extra.remove(&("standing_items", s.clone())).unwrap_or_default();
            let chair = match r.try_get::<Option<String>, _>("chair_kind")? {
                Some(kind) => Some(ChairArrangement {
                    kind: ChairKind::parse(&kind).map_err(corrupt)?,
                    text: r.try_get("chair_text")?,
                    post: opt_slug(&r, "chair_post")?,
                    rotation_meetings: count("chair_rotation_meetings")?,
                    chair_hosts: on("chair_hosts")?.unwrap_or(false),
                    rotation,
                    agrees,
                }),
                None => None,
            };
            bodies.push(Body {
                slug: slug(&r, "slug")?,
                name: r.try_get("name")?,
                short_name: r.try_get("short_name")?,
                kind: BodyKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
                statutory: r.try_get::<i64, _>("statutory")? != 0,
                purpose: r.try_get("purpose")?,
                terms_of_reference: list("terms-of-reference"),
                operation: list("operation"),
                cadence,
                chair,
                decisions: DecisionRules {
                    consensus: on("by_consensus")?.unwrap_or(false),
                    voting: on("voting")?,
                    quorum: count("quorum")?,
                    notice_days: count("decision_notice_days")?,
                    ratification_by_constituents: on("ratification_by_constituents")?.unwrap_or(false),
                    text: list("decision-rule"),
                },
                agenda_notice_days: count("agenda_notice_days")?,
                publication: list("publication"),
                secretariat: opt_slug(&r, "secretariat")?,
                accountable_body: opt_slug(&r, "accountable_body")?,
                groups: groups.remove(&s).unwrap_or_default(),
                established: opt_date(&r, "established")?,
                ended: opt_date(&r, "ended")?,
                review_due: opt_date(&r, "review_due")?,
                review: r.try_get("review")?,
                membership_notes: list("membership-note"),
                standing_items,
                powers: powers.remove(&s).unwrap_or_default(),
                escalation: extra.remove(&("escalation_stages", s.clone())).unwrap_or_default(),
                areas: list("area"),
                sources: slugs(list("source"))?,
                example: Vec::new(),
                note: r.try_get("note")?,
                exempt: opt_exempt(&r)?,
            });
        }
        // Seats keep the order of the bodies they belong to, then their own.
        let mut seats = Vec::new();
        let mut seat_groups: HashMap<(String, String), Vec<Slug>> = HashMap::new();
        for r in sqlx::query("SELECT body, seat, group_slug FROM seat_groups WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
            seat_groups.entry((r.try_get("body")?, r.try_get("seat")?)).or_default().push(slug(&r, "group_slug")?);
        }
        for r in sqlx::query(&q("seats")).bind(council).fetch_all(&mut *conn).await? {
            seats.push(Seat {
                body: slug(&r, "body")?,
                slug: slug(&r, "slug")?,
                label: r.try_get("label")?,
                source_text: r.try_get("source_text")?,
                role: Role::parse(&r.try_get::<String, _>("role")?).map_err(corrupt)?,
                on_behalf_of: party_from(r.try_get("on_behalf_kind")?, r.try_get("on_behalf_slug")?)?,
                post: opt_slug(&r, "post")?,
                groups: seat_groups.remove(&(r.try_get("body")?, r.try_get("slug")?)).unwrap_or_default(),
                note: r.try_get("note")?,
                exempt: opt_exempt(&r)?,
            });
        }
        let mut memberships = Vec::new();
        let mut substitutes: HashMap<String, Vec<Slug>> = HashMap::new();
        for r in sqlx::query("SELECT membership, person FROM substitutes WHERE council = $1 ORDER BY position").bind(council).fetch_all(&mut *conn).await? {
            substitutes.entry(r.try_get("membership")?).or_default().push(slug(&r, "person")?);
        }
        for r in sqlx::query(&q("memberships")).bind(council).fetch_all(&mut *conn).await? {
            memberships.push(Membership {
                slug: slug(&r, "slug")?,
                body: slug(&r, "body")?,
                seat: slug(&r, "seat")?,
                person: opt_slug(&r, "person")?,
                start: opt_date(&r, "start_date")?,
                end: opt_date(&r, "end_date")?,
                substitutes: substitutes.remove(&r.try_get::<String, _>("slug")?).unwrap_or_default(),
                exempt: opt_exempt(&r)?,
            });
        }
        let mut relations = Vec::new();
        for r in sqlx::query(&q("relations")).bind(council).fetch_all(&mut *conn).await? {
            relations.push(Relation {
                kind: RelationKind::parse(&r.try_get::<String, _>("kind")?).map_err(corrupt)?,
                from: slug(&r, "from_body")?,
                to: slug(&r, "to_body")?,
                note: r.try_get("note")?,
                exempt: opt_exempt(&r)?,
            });
        }
        let (areas, indicators, values) = crate::places::read_places(&mut *conn, council, places).await?;
        let (services, baselines) = crate::services::read_services(&mut *conn, council).await?;
        let decisions = crate::decisions::read_decisions(conn, council).await?;
        let meetings = crate::meetings::read_meetings(conn, council).await?;
        let (commitments, disputes) = crate::decisions::read_undertakings(conn, council).await?;
        let programmes = crate::programmes::read_programmes(conn, council).await?;
        let measures = crate::programmes::read_measures(conn, council).await?;
        let initiatives = crate::programmes::read_initiatives(conn, council).await?;
        let (funds, contributions, agreements) = crate::programmes::read_money(conn, council).await?;
        let strategies = crate::programmes::plans::read_strategies(conn, council).await?;
        let plans = crate::programmes::plans::read_plans(conn, council).await?;
        let mut reg = Register {
            council: council_rec,
            organisations,
            people,
            posts,
            bodies,
            seats,
            memberships,
            relations,
            areas,
            indicators,
            values,
            services,
            baselines,
            decisions,
            meetings,
            commitments,
            disputes,
            programmes,
            measures,
            initiatives,
            funds,
            contributions,
            agreements,
            strategies,
            plans,
        };
        crate::provenance::attach(conn, council, &mut reg).await?;
        Ok(Some(reg))
    }
}

async fn delete_council_rows(tx: &mut AnyConnection, council: &str) -> Result<(), StoreError> {
    for table in COUNCIL_TABLES {
        sqlx::query(&format!("DELETE FROM {table} WHERE council = $1")).bind(council).execute(&mut *tx).await?;
    }
    Ok(())
}

async fn insert_register_rows(tx: &mut AnyConnection, reg: &Register) -> Result<(), StoreError> {
    let c = reg.council.slug.as_str();
    for (i, o) in reg.organisations.iter().enumerate() {
        insert_organisation(tx, c, i as i64, o).await?;
    }
    for (i, p) in reg.people.iter().enumerate() {
        insert_person(tx, c, i as i64, p).await?;
    }
    for (i, p) in reg.posts.iter().enumerate() {
        insert_post(tx, c, i as i64, p).await?;
    }
    for (i, b) in reg.bodies.iter().enumerate() {
        insert_body(tx, c, i as i64, b).await?;
    }
    for (i, s) in reg.seats.iter().enumerate() {
        insert_seat(tx, c, i as i64, s).await?;
    }
    for (i, m) in reg.memberships.iter().enumerate() {
        insert_membership(tx, c, i as i64, m).await?;
    }
    for (i, r) in reg.relations.iter().enumerate() {
        insert_relation(tx, c, i as i64, r).await?;
    }
    crate::places::insert_places(tx, reg).await?;
    for (i, m) in reg.meetings.iter().enumerate() {
        crate::meetings::insert_meeting(tx, c, i as i64, m).await?;
    }
    for (i, d) in reg.decisions.iter().enumerate() {
        crate::decisions::insert_decision(tx, c, i as i64, d).await?;
    }
    crate::services::insert_services(tx, reg).await?;
    for (i, x) in reg.commitments.iter().enumerate() {
        crate::decisions::insert_commitment(tx, c, i as i64, x).await?;
    }
    for (i, x) in reg.disputes.iter().enumerate() {
        crate::decisions::insert_dispute(tx, c, i as i64, x).await?;
    }
    for (i, p) in reg.programmes.iter().enumerate() {
        crate::programmes::insert_programme(tx, c, i as i64, p).await?;
    }
    for (i, x) in reg.initiatives.iter().enumerate() {
        crate::programmes::insert_initiative(tx, c, i as i64, x).await?;
    }
    for (i, m) in reg.measures.iter().enumerate() {
        crate::programmes::insert_measure(tx, c, i as i64, m).await?;
    }
    for (i, x) in reg.funds.iter().enumerate() {
        crate::programmes::insert_fund(tx, c, i as i64, x).await?;
    }
    for (i, x) in reg.contributions.iter().enumerate() {
        crate::programmes::insert_contribution(tx, c, i as i64, x).await?;
    }
    for (i, x) in reg.agreements.iter().enumerate() {
        crate::programmes::insert_agreement(tx, c, i as i64, x).await?;
    }
    for (i, x) in reg.strategies.iter().enumerate() {
        crate::programmes::plans::insert_strategy(tx, c, i as i64, x).await?;
    }
    for (i, x) in reg.plans.iter().enumerate() {
        crate::programmes::plans::insert_plan(tx, c, i as i64, x).await?;
    }
    Ok(())
}

pub(crate) fn exempt_value(e: Option<Exemption>) -> Option<i64> {
    e.map(|e| i64::from(e.number()))
}

pub(crate) fn opt_exempt(row: &AnyRow) -> Result<Option<Exemption>, StoreError> {
    let n: Option<i64> = row.try_get("exempt")?;
    n.map(|n| u8::try_from(n).map_err(corrupt).and_then(|n| Exemption::paragraph(n).map_err(corrupt))).transpose()
}

pub(crate) async fn insert_organisation(tx: &mut AnyConnection, c: &str, position: i64, o: &Organisation) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO organisations (council, slug, position, name, short_name, kind, sector, parent, ended, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c)
    .bind(o.slug.as_str())
    .bind(position)
    .bind(&o.name)
    .bind(o.short_name.clone())
    .bind(o.kind.code())
    .bind(o.sector.code())
    .bind(o.parent.as_ref().map(|p| p.to_string()))
    .bind(opt_str(&o.ended))
    .bind(o.note.clone())
    .execute(&mut *tx)
    .await?;
    crate::provenance::write(tx, c, "organisation", o.slug.as_str(), Some(&o.sources), &o.example).await
}

pub(crate) async fn insert_person(tx: &mut AnyConnection, c: &str, position: i64, p: &Person) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO people (council, slug, position, name, note, exempt) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(c)
        .bind(p.slug.as_str())
        .bind(position)
        .bind(&p.name)
        .bind(p.note.clone())
        .bind(exempt_value(p.exempt))
        .execute(&mut *tx)
        .await?;
    crate::provenance::write(tx, c, "person", p.slug.as_str(), Some(&p.sources), &p.example).await
}

pub(crate) async fn insert_post(tx: &mut AnyConnection, c: &str, position: i64, p: &Post) -> Result<(), StoreError> {
    let (kind, of) = party_parts(&Some(p.of.clone()));
    sqlx::query(
        "INSERT INTO posts (council, slug, position, title, of_kind, of_slug, holder, area, party, holder_start, holder_end) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(c)
    .bind(p.slug.as_str())
    .bind(position)
    .bind(&p.title)
    .bind(kind)
    .bind(of)
    .bind(p.holder.as_ref().map(|h| h.to_string()))
    .bind(&p.area)
    .bind(&p.party)
    .bind(opt_str(&p.start))
    .bind(opt_str(&p.end))
    .execute(&mut *tx)
    .await?;
    crate::provenance::write(tx, c, "post", p.slug.as_str(), Some(&p.sources), &p.example).await
}

pub(crate) async fn insert_body(tx: &mut AnyConnection, c: &str, position: i64, b: &Body) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO bodies (council, slug, position, name, short_name, kind, statutory, purpose, agenda_notice_days, secretariat, \
         accountable_body, established, ended, review_due, review, note, exempt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(c)
    .bind(b.slug.as_str())
    .bind(position)
    .bind(&b.name)
    .bind(b.short_name.clone())
    .bind(b.kind.code())
    .bind(i64::from(b.statutory))
    .bind(b.purpose.clone())
    .bind(b.agenda_notice_days.map(i64::from))
    .bind(b.secretariat.as_ref().map(|s| s.to_string()))
    .bind(b.accountable_body.as_ref().map(|s| s.to_string()))
    .bind(opt_str(&b.established))
    .bind(opt_str(&b.ended))
    .bind(opt_str(&b.review_due))
    .bind(b.review.clone())
    .bind(b.note.clone())
    .bind(exempt_value(b.exempt))
    .execute(&mut *tx)
    .await?;
    crate::provenance::write(tx, c, "body", b.slug.as_str(), None, &b.example).await?;
    write_body_parts(tx, c, b.slug.as_str(), &BodyParts::of(b)).await
}

/// What a body holds besides its row's plain columns: its cadence, chair
/// and decision rules (typed columns of its row), its groups and its lists
/// (rows of their own).
pub(crate) struct BodyParts<'a> {
    pub cadence: Option<&'a Cadence>,
    pub chair: Option<&'a ChairArrangement>,
    pub rules: &'a DecisionRules,
    pub groups: &'a [BodyGroup],
    /// Each list of `body_lists`, by name, in order.
    pub lists: Vec<(&'static str, Vec<&'a str>)>,
    /// Its standing agenda items (`standing_items`).
    pub standing: Vec<&'a str>,
    /// What its chair agrees (`chair_agrees`).
    pub agrees: Vec<&'static str>,
    /// What it may decide (`powers`).
    pub powers: &'a [Power],
    /// Its escalation path (`escalation_stages`).
    pub escalation: Vec<&'a str>,
}

impl<'a> BodyParts<'a> {
    pub fn of(b: &'a Body) -> BodyParts<'a> {
        let mut parts = BodyParts::new(
            b.cadence.as_ref(),
            b.chair.as_ref(),
            &b.decisions,
            &b.groups,
            [&b.terms_of_reference, &b.operation, &b.publication, &b.membership_notes, &b.areas],
            &b.sources,
        );
        parts.standing = b.standing_items.iter().map(String::as_str).collect();
        parts.agrees = b.chair.as_ref().map(|c| c.agrees.iter().map(|a| a.code()).collect()).unwrap_or_default();
        parts.powers = &b.powers;
        parts.escalation = b.escalation.iter().map(String::as_str).collect();
        parts
    }

    /// From each part: `texts` are the terms of reference, operation,
    /// publication, membership notes and areas.
    pub fn new(
        cadence: Option<&'a Cadence>,
        chair: Option<&'a ChairArrangement>,
        rules: &'a DecisionRules,
        groups: &'a [BodyGroup],
        texts: [&'a [String]; 5],
        sources: &'a [Slug],
    ) -> BodyParts<'a> {
        let strs = |v: &'a [String]| v.iter().map(String::as_str).collect::<Vec<_>>();
        let [terms, operation, publication, notes, areas] = texts;
        BodyParts {
            cadence,
            chair,
            rules,
            groups,
            lists: vec![
                ("terms-of-reference", strs(terms)),
                ("operation", strs(operation)),
                ("publication", strs(publication)),
                ("membership-note", strs(notes)),
                ("decision-rule", strs(&rules.text)),
                ("chair-rotation", chair.map(|c| c.rotation.iter().map(Slug::as_str).collect()).unwrap_or_default()),
                ("area", strs(areas)),
                ("source", sources.iter().map(Slug::as_str).collect()),
            ],
            standing: Vec::new(),
            agrees: Vec::new(),
            powers: &[],
            escalation: Vec::new(),
        }
    }
}

/// Writes a body's parts: its typed columns and the rows of its groups and lists.
pub(crate) async fn write_body_parts(tx: &mut AnyConnection, c: &str, body: &str, p: &BodyParts<'_>) -> Result<(), StoreError> {
    let chair = p.chair;
    let sql = format!(
        "UPDATE bodies SET cadence_text = $3, cadence_rule = $4, cadence_first = {}, chair_kind = $6, chair_text = $7, chair_post = $8, \
         chair_rotation_meetings = $9, chair_hosts = $10, by_consensus = $11, voting = $12, quorum = $13, decision_notice_days = $14, \
         ratification_by_constituents = $15 WHERE council = $1 AND slug = $2",
        crate::dialect::param(tx, 5, crate::dialect::Kind::Timestamp)
    );
    sqlx::query(&sql)
        .bind(c)
        .bind(body)
        .bind(p.cadence.map(|x| x.text.clone()))
        .bind(p.cadence.and_then(|x| x.rule.clone()))
        .bind(p.cadence.and_then(|x| x.first.as_ref().map(crate::meetings::iso_time)))
        .bind(chair.map(|x| x.kind.code()))
        .bind(chair.and_then(|x| x.text.clone()))
        .bind(chair.and_then(|x| x.post.as_ref().map(ToString::to_string)))
        .bind(chair.and_then(|x| x.rotation_meetings.map(i64::from)))
        .bind(chair.map(|x| x.chair_hosts))
        .bind(p.rules.consensus)
        .bind(p.rules.voting)
        .bind(p.rules.quorum.map(i64::from))
        .bind(p.rules.notice_days.map(i64::from))
        .bind(p.rules.ratification_by_constituents)
        .execute(&mut *tx)
        .await?;
    for (i, g) in p.groups.iter().enumerate() {
        sqlx::query("INSERT INTO body_groups (council, body, position, slug, name) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(body)
            .bind(i as i64)
            .bind(g.slug.as_str())
            .bind(g.name.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for (list, values) in &p.lists {
        insert_list(tx, "body_lists", "body", c, body, list, values).await?;
    }
    for (i, x) in p.powers.iter().enumerate() {
        sqlx::query("INSERT INTO powers (council, body, position, slug, text, held_by) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(c)
            .bind(body)
            .bind(i as i64)
            .bind(x.slug.as_str())
            .bind(x.text.as_str())
            .bind(x.held_by.clone())
            .execute(&mut *tx)
            .await?;
    }
    for (table, column, values) in
        [("standing_items", "title", &p.standing), ("chair_agrees", "what", &p.agrees), ("escalation_stages", "stage", &p.escalation)]
    {
        let sql = format!("INSERT INTO {table} (council, body, position, {column}) VALUES ($1, $2, $3, $4)");
        for (i, v) in values.iter().enumerate() {
            sqlx::query(&sql).bind(c).bind(body).bind(i as i64).bind(*v).execute(&mut *tx).await?;
        }
    }
    Ok(())
}

/// One list's values, a row each, in a table of lists keyed by `owner`.
pub(crate) async fn insert_list(tx: &mut AnyConnection, table: &str, owner: &str, c: &str, of: &str, list: &str, values: &[&str]) -> Result<(), StoreError> {
    let sql = format!("INSERT INTO {table} (council, {owner}, list, position, value) VALUES ($1, $2, $3, $4, $5)");
    for (i, v) in values.iter().enumerate() {
        sqlx::query(&sql).bind(c).bind(of).bind(list).bind(i as i64).bind(*v).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Takes away the rows of a record's parts (before the record is written
/// again): `owner` names the record's column in each of `tables`.
pub(crate) async fn delete_parts(tx: &mut AnyConnection, tables: &[&str], owner: &str, c: &str, of: &str) -> Result<(), StoreError> {
    for table in tables {
        sqlx::query(&format!("DELETE FROM {table} WHERE council = $1 AND {owner} = $2")).bind(c).bind(of).execute(&mut *tx).await?;
    }
    Ok(())
}

/// A boolean column read as 0, 1 or NULL in both engines (the Any driver
/// reads no SQLite boolean).
pub(crate) fn flag(col: &str) -> String {
    format!("CAST(CASE WHEN {col} IS NULL THEN NULL WHEN {col} THEN 1 ELSE 0 END AS BIGINT) AS {col}")
}

pub(crate) async fn insert_seat(tx: &mut AnyConnection, c: &str, position: i64, s: &Seat) -> Result<(), StoreError> {
    let (kind, of) = party_parts(&s.on_behalf_of);
    sqlx::query(
        "INSERT INTO seats (council, body, slug, position, label, source_text, role, on_behalf_kind, on_behalf_slug, post, note, exempt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c)
    .bind(s.body.as_str())
    .bind(s.slug.as_str())
    .bind(position)
    .bind(&s.label)
    .bind(&s.source_text)
    .bind(s.role.code())
    .bind(kind)
    .bind(of)
    .bind(s.post.as_ref().map(|p| p.to_string()))
    .bind(s.note.clone())
    .bind(exempt_value(s.exempt))
    .execute(&mut *tx)
    .await?;
    insert_seat_groups(tx, c, s.body.as_str(), s.slug.as_str(), &s.groups).await
}

/// The groups of its body a seat sits in, a row each.
pub(crate) async fn insert_seat_groups(tx: &mut AnyConnection, c: &str, body: &str, seat: &str, groups: &[Slug]) -> Result<(), StoreError> {
    for (i, g) in groups.iter().enumerate() {
        sqlx::query("INSERT INTO seat_groups (council, body, seat, position, group_slug) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(body)
            .bind(seat)
            .bind(i as i64)
            .bind(g.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(crate) async fn insert_membership(tx: &mut AnyConnection, c: &str, position: i64, m: &Membership) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (council, slug, position, body, seat, person, start_date, end_date, exempt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(c)
    .bind(m.slug.as_str())
    .bind(position)
    .bind(m.body.as_str())
    .bind(m.seat.as_str())
    .bind(m.person.as_ref().map(|p| p.to_string()))
    .bind(opt_str(&m.start))
    .bind(opt_str(&m.end))
    .bind(exempt_value(m.exempt))
    .execute(&mut *tx)
    .await?;
    insert_substitutes(tx, c, m.slug.as_str(), &m.substitutes).await
}

/// The people named to stand in for a membership's holder, a row each.
pub(crate) async fn insert_substitutes(tx: &mut AnyConnection, c: &str, membership: &str, people: &[Slug]) -> Result<(), StoreError> {
    for (i, p) in people.iter().enumerate() {
        sqlx::query("INSERT INTO substitutes (council, membership, position, person) VALUES ($1, $2, $3, $4)")
            .bind(c)
            .bind(membership)
            .bind(i as i64)
            .bind(p.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub(crate) async fn insert_relation(tx: &mut AnyConnection, c: &str, position: i64, r: &Relation) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO relations (council, position, kind, from_body, to_body, note, exempt) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(c)
        .bind(position)
        .bind(r.kind.code())
        .bind(r.from.as_str())
        .bind(r.to.as_str())
        .bind(r.note.clone())
        .bind(exempt_value(r.exempt))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A council's attribution lines and sources, a row each.
pub(crate) async fn insert_council_lists(tx: &mut AnyConnection, c: &str, attribution: &[String], sources: &[Source]) -> Result<(), StoreError> {
    delete_parts(tx, &["attributions", "council_sources"], "council", c, c).await?;
    for (i, line) in attribution.iter().enumerate() {
        sqlx::query("INSERT INTO attributions (council, position, line) VALUES ($1, $2, $3)")
            .bind(c)
            .bind(i as i64)
            .bind(line.as_str())
            .execute(&mut *tx)
            .await?;
    }
    for (i, s) in sources.iter().enumerate() {
        sqlx::query("INSERT INTO council_sources (council, position, key, title, source_date) VALUES ($1, $2, $3, $4, $5)")
            .bind(c)
            .bind(i as i64)
            .bind(s.key.as_str())
            .bind(s.title.as_str())
            .bind(opt_str(&s.date))
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The SHA-256 of every paper a meeting of any council names: the papers
    /// that must be kept. The sweeper takes away the rest.
    pub async fn paper_digests(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut out = std::collections::HashSet::new();
        for r in sqlx::query("SELECT DISTINCT sha256 FROM papers").fetch_all(self.pool()).await? {
            out.insert(r.try_get("sha256")?);
        }
        Ok(out)
    }

    /// Takes away the papers no meeting names that were kept more than
    /// `grace` ago by this store's clock (a paper whose record is being saved
    /// this moment is younger than that). Returns the SHA-256s taken away.
    pub async fn sweep_papers(&self, papers: &crate::Papers, grace: std::time::Duration) -> Result<Vec<String>, StoreError> {
        let referenced = self.paper_digests().await?;
        let grace = chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::MAX);
        let before = self.clock.now().checked_sub_signed(grace).unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let gone = papers.sweep(&referenced, before).await?;
        if !gone.is_empty() {
            tracing::info!(count = gone.len(), location = papers.location(), "took away papers that no record names");
        }
        Ok(gone)
    }
}
