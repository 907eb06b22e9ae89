//! The register back out as a dataset: the files `docs/DATASET.md`
//! describes, written so that reading them gives the same register. What
//! the portal keeps and the dataset format does not (agendas, papers,
//! attendance, minutes, the forward plan, ratifications, the audit trail)
//! stays in the database, and its backup.

use crate::council::Register;
use crate::decisions::model::Reached;
use crate::ids::{PartialDate, Slug};
use crate::places::model::Missing;
use crate::register::model::*;
use std::collections::BTreeMap;
use toml::{Table, Value};

/// A dataset's files by path (with `/`), and their text.
pub type Files = BTreeMap<String, String>;

/// Every file of the council's dataset.
pub fn write(reg: &Register) -> Result<Files, String> {
    let mut files = Files::new();
    files.insert("council.toml".into(), council_toml(reg)?);
    files.insert("organisations.csv".into(), organisations_csv(reg)?);
    files.insert("people.csv".into(), people_csv(reg)?);
    files.insert("areas.csv".into(), areas_csv(reg)?);
    files.insert("posts.csv".into(), posts_csv(reg)?);
    files.insert("memberships.csv".into(), memberships_csv(reg)?);
    files.insert("bodies/bodies.toml".into(), bodies_toml(reg)?);
    if !reg.meetings.is_empty() {
        files.insert("meetings.csv".into(), meetings_csv(reg)?);
    }
    if !reg.decisions.is_empty() {
        files.insert("decisions/decisions.toml".into(), decisions_toml(reg)?);
    }
    if !reg.commitments.is_empty() || !reg.disputes.is_empty() {
        files.insert("decisions/commitments-and-disagreements.toml".into(), undertakings_toml(reg)?);
    }
    if !reg.programmes.is_empty() {
        files.insert("programmes/programmes.toml".into(), programmes_toml(reg)?);
    }
    if !reg.initiatives.is_empty() {
        files.insert("programmes/initiatives.toml".into(), initiatives_toml(reg)?);
    }
    if !reg.measures.is_empty() {
        files.insert("programmes/measures.toml".into(), measures_toml(reg)?);
    }
    if !reg.funds.is_empty() || !reg.contributions.is_empty() || !reg.agreements.is_empty() {
        files.insert("programmes/money.toml".into(), money_toml(reg)?);
    }
    if !reg.strategies.is_empty() || !reg.plans.is_empty() {
        files.insert("programmes/strategies-and-plans.toml".into(), plans_toml(reg)?);
    }
    if !reg.indicators.is_empty() {
        files.insert("indicators.csv".into(), indicators_csv(reg)?);
    }
    if !reg.values.is_empty() {
        files.insert("values/values.csv".into(), values_csv(reg)?);
    }
    if !reg.services.is_empty() {
        files.insert("services.csv".into(), services_csv(reg)?);
    }
    if reg.areas.iter().any(|a| a.boundary.is_some()) {
        files.insert(BOUNDARIES.into(), boundaries_geojson(reg)?);
    }
    Ok(files)
}

const BOUNDARIES: &str = "boundaries/areas.geojson";

// ---- helpers -----------------------------------------------------------------------

fn csv_text(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<String, String> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// A record's sources and example marks, as the two CSV columns.
fn provenance(sources: &[Slug], example: &[String]) -> [String; 2] {
    [sources.iter().map(Slug::as_str).collect::<Vec<_>>().join(";"), example.join(";")]
}

fn opt(s: &Option<impl ToString>) -> String {
    s.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn date(d: &Option<PartialDate>) -> String {
    opt(d)
}

/// A TOML table from (key, value) pairs, leaving out the `None`s, in order.
fn table(pairs: Vec<(&str, Option<Value>)>) -> Table {
    pairs.into_iter().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v))).collect()
}

fn s(v: impl Into<String>) -> Option<Value> {
    Some(Value::String(v.into()))
}

fn strings<T: ToString>(items: &[T]) -> Option<Value> {
    (!items.is_empty()).then(|| Value::Array(items.iter().map(|i| Value::String(i.to_string())).collect()))
}

fn int(n: Option<u32>) -> Option<Value> {
    n.map(|n| Value::Integer(i64::from(n)))
}

fn flag(b: bool) -> Option<Value> {
    b.then_some(Value::Boolean(true))
}

fn exempt(e: Option<placeworks_kernel::Exemption>) -> Option<Value> {
    e.map(|e| Value::Integer(i64::from(e.number())))
}

fn toml_text(key: &str, items: Vec<Table>, comment: &str) -> Result<String, String> {
    let mut doc = Table::new();
    doc.insert(key.to_owned(), Value::Array(items.into_iter().map(Value::Table).collect()));
    Ok(format!("# {comment}\n\n{}", toml::to_string(&doc).map_err(|e| e.to_string())?))
}

// ---- the council -------------------------------------------------------------------

fn council_toml(reg: &Register) -> Result<String, String> {
    let c = &reg.council;
    let mut doc = table(vec![
        ("slug", s(c.slug.as_str())),
        ("name", s(&c.name)),
        ("area", c.area.clone().map(Value::String)),
        ("description", s(&c.description)),
        ("brand_colour", s(&c.brand_colour)),
        ("giving_prefix", c.giving_prefix.clone().map(Value::String)),
        ("org_id", c.org_id.clone().map(Value::String)),
        ("attribution", strings(&c.attribution)),
    ]);
    let sources: Vec<Value> = c
        .sources
        .iter()
        .map(|x| Value::Table(table(vec![("key", s(x.key.as_str())), ("title", s(&x.title)), ("date", x.date.as_ref().and_then(|d| s(d.as_str())))])))
        .collect();
    if !sources.is_empty() {
        doc.insert("source".into(), Value::Array(sources));
    }
    if reg.areas.iter().any(|a| a.boundary.is_some()) {
        doc.insert("boundaries".into(), Value::Array(vec![Value::Table(table(vec![("file", s(BOUNDARIES)), ("code_property", s("code"))]))]));
    }
    let baselines: Vec<Value> = reg
        .baselines
        .iter()
        .map(|b| {
            let requires: Vec<Value> = b
                .requires
                .iter()
                .map(|r| Value::Table(table(vec![("kind", s(r.kind.code())), ("extended", flag(r.extended)), ("at_least", int(Some(r.at_least)))])))
                .collect();
            Value::Table(table(vec![
                ("slug", s(b.slug.as_str())),
                ("area_kind", s(b.area_kind.code())),
                ("text", s(&b.text)),
                ("source", b.source.as_ref().and_then(|x| s(x.as_str()))),
                ("requires", (!requires.is_empty()).then_some(Value::Array(requires))),
                ("posts", strings(&b.posts)),
                ("bodies", strings(&b.bodies.iter().map(|k| k.code()).collect::<Vec<_>>())),
            ]))
        })
        .collect();
    if !baselines.is_empty() {
        doc.insert("baseline".into(), Value::Array(baselines));
    }
    Ok(format!(
        "# {}'s register, exported from Placeworks in the dataset format of docs/DATASET.md.\n\n{}",
        c.name,
        toml::to_string(&doc).map_err(|e| e.to_string())?
    ))
}

fn organisations_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "name", "short_name", "kind", "sector", "parent", "ended", "note", "sources", "example"],
        reg.organisations.iter().map(|o| {
            let [sources, example] = provenance(&o.sources, &o.example);
            vec![
                o.slug.to_string(),
                o.name.clone(),
                opt(&o.short_name),
                o.kind.code().into(),
                o.sector.code().into(),
                opt(&o.parent),
                date(&o.ended),
                opt(&o.note),
                sources,
                example,
            ]
        }),
    )
}

fn people_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "name", "note", "exempt", "sources", "example"],
        reg.people.iter().map(|p| {
            let [sources, example] = provenance(&p.sources, &p.example);
            vec![p.slug.to_string(), p.name.clone(), opt(&p.note), opt(&p.exempt.map(|e| e.number())), sources, example]
        }),
    )
}

fn areas_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["code", "name", "kind", "parent", "valid_from", "valid_to", "members", "note", "sources", "example"],
        reg.areas.iter().map(|a| {
            let [sources, example] = provenance(&a.sources, &a.example);
            vec![
                a.code.clone(),
                a.name.clone(),
                a.kind.code().into(),
                opt(&a.parent),
                date(&a.valid_from),
                date(&a.valid_to),
                a.members.join(";"),
                opt(&a.note),
                sources,
                example,
            ]
        }),
    )
}

fn boundaries_geojson(reg: &Register) -> Result<String, String> {
    let features: Vec<serde_json::Value> = reg
        .areas
        .iter()
        .filter_map(|a| {
            a.boundary.as_ref().map(|g| serde_json::json!({ "type": "Feature", "properties": { "code": a.code, "name": a.name }, "geometry": **g }))
        })
        .collect();
    serde_json::to_string(&serde_json::json!({ "type": "FeatureCollection", "features": features })).map_err(|e| e.to_string())
}

// ---- the register ------------------------------------------------------------------

/// The title a seat's `post` gives when the seat's post is the one the
/// dataset would make from it (`{party} {title}`), as the reader makes it.
fn seat_post_title<'a>(reg: &'a Register, seat: &Seat) -> Option<&'a str> {
    let post = reg.posts.iter().find(|p| Some(&p.slug) == seat.post.as_ref())?;
    let party = seat.on_behalf_of.as_ref()?;
    (post.of == *party && post.slug.as_str() == crate::ids::slugify(&format!("{} {}", party.slug(), post.title))).then_some(post.title.as_str())
}

fn posts_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "title", "organisation", "body", "holder", "area", "party", "start_date", "end_date", "sources", "example"],
        reg.posts.iter().map(|p| {
            let (org, body) = match &p.of {
                Party::Organisation(o) => (o.to_string(), String::new()),
                Party::Body(b) => (String::new(), b.to_string()),
            };
            let [sources, example] = provenance(&p.sources, &p.example);
            let terms = [opt(&p.holder), opt(&p.area), opt(&p.party), date(&p.start), date(&p.end)];
            [vec![p.slug.to_string(), p.title.clone(), org, body], terms.to_vec(), vec![sources, example]].concat()
        }),
    )
}

fn memberships_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "body", "seat", "person", "start_date", "end_date", "substitutes", "exempt"],
        reg.memberships.iter().map(|m| {
            vec![
                m.slug.to_string(),
                m.body.to_string(),
                m.seat.to_string(),
                opt(&m.person),
                date(&m.start),
                date(&m.end),
                m.substitutes.iter().map(ToString::to_string).collect::<Vec<_>>().join(";"),
                opt(&m.exempt.map(|e| e.number())),
            ]
        }),
    )
}

fn bodies_toml(reg: &Register) -> Result<String, String> {
    let mut items = Vec::new();
    for b in &reg.bodies {
        let related =
            |kind: RelationKind| -> Vec<String> { reg.relations.iter().filter(|r| r.kind == kind && r.from == b.slug).map(|r| r.to.to_string()).collect() };
        let cadence = b.cadence.as_ref().map(|c| {
            Value::Table(table(vec![
                ("text", s(&c.text)),
                ("rule", c.rule.clone().map(Value::String)),
                ("first", c.first.and_then(|f| s(f.format("%Y-%m-%dT%H:%M").to_string()))),
            ]))
        });
        let chair = b.chair.as_ref().map(|c| {
            Value::Table(table(vec![
                ("kind", s(c.kind.code())),
                ("text", c.text.clone().map(Value::String)),
                ("post", c.post.as_ref().and_then(|p| s(p.as_str()))),
                ("rotation_meetings", int(c.rotation_meetings)),
                ("chair_hosts", flag(c.chair_hosts)),
                ("rotation", strings(&c.rotation)),
                ("agrees", strings(&c.agrees.iter().map(|a| a.code()).collect::<Vec<_>>())),
            ]))
        });
        let d = &b.decisions;
        let decisions = (*d != DecisionRules::default()).then(|| {
            Value::Table(table(vec![
                ("consensus", flag(d.consensus)),
                ("voting", d.voting.map(Value::Boolean)),
                ("quorum", int(d.quorum)),
                ("notice_days", int(d.notice_days)),
                ("ratification_by_constituents", flag(d.ratification_by_constituents)),
                ("text", strings(&d.text)),
            ]))
        });
        let groups = (!b.groups.is_empty())
            .then(|| Value::Array(b.groups.iter().map(|g| Value::Table(table(vec![("slug", s(g.slug.as_str())), ("name", s(&g.name))]))).collect()));
        let seats: Vec<Value> = reg
            .seats
            .iter()
            .filter(|x| x.body == b.slug)
            .map(|x| {
                let (org, body) = match &x.on_behalf_of {
                    Some(Party::Organisation(o)) => (s(o.as_str()), None),
                    Some(Party::Body(o)) => (None, s(o.as_str())),
                    None => (None, None),
                };
                Value::Table(table(vec![
                    ("text", s(&x.source_text)),
                    ("label", s(&x.label)),
                    ("slug", s(x.slug.as_str())),
                    ("role", s(x.role.code())),
                    ("organisation", org),
                    ("body", body),
                    ("post", seat_post_title(reg, x).and_then(s)),
                    ("groups", strings(&x.groups)),
                    ("note", x.note.clone().map(Value::String)),
                    ("exempt", exempt(x.exempt)),
                ]))
            })
            .collect();
        let powers: Vec<Value> = b
            .powers
            .iter()
            .map(|p| Value::Table(table(vec![("slug", s(p.slug.as_str())), ("text", s(&p.text)), ("held_by", p.held_by.clone().map(Value::String))])))
            .collect();
        items.push(table(vec![
            ("slug", s(b.slug.as_str())),
            ("name", s(&b.name)),
            ("short_name", b.short_name.clone().map(Value::String)),
            ("kind", s(b.kind.code())),
            ("statutory", flag(b.statutory)),
            ("purpose", b.purpose.clone().map(Value::String)),
            ("terms_of_reference", strings(&b.terms_of_reference)),
            ("operation", strings(&b.operation)),
            ("cadence", cadence),
            ("chair", chair),
            ("decisions", decisions),
            ("agenda_notice_days", int(b.agenda_notice_days)),
            ("publication", strings(&b.publication)),
            ("secretariat", b.secretariat.as_ref().and_then(|x| s(x.as_str()))),
            ("accountable_body", b.accountable_body.as_ref().and_then(|x| s(x.as_str()))),
            ("groups", groups),
            ("established", b.established.as_ref().and_then(|x| s(x.as_str()))),
            ("ended", b.ended.as_ref().and_then(|x| s(x.as_str()))),
            ("review_due", b.review_due.as_ref().and_then(|x| s(x.as_str()))),
            ("review", b.review.clone().map(Value::String)),
            ("membership_notes", strings(&b.membership_notes)),
            ("areas", strings(&b.areas)),
            ("standing_items", strings(&b.standing_items)),
            ("escalation", strings(&b.escalation)),
            ("sources", strings(&b.sources)),
            ("example", strings(&b.example)),
            ("note", b.note.clone().map(Value::String)),
            ("exempt", exempt(b.exempt)),
            ("reports_to", related(RelationKind::ReportsTo).into_iter().next().map(Value::String)),
            ("links_with", strings(&related(RelationKind::LinksWith))),
            ("manages_agenda_of", strings(&related(RelationKind::ManagesAgendaOf))),
            ("holds_to_account", strings(&related(RelationKind::HoldsToAccount))),
            ("part_of", strings(&related(RelationKind::PartOf))),
            ("replaces", strings(&related(RelationKind::Replaces))),
            ("power", (!powers.is_empty()).then_some(Value::Array(powers))),
            ("seat", (!seats.is_empty()).then_some(Value::Array(seats))),
        ]));
    }
    toml_text("body", items, "The council's bodies, their seats and how they relate, as the register holds them.")
}

// ---- meetings and decisions --------------------------------------------------------

fn meetings_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "body", "date", "status", "time", "group", "planned_for", "note", "sources", "example"],
        reg.meetings.iter().map(|m| {
            let [sources, example] = provenance(&m.sources, &m.example);
            vec![
                m.slug.to_string(),
                m.body.to_string(),
                m.date.to_string(),
                m.status.code().into(),
                m.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                opt(&m.group),
                m.planned_for.map(|p| p.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default(),
                opt(&m.note),
                sources,
                example,
            ]
        }),
    )
}

fn decisions_toml(reg: &Register) -> Result<String, String> {
    let items: Vec<Table> = reg
        .decisions
        .iter()
        .filter(|d| !d.forthcoming)
        .map(|d| {
            let (reached, votes) = match &d.reached {
                Some(Reached::Consensus) => (s("consensus"), None),
                Some(Reached::Vote { r#for, against, abstaining }) => (
                    None,
                    Some(Value::Table(table(vec![("for", int(Some(*r#for))), ("against", int(Some(*against))), ("abstaining", int(Some(*abstaining)))]))),
                ),
                None => (None, None),
            };
            let resolutions: Vec<Value> = d
                .resolutions
                .iter()
                .map(|r| Value::Table(table(vec![("number", r.number.clone().map(Value::String)), ("text", s(&r.text)), ("verb", s(&r.verb))])))
                .collect();
            table(vec![
                ("slug", s(d.slug.as_str())),
                ("body", s(d.body.as_str())),
                ("date", s(d.date.as_str())),
                ("title", s(&d.title)),
                ("key_decision", d.key_decision.map(Value::Boolean)),
                ("call_in", d.call_in.clone().map(Value::String)),
                ("meeting", d.meeting.as_ref().and_then(|m| s(m.as_str()))),
                ("issue", d.issue.as_ref().and_then(|m| s(m.as_str()))),
                ("areas", strings(&d.areas)),
                ("reached", reached),
                ("votes", votes),
                ("notified", d.notified.and_then(|n| s(n.format("%Y-%m-%d").to_string()))),
                ("beyond_delegation", flag(d.beyond_delegation)),
                ("power", d.power.as_ref().and_then(|p| s(p.as_str()))),
                ("summary", strings(&d.summary)),
                ("minutes", strings(&d.minutes)),
                ("documents", strings(&d.documents)),
                ("sources", strings(&d.sources)),
                ("example", strings(&d.example)),
                ("exempt", exempt(d.exempt)),
                ("resolution", (!resolutions.is_empty()).then_some(Value::Array(resolutions))),
            ])
        })
        .collect();
    toml_text("decision", items, "The decisions the register holds, with their resolutions word for word.")
}

/// Commitments and disagreements, in a decisions file of their own.
fn undertakings_toml(reg: &Register) -> Result<String, String> {
    let date = |d: &Option<PartialDate>| d.as_ref().and_then(|x| s(x.as_str()));
    let commitments: Vec<Value> = reg
        .commitments
        .iter()
        .map(|c| {
            let (org, body) = match &c.by {
                Party::Organisation(o) => (s(o.as_str()), None),
                Party::Body(b) => (None, s(b.as_str())),
            };
            Value::Table(table(vec![
                ("slug", s(c.slug.as_str())),
                ("organisation", org),
                ("body", body),
                ("text", s(&c.text)),
                ("made", date(&c.made)),
                ("due", s(c.due.as_str())),
                ("met_by", c.met_by.as_ref().and_then(|m| s(m.as_str()))),
                ("met", date(&c.met)),
                ("sources", strings(&c.sources)),
                ("example", strings(&c.example)),
            ]))
        })
        .collect();
    let day = |d: chrono::NaiveDate| s(d.format("%Y-%m-%d").to_string());
    let disputes: Vec<Value> = reg
        .disputes
        .iter()
        .map(|d| {
            let steps: Vec<Value> = d
                .steps
                .iter()
                .map(|x| Value::Table(table(vec![("stage", s(&x.stage)), ("on", day(x.on)), ("note", x.note.clone().map(Value::String))])))
                .collect();
            Value::Table(table(vec![
                ("slug", s(d.slug.as_str())),
                ("body", s(d.body.as_str())),
                ("title", s(&d.title)),
                ("parties", strings(&d.parties)),
                ("raised", day(d.raised)),
                ("outcome", d.outcome.clone().map(Value::String)),
                ("resolved", d.resolved.and_then(day)),
                ("public", flag(d.public)),
                ("step", (!steps.is_empty()).then_some(Value::Array(steps))),
            ]))
        })
        .collect();
    let mut doc = Table::new();
    if !commitments.is_empty() {
        doc.insert("commitment".into(), Value::Array(commitments));
    }
    if !disputes.is_empty() {
        doc.insert("dispute".into(), Value::Array(disputes));
    }
    Ok(format!(
        "# Commitments with their due dates, and disagreements taken up a body's escalation path (confidential unless public = true).\n\n{}",
        toml::to_string(&doc).map_err(|e| e.to_string())?
    ))
}

// ---- places and services -----------------------------------------------------------

fn indicators_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "name", "unit", "polarity", "source", "licence", "geography", "theme", "frequency", "note"],
        reg.indicators.iter().map(|i| {
            vec![
                i.slug.to_string(),
                i.name.clone(),
                i.unit.clone(),
                i.polarity.code().into(),
                i.source.clone(),
                i.licence.clone(),
                i.geography.code().into(),
                opt(&i.theme),
                opt(&i.frequency),
                opt(&i.note),
            ]
        }),
    )
}

fn values_csv(reg: &Register) -> Result<String, String> {
    let rated = reg.values.iter().any(|v| v.numerator.is_some() || v.denominator.is_some());
    let mut header = vec!["area_code", "indicator", "period", "value"];
    if rated {
        header.extend(["numerator", "denominator"]);
    }
    csv_text(
        &header,
        reg.values.iter().map(|v| {
            let value = match (v.value, v.missing) {
                (Some(x), _) => x.to_string(),
                (None, Some(Missing::Suppressed)) => "*".into(),
                (None, Some(Missing::NotAvailable)) => "..".into(),
                (None, Some(Missing::NotApplicable)) => "-".into(),
                (None, _) => String::new(),
            };
            let mut row = vec![v.area.clone(), v.indicator.to_string(), v.period.clone(), value];
            if rated {
                row.extend([opt(&v.numerator), opt(&v.denominator)]);
            }
            row
        }),
    )
}

fn services_csv(reg: &Register) -> Result<String, String> {
    csv_text(
        &["slug", "name", "kind", "area", "extended", "note"],
        reg.services.iter().map(|x| {
            vec![x.slug.to_string(), x.name.clone(), x.kind.code().into(), x.area.clone(), if x.extended { "yes".into() } else { String::new() }, opt(&x.note)]
        }),
    )
}

// ---- programmes --------------------------------------------------------------------

fn programmes_toml(reg: &Register) -> Result<String, String> {
    let items: Vec<Table> = reg
        .programmes
        .iter()
        .map(|p| {
            let levels: Vec<Value> = p
                .levels
                .iter()
                .map(|l| Value::Table(table(vec![("name", s(&l.name)), ("text", l.text.clone().map(Value::String)), ("bodies", strings(&l.bodies))])))
                .collect();
            let named = |slug: &Slug, name: &str, text: &Option<String>| {
                Value::Table(table(vec![("slug", s(slug.as_str())), ("name", s(name)), ("text", text.clone().map(Value::String))]))
            };
            table(vec![
                ("slug", s(p.slug.as_str())),
                ("name", s(&p.name)),
                ("aim", s(&p.aim)),
                ("launched", p.launched.as_ref().map(|d| Value::String(d.to_string()))),
                ("status", s(p.status.code())),
                ("governed_by", p.governed_by.as_ref().map(|b| Value::String(b.to_string()))),
                ("areas", strings(&p.areas)),
                ("decisions", strings(&p.decisions)),
                ("roll_up", s(p.roll_up.code())),
                ("sources", strings(&p.sources)),
                ("example", strings(&p.example)),
                ("note", p.note.clone().map(Value::String)),
                ("level", (!levels.is_empty()).then_some(Value::Array(levels))),
                ("theme", (!p.themes.is_empty()).then(|| Value::Array(p.themes.iter().map(|t| named(&t.slug, &t.name, &t.text)).collect()))),
                ("outcome", (!p.outcomes.is_empty()).then(|| Value::Array(p.outcomes.iter().map(|o| named(&o.slug, &o.name, &None)).collect()))),
                (
                    "highlight",
                    (!p.highlights.is_empty()).then(|| {
                        Value::Array(
                            p.highlights
                                .iter()
                                .map(|h| {
                                    Value::Table(table(vec![
                                        ("period", s(h.period.to_string())),
                                        ("text", s(&h.text)),
                                        ("by", h.by.clone().map(Value::String)),
                                        (
                                            "at",
                                            h.at.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                                                .map(|d| Value::String(d.format("%Y-%m-%dT%H:%M:%SZ").to_string())),
                                        ),
                                    ]))
                                })
                                .collect(),
                        )
                    }),
                ),
            ])
        })
        .collect();
    toml_text("programme", items, "The council's programmes, their levels of working, themes and outcomes, as the register holds them.")
}

fn initiatives_toml(reg: &Register) -> Result<String, String> {
    use crate::register::model::Party;
    let date = |d: &Option<crate::ids::PartialDate>| d.as_ref().map(|d| Value::String(d.to_string()));
    let items: Vec<Table> = reg
        .initiatives
        .iter()
        .map(|i| {
            let milestones: Vec<Value> =
                i.milestones.iter().map(|m| Value::Table(table(vec![("name", s(&m.name)), ("due", date(&m.due)), ("achieved", date(&m.achieved))]))).collect();
            table(vec![
                ("slug", s(i.slug.as_str())),
                ("programme", s(i.programme.as_str())),
                ("part_of", i.part_of.as_ref().map(|p| Value::String(p.to_string()))),
                ("name", s(&i.name)),
                ("summary", i.summary.clone().map(Value::String)),
                ("status", s(i.status.code())),
                ("starts", date(&i.starts)),
                ("ends", date(&i.ends)),
                (
                    "lead_organisation",
                    match &i.lead {
                        Some(Party::Organisation(o)) => s(o.as_str()),
                        _ => None,
                    },
                ),
                (
                    "lead_body",
                    match &i.lead {
                        Some(Party::Body(b)) => s(b.as_str()),
                        _ => None,
                    },
                ),
                ("partners", strings(&i.partners)),
                ("themes", strings(&i.themes)),
                ("outcomes", strings(&i.outcomes)),
                ("areas", strings(&i.areas)),
                ("decisions", strings(&i.decisions)),
                ("meetings", strings(&i.meetings)),
                ("progress", i.progress.map(Value::Float)),
                ("weight", (i.weight != 1.0).then_some(Value::Float(i.weight))),
                ("sources", strings(&i.sources)),
                ("example", strings(&i.example)),
                ("note", i.note.clone().map(Value::String)),
                ("milestone", (!milestones.is_empty()).then_some(Value::Array(milestones))),
            ])
        })
        .collect();
    toml_text("initiative", items, "The programmes' initiatives, their parts and milestones, as the register holds them.")
}

fn money_toml(reg: &Register) -> Result<String, String> {
    use crate::register::model::Party;
    let date = |d: &Option<crate::ids::PartialDate>| d.as_ref().map(|d| Value::String(d.to_string()));
    let text = |v: &Option<String>| v.clone().map(Value::String);
    let slug = |v: &Option<Slug>| v.as_ref().map(|x| Value::String(x.to_string()));
    let flag = |b: bool| b.then_some(Value::Boolean(true));
    let array = |items: Vec<Value>| (!items.is_empty()).then_some(Value::Array(items));
    let funds: Vec<Table> = reg
        .funds
        .iter()
        .map(|f| {
            let allocations = f
                .allocations
                .iter()
                .map(|a| {
                    Value::Table(table(vec![
                        ("slug", s(a.slug.as_str())),
                        ("name", s(&a.name)),
                        ("amount", Some(Value::Float(a.amount))),
                        ("initiative", slug(&a.initiative)),
                        ("area", text(&a.area)),
                        ("decision", slug(&a.decision)),
                        ("date", date(&a.date)),
                    ]))
                })
                .collect();
            let bids = f
                .bids
                .iter()
                .map(|b| {
                    Value::Table(table(vec![
                        ("slug", s(b.slug.as_str())),
                        ("name", s(&b.name)),
                        (
                            "by_organisation",
                            match &b.by {
                                Some(Party::Organisation(o)) => s(o.as_str()),
                                _ => None,
                            },
                        ),
                        (
                            "by_body",
                            match &b.by {
                                Some(Party::Body(x)) => s(x.as_str()),
                                _ => None,
                            },
                        ),
                        ("amount", Some(Value::Float(b.amount))),
                        ("status", s(b.status.code())),
                        ("submitted", date(&b.submitted)),
                        ("decision", slug(&b.decision)),
                        ("area", text(&b.area)),
                        ("initiative", slug(&b.initiative)),
                    ]))
                })
                .collect();
            let spend = f
                .spend
                .iter()
                .map(|x| {
                    Value::Table(table(vec![
                        ("period", s(x.period.to_string())),
                        ("amount", Some(Value::Float(x.amount))),
                        ("allocation", slug(&x.allocation)),
                    ]))
                })
                .collect();
            table(vec![
                ("slug", s(f.slug.as_str())),
                ("name", s(&f.name)),
                ("kind", s(f.kind.code())),
                ("source", text(&f.source)),
                (
                    "held_by",
                    match &f.held_by {
                        Some(p) => s(p.slug().as_str()),
                        None => None,
                    },
                ),
                ("programme", slug(&f.programme)),
                ("amount", Some(Value::Float(f.amount))),
                ("period", f.period.map(|p| Value::String(p.to_string()))),
                ("each_year", flag(f.each_year)),
                ("conditions", text(&f.conditions)),
                ("areas", strings(&f.areas)),
                ("sources", strings(&f.sources)),
                ("example", strings(&f.example)),
                ("note", text(&f.note)),
                ("allocation", array(allocations)),
                ("bid", array(bids)),
                ("spend", array(spend)),
            ])
        })
        .collect();
    let contributions: Vec<Table> = reg
        .contributions
        .iter()
        .map(|c| {
            table(vec![
                ("slug", s(c.slug.as_str())),
                ("partner", s(c.partner.as_str())),
                ("name", s(&c.name)),
                ("amount", Some(Value::Float(c.amount))),
                ("amount_words", text(&c.amount_words)),
                ("each_year", flag(c.each_year)),
                ("status", s(c.status.code())),
                ("fund", slug(&c.fund)),
                ("initiative", slug(&c.initiative)),
                ("areas", strings(&c.areas)),
                ("sources", strings(&c.sources)),
                ("example", strings(&c.example)),
                ("note", text(&c.note)),
            ])
        })
        .collect();
    let agreements: Vec<Table> = reg
        .agreements
        .iter()
        .map(|g| {
            let services = g.services.iter().map(|v| Value::Table(table(vec![("service", s(&v.service)), ("quantity", text(&v.quantity))]))).collect();
            table(vec![
                ("slug", s(g.slug.as_str())),
                ("parish", s(g.parish.as_str())),
                ("with", slug(&g.with)),
                ("status", s(g.status.code())),
                ("contribution", g.contribution.map(Value::Float)),
                ("starts", date(&g.starts)),
                ("ends", date(&g.ends)),
                ("sources", strings(&g.sources)),
                ("example", strings(&g.example)),
                ("note", text(&g.note)),
                ("service", array(services)),
            ])
        })
        .collect();
    let mut doc = Table::new();
    for (key, items) in [("fund", funds), ("contribution", contributions), ("agreement", agreements)] {
        if !items.is_empty() {
            doc.insert(key.to_owned(), Value::Array(items.into_iter().map(Value::Table).collect()));
        }
    }
    Ok(format!("# The council's money: funds with their allocations, bids and spend, partners' matched contributions, and agreements to devolve services, as the register holds them.\n\n{}", toml::to_string(&doc).map_err(|e| e.to_string())?))
}

fn plans_toml(reg: &Register) -> Result<String, String> {
    use crate::register::model::Party;
    let date = |d: &Option<crate::ids::PartialDate>| d.as_ref().map(|d| Value::String(d.to_string()));
    let text = |v: &Option<String>| v.clone().map(Value::String);
    let slug = |v: &Option<Slug>| v.as_ref().map(|x| Value::String(x.to_string()));
    let period = |p: &Option<crate::programmes::Period>| p.map(|p| Value::String(p.to_string()));
    let array = |items: Vec<Value>| (!items.is_empty()).then_some(Value::Array(items));
    let numbers = |v: &[u32]| array(v.iter().map(|n| Value::Integer(i64::from(*n))).collect());
    let strategies: Vec<Table> = reg
        .strategies
        .iter()
        .map(|x| {
            let aims =
                x.aims.iter().map(|a| Value::Table(table(vec![("number", int(Some(a.number))), ("name", s(&a.name)), ("text", text(&a.text))]))).collect();
            let objectives = x
                .objectives
                .iter()
                .map(|o| {
                    Value::Table(table(vec![
                        ("number", int(Some(o.number))),
                        ("aim", int(Some(o.aim))),
                        ("name", s(&o.name)),
                        ("text", text(&o.text)),
                        ("by", period(&o.by)),
                        ("status", s(o.status.code())),
                        ("measures", strings(&o.measures)),
                        ("note", text(&o.note)),
                    ]))
                })
                .collect();
            table(vec![
                ("slug", s(x.slug.as_str())),
                ("name", s(&x.name)),
                ("summary", text(&x.summary)),
                ("dated", date(&x.dated)),
                ("status", s(x.status.code())),
                ("owner_organisation", if let Some(Party::Organisation(o)) = &x.owner { s(o.as_str()) } else { None }),
                ("owner_body", if let Some(Party::Body(b)) = &x.owner { s(b.as_str()) } else { None }),
                ("principles", strings(&x.principles)),
                ("decisions", strings(&x.decisions)),
                ("sources", strings(&x.sources)),
                ("example", strings(&x.example)),
                ("note", text(&x.note)),
                ("aim", array(aims)),
                ("objective", array(objectives)),
            ])
        })
        .collect();
    let plans: Vec<Table> = reg
        .plans
        .iter()
        .map(|x| {
            let actions = x
                .actions
                .iter()
                .map(|a| {
                    Value::Table(table(vec![
                        ("text", s(&a.text)),
                        ("objectives", numbers(&a.objectives)),
                        ("themes", strings(&a.themes)),
                        ("owner", text(&a.owner)),
                        ("starts", date(&a.starts)),
                        ("due", date(&a.due)),
                        ("status", s(a.status.code())),
                        ("initiative", slug(&a.initiative)),
                        ("steps", strings(&a.steps)),
                    ]))
                })
                .collect();
            table(vec![
                ("slug", s(x.slug.as_str())),
                ("name", s(&x.name)),
                ("strategy", slug(&x.strategy)),
                ("programme", slug(&x.programme)),
                ("area", text(&x.area)),
                ("led_by", slug(&x.led_by)),
                ("period", period(&x.period)),
                ("status", s(x.status.code())),
                ("text", text(&x.text)),
                ("sources", strings(&x.sources)),
                ("example", strings(&x.example)),
                ("note", text(&x.note)),
                ("action", array(actions)),
            ])
        })
        .collect();
    let mut doc = Table::new();
    for (key, items) in [("strategy", strategies), ("plan", plans)] {
        if !items.is_empty() {
            doc.insert(key.to_owned(), Value::Array(items.into_iter().map(Value::Table).collect()));
        }
    }
    Ok(format!(
        "# The council's strategies, with their aims and objectives, and its action plans, with their actions, as the register holds them.\n\n{}",
        toml::to_string(&doc).map_err(|e| e.to_string())?
    ))
}

fn measures_toml(reg: &Register) -> Result<String, String> {
    let num = |x: f64| Value::Float(x);
    let items: Vec<Table> = reg
        .measures
        .iter()
        .map(|m| {
            let targets: Vec<Value> = m
                .targets
                .iter()
                .map(|t| Value::Table(table(vec![("period", t.period.map(|p| Value::String(p.to_string()))), ("value", Some(num(t.value)))])))
                .collect();
            let actuals: Vec<Value> = m
                .actuals
                .iter()
                .map(|a| {
                    Value::Table(table(vec![
                        ("period", s(a.period.to_string())),
                        ("value", Some(num(a.value))),
                        ("commentary", a.commentary.clone().map(Value::String)),
                        ("corrective_action", a.corrective_action.clone().map(Value::String)),
                        ("action_owner", a.action_owner.clone().map(Value::String)),
                        ("entered_by", a.entered_by.clone().map(Value::String)),
                        (
                            "entered_at",
                            a.entered_at
                                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                                .map(|d| Value::String(d.format("%Y-%m-%dT%H:%M:%SZ").to_string())),
                        ),
                    ]))
                })
                .collect();
            table(vec![
                ("slug", s(m.slug.as_str())),
                ("programme", s(m.programme.as_str())),
                ("initiative", m.initiative.as_ref().map(|i| Value::String(i.to_string()))),
                ("name", s(&m.name)),
                ("unit", s(&m.unit)),
                ("polarity", s(m.polarity.code())),
                ("frequency", s(m.frequency.code())),
                ("source", m.source.clone().map(Value::String)),
                ("indicator", m.indicator.as_ref().map(|i| Value::String(i.to_string()))),
                ("themes", strings(&m.themes)),
                ("outcomes", strings(&m.outcomes)),
                ("rule", s(m.rule.code())),
                ("owner", m.owner.clone().map(Value::String)),
                ("sources", strings(&m.sources)),
                ("example", strings(&m.example)),
                ("note", m.note.clone().map(Value::String)),
                ("baseline", m.baseline.as_ref().map(|b| Value::Table(table(vec![("period", s(b.period.to_string())), ("value", Some(num(b.value)))])))),
                ("target", (!targets.is_empty()).then_some(Value::Array(targets))),
                ("actual", (!actuals.is_empty()).then_some(Value::Array(actuals))),
            ])
        })
        .collect();
    toml_text("measure", items, "The programmes' measures, their targets and the actuals reported, as the register holds them.")
}
