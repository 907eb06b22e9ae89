//! Decisions, planned without I/O: taken at a meeting, ratified by a
//! constituent body, or notified on the forward plan.

use crate::change::*;
use crate::decisions::forms::*;
use crate::decisions::model::*;
use crate::decisions::rules::*;
use crate::decisions::visibility::sees_decision;
use crate::forms::*;
use crate::ids::{slugify, PartialDate, Slug};
use crate::meetings::commands::*;
use crate::permissions::{Actor, Resource};
use crate::register::model::Party;
use crate::register::queries::Index;
use chrono::NaiveDate;
use serde_json::json;

/// Areas named by code or name, one a line or separated by commas.
pub(crate) fn areas_field(ix: &Index, errors: &mut Vec<FieldError>, value: &str) -> Vec<String> {
    let mut out = Vec::new();
    if value.chars().count() > 4000 {
        errors.push(err("areas", "Areas must be 4000 characters or fewer: name each ward once, or give its GSS code"));
        return out;
    }
    for name in value.split([',', '\n']).map(line).filter(|n| !n.is_empty()) {
        if name.chars().count() > 200 {
            errors.push(err("areas", "Each area's name must be 200 characters or fewer"));
            break;
        }
        let found = ix.area(&name).or_else(|| ix.register.areas.iter().find(|a| a.name.eq_ignore_ascii_case(&name)));
        match found {
            Some(a) if !out.contains(&a.code) => out.push(a.code.clone()),
            Some(_) => {}
            None => {
                errors.push(err("areas", format!("“{name}” is not an area in the register: give a ward's name or its GSS code, like E05015942")));
                break;
            }
        }
    }
    out
}

pub(crate) fn day_field(errors: &mut Vec<FieldError>, field: &'static str, what: &str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    crate::forms::written_day(v).map_err(|_| errors.push(err(field, format!("{what} must be a real date, like 31/12/2026")))).ok()
}

pub(crate) fn decision_change(ix: &Index, action: &'static str, d: Decision) -> Change {
    let old = ix.register.decisions.iter().find(|x| x.slug == d.slug);
    let recorded = Recorded {
        action,
        record_kind: "decision",
        record_id: d.slug.to_string(),
        body: Some(d.body.clone()),
        before: old.map(to_value),
        after: Some(to_value(&d)),
    };
    let body = d.body.clone();
    Change { writes: vec![Write::PutDecision(d)], resource: Resource::Decision(body), recorded }
}

/// The power a decision is taken under, checked against what its body may
/// decide: where the body's powers are recorded, one of them, or `beyond`
/// (the decision goes beyond them, and so beyond the members' delegated
/// authority, and goes to the constituent bodies to ratify). Left unsaid, it
/// is recorded under none, and governance health flags it until it is
/// ratified. A body with no powers recorded is not asked.
fn power_field(ix: &Index, errors: &mut Vec<FieldError>, body: &str, typed: &str) -> (Option<Slug>, bool) {
    let powers = ix.body(body).map(|b| b.powers.as_slice()).unwrap_or_default();
    match typed.trim() {
        _ if powers.is_empty() => (None, false),
        "beyond" => (None, true),
        "" => (None, false),
        p => match powers.iter().find(|x| x.slug.as_str() == p) {
            Some(x) => (Some(x.slug.clone()), false),
            None => {
                errors.push(err("power", "Select one of the body's powers, or say that the decision goes beyond them"));
                (None, false)
            }
        },
    }
}

/// Records a decision taken at a meeting, by `actor`. Where it needs
/// ratification, each constituent body is asked, today. The earlier decision
/// it follows must be one the actor may see, and is only linked to: the new
/// decision joins its issue, and the earlier record is left as it was.
pub fn plan_decision(ix: &Index, actor: &Actor, meeting: &str, form: &DecisionForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let (m, _) = meeting_to_change(ix, meeting)?;
    let mut errors = Vec::new();
    not_cancelled(&mut errors, &m, "meeting", "no decision can be recorded at it");
    if NaiveDate::parse_from_str(m.date.as_str(), "%Y-%m-%d").is_ok_and(|d| d > today) {
        errors.push(err("meeting", "This meeting has not happened yet: record its decisions on or after its day, or put them on the forward plan"));
    }
    let plan = (!form.forthcoming.trim().is_empty())
        .then(|| ix.register.decisions.iter().find(|d| d.forthcoming && d.body == m.body && d.slug.as_str() == form.forthcoming.trim()));
    if plan == Some(None) {
        errors.push(err("forthcoming", "Select one of the body's forthcoming decisions, or none"));
    }
    let plan = plan.flatten();
    let title = if form.title.trim().is_empty() { plan.map(|p| p.title.clone()).unwrap_or_default() } else { line(&form.title) };
    if title.is_empty() {
        errors.push(err("title", "Enter the decision's title"));
    }
    check_len(&mut errors, "title", "Title", &title, 200);
    let summary = lines(&mut errors, "summary", "Decision", &form.summary);
    let mut resolutions = Vec::new();
    for (i, text) in lines(&mut errors, "resolutions", "Resolutions", &form.resolutions).into_iter().enumerate() {
        match outcome_verb(&text) {
            Some(v) => resolutions.push(Resolution { number: Some((i + 1).to_string()), text, verb: v.to_owned() }),
            None => errors.push(err(
                "resolutions",
                format!("Resolution {} has no outcome verb: end it as minuted, in capitals, with one of {}", i + 1, OUTCOME_VERBS.join(", ")),
            )),
        }
    }
    if resolutions.is_empty() && !errors.iter().any(|e| e.field == "resolutions") {
        errors.push(err("resolutions", "Enter what was resolved, one resolution a line, like “That the plan be AGREED.”"));
    }
    let reached = match form.reached.trim() {
        "consensus" => Some(Reached::Consensus),
        "vote" => {
            let n = |errors: &mut Vec<FieldError>, f: &'static str, w: &str, v: &str| {
                number(errors, f, w, if v.trim().is_empty() { "0" } else { v }, 0..=1000).unwrap_or(0)
            };
            Some(Reached::Vote {
                r#for: n(&mut errors, "votes_for", "Votes for", &form.votes_for),
                against: n(&mut errors, "votes_against", "Votes against", &form.votes_against),
                abstaining: n(&mut errors, "votes_abstaining", "Abstentions", &form.votes_abstaining),
            })
        }
        _ => {
            errors.push(err("reached", "Select how the decision was reached: by consensus or by a vote"));
            None
        }
    };
    let notified = plan.and_then(|p| p.notified).or_else(|| day_field(&mut errors, "notified", "The day it was first notified", &form.notified));
    let exempt = exemption(&mut errors, &form.exempt);
    let mut areas = areas_field(ix, &mut errors, &form.areas);
    let follows = form.follows.trim();
    let earlier = (!follows.is_empty())
        .then(|| ix.register.decisions.iter().find(|d| !d.forthcoming && d.slug.as_str() == follows && sees_decision(&ix.register, actor, follows)));
    if earlier == Some(None) {
        errors.push(err("follows", "Select one of the decisions already taken, or none"));
    }
    let earlier = earlier.flatten();
    let (power, beyond_powers) = power_field(ix, &mut errors, m.body.as_str(), &form.power);
    if !errors.is_empty() {
        return Err(errors);
    }
    if areas.is_empty() {
        areas = plan.map(|p| p.areas.clone()).unwrap_or_default();
    }
    let slug = plan.map(|p| p.slug.clone()).unwrap_or_else(|| {
        record_slug(exempt, "decision", &slugify(&format!("{title} {}", m.date.as_str())), |s| ix.register.decisions.iter().any(|d| d.slug.as_str() == s))
    });
    let mut d = Decision {
        slug,
        body: m.body.clone(),
        date: m.date.clone(),
        title,
        key_decision: Some(ticked(&form.key_decision)),
        call_in: None,
        summary,
        minutes: Vec::new(),
        resolutions,
        reached,
        areas,
        documents: Vec::new(),
        // Following an earlier decision joins its issue (named after it, if
        // it had none: the history finds it by its slug).
        issue: earlier.map(|e| e.issue.clone().unwrap_or_else(|| e.slug.clone())).or_else(|| plan.and_then(|p| p.issue.clone())),
        meeting: Some(m.slug.clone()),
        sources: Vec::new(),
        example: Vec::new(),
        exempt,
        forthcoming: false,
        notified,
        beyond_delegation: beyond_powers || ticked(&form.beyond_delegation) || plan.is_some_and(|p| p.beyond_delegation),
        power,
        ratifications: Vec::new(),
    };
    if needs_ratification(ix, &d) {
        d.ratifications = constituents(ix, m.body.as_str())
            .into_iter()
            .map(|o| Ratification { organisation: o, requested: today, status: RatificationStatus::Pending, answered: None, minute: None })
            .collect();
    }
    Ok(decision_change(ix, "record-decision", d))
}

/// Records a constituent body's answer to a request to ratify a decision.
pub fn plan_ratification(ix: &Index, decision: &str, form: &RatificationForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(d) = ix.register.decisions.iter().find(|d| d.slug.as_str() == decision) else { return Err(vec![err("decision", "There is no such decision")]) };
    let mut errors = Vec::new();
    let body = d.body.to_string();
    let org = form.organisation.trim();
    let members = constituents(ix, &body);
    if !members.iter().any(|o| o.as_str() == org) {
        let name = ix.organisation(org).map_or(org, |o| o.name.as_str());
        let body_name = ix.body(&body).map_or(body.as_str(), |b| b.name.as_str());
        errors.push(err(
            "organisation",
            format!("{name} is not a constituent body of {body_name}: only the organisations its members represent ratify its decisions"),
        ));
    } else if !d.ratifications.iter().any(|r| r.organisation.as_str() == org) {
        errors.push(err("organisation", "This decision has not been sent to that body for ratification"));
    }
    let status = RatificationStatus::parse(form.status.trim())
        .map_err(|_| errors.push(err("status", "Select whether the body ratified or declined the decision, or it is still pending")))
        .ok();
    let answered = day_field(&mut errors, "answered", "The day of its decision", &form.answered);
    let decided_on = NaiveDate::parse_from_str(d.date.as_str(), "%Y-%m-%d").ok();
    if answered.is_some_and(|a| a > today || decided_on.is_some_and(|d| a < d)) {
        errors.push(err("answered", "The day of its decision must fall between the decision and today"));
    }
    check_len(&mut errors, "minute", "Minute reference", form.minute.trim(), 100);
    if matches!(status, Some(RatificationStatus::Ratified | RatificationStatus::Declined)) {
        if answered.is_none() {
            errors.push(err("answered", "Enter the day the body made its decision, like 2027-03-09"));
        }
        if form.minute.trim().is_empty() {
            errors.push(err("minute", "Enter the minute reference of the body's decision"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let status = status.expect("checked above");
    let old = d.ratifications.iter().find(|r| r.organisation.as_str() == org).expect("checked above");
    let new = Ratification {
        status,
        answered: answered.filter(|_| status != RatificationStatus::Pending),
        minute: opt_line(&form.minute).filter(|_| status != RatificationStatus::Pending),
        ..old.clone()
    };
    let recorded = Recorded {
        action: "record-ratification",
        record_kind: "ratification",
        record_id: format!("{}/{}", d.slug, new.organisation),
        body: Some(d.body.clone()),
        before: Some(to_value(old)),
        after: Some(to_value(&new)),
    };
    Ok(Change { writes: vec![Write::PutRatification { decision: d.slug.clone(), ratification: new }], resource: Resource::Decision(d.body.clone()), recorded })
}

/// Puts a decision to come on the body's forward plan.
pub fn plan_forthcoming(ix: &Index, body: &str, form: &ForthcomingForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let mut errors = Vec::new();
    check_name(&mut errors, "title", &form.title, "Enter the decision's title");
    let date = day_field(&mut errors, "date", "The day it is expected", &form.date);
    if date.is_none() && !errors.iter().any(|e| e.field == "date") {
        errors.push(err("date", "Enter the day the decision is expected, like 2027-03-09"));
    }
    let notified = day_field(&mut errors, "notified", "The day it was first notified", &form.notified).unwrap_or(today);
    if date.is_some_and(|d| d < notified) {
        errors.push(err("date", "The decision cannot be expected before it was notified"));
    }
    let exempt = exemption(&mut errors, &form.exempt);
    if !errors.is_empty() {
        return Err(errors);
    }
    let date = date.expect("checked above");
    let title = line(&form.title);
    let slug = record_slug(exempt, "decision", &slugify(&format!("{title} {}", date.format("%Y-%m-%d"))), |s| {
        ix.register.decisions.iter().any(|d| d.slug.as_str() == s)
    });
    let d = Decision {
        slug,
        body: b.slug.clone(),
        date: PartialDate::parse(&date.format("%Y-%m-%d").to_string()).expect("a real date"),
        title,
        key_decision: Some(ticked(&form.key_decision)),
        call_in: None,
        summary: Vec::new(),
        minutes: Vec::new(),
        resolutions: Vec::new(),
        reached: None,
        areas: Vec::new(),
        documents: Vec::new(),
        issue: None,
        meeting: None,
        sources: Vec::new(),
        example: Vec::new(),
        exempt,
        forthcoming: true,
        notified: Some(notified),
        beyond_delegation: ticked(&form.beyond_delegation),
        power: None,
        ratifications: Vec::new(),
    };
    Ok(decision_change(ix, "add-forthcoming-decision", d))
}

/// Plans a new disagreement among a body's partners (`dispute` is `None`)
/// or the next step of one: a stage of the body's escalation path reached,
/// and its outcome once resolved. Confidential unless the form publishes it.
pub fn plan_dispute(ix: &Index, body: &str, dispute: Option<&str>, form: &DisputeForm, today: NaiveDate) -> Result<Change, Vec<FieldError>> {
    let Some(b) = ix.body(body) else { return Err(vec![err("body", "There is no such body")]) };
    let old = match dispute {
        Some(slug) => match ix.register.disputes.iter().find(|d| d.slug.as_str() == slug && d.body.as_str() == body) {
            Some(d) => Some(d),
            None => return Err(vec![err("dispute", "There is no such disagreement")]),
        },
        None => None,
    };
    let mut errors = Vec::new();
    let title = if old.is_some() && form.title.trim().is_empty() { old.map(|d| d.title.clone()).unwrap_or_default() } else { line(&form.title) };
    if title.is_empty() {
        errors.push(err("title", "Enter what the disagreement is about"));
    }
    check_len(&mut errors, "title", "Title", &title, 200);
    let mut parties = old.map(|d| d.parties.clone()).unwrap_or_default();
    for name in form.parties.lines().flat_map(|l| l.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
        let found =
            ix.register.organisations.iter().find(|o| {
                o.slug.as_str() == name || o.name.eq_ignore_ascii_case(name) || o.short_name.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(name))
            });
        match found {
            Some(o) if !parties.contains(&o.slug) => parties.push(o.slug.clone()),
            Some(_) => {}
            None => errors.push(err("parties", format!("There is no partner organisation called “{name}”: give its name as the register has it"))),
        }
    }
    let raised = match old {
        Some(d) => Some(d.raised),
        None => match day_field(&mut errors, "raised", "The day it was raised", &form.raised) {
            Some(d) if d > today => {
                errors.push(err("raised", "The day it was raised cannot be in the future"));
                None
            }
            Some(d) => Some(d),
            None if !errors.iter().any(|e| e.field == "raised") => {
                errors.push(err("raised", "Enter the day the disagreement was raised, like 31/12/2026"));
                None
            }
            None => None,
        },
    };
    let mut steps = old.map(|d| d.steps.clone()).unwrap_or_default();
    let stage = form.stage.trim();
    if !stage.is_empty() {
        if !b.escalation.iter().any(|s| s == stage) {
            errors.push(err("stage", format!("Select one of the stages of {}'s escalation path", b.name)));
        }
        let on = day_field(&mut errors, "stage_on", "The day it reached this stage", &form.stage_on).unwrap_or(today);
        if raised.is_some_and(|r| on < r) {
            errors.push(err("stage_on", "It cannot reach a stage before it was raised"));
        }
        steps.push(DisputeStep { stage: stage.to_owned(), on, note: opt_line(&form.note) });
    }
    let outcome = opt_line(&form.outcome).or_else(|| old.and_then(|d| d.outcome.clone()));
    let resolved = day_field(&mut errors, "resolved", "The day it was resolved", &form.resolved).or_else(|| old.and_then(|d| d.resolved));
    if resolved.is_some() && outcome.is_none() {
        errors.push(err("outcome", "Say how it was resolved"));
    }
    if let (Some(r), Some(x)) = (raised, resolved) {
        if x < r {
            errors.push(err("resolved", "It cannot be resolved before it was raised"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let slug = old.map(|d| d.slug.clone()).unwrap_or_else(|| {
        let base = slugify(&title);
        let mut n = 1;
        let mut s = base.clone();
        while ix.register.disputes.iter().any(|d| d.slug.as_str() == s) {
            n += 1;
            s = format!("{base}-{n}");
        }
        Slug::parse(&s).unwrap_or_else(|_| Slug::parse("disagreement").expect("a slug"))
    });
    let d =
        Dispute { slug, body: b.slug.clone(), title, parties, raised: raised.expect("checked above"), steps, outcome, resolved, public: ticked(&form.public) };
    let recorded = Recorded {
        action: if old.is_some() { "edit-disagreement" } else { "add-disagreement" },
        record_kind: "disagreement",
        record_id: d.slug.to_string(),
        body: Some(b.slug.clone()),
        before: old.map(to_value),
        after: Some(to_value(&d)),
    };
    Ok(Change { writes: vec![Write::PutDispute(d)], resource: Resource::Dispute(b.slug.clone()), recorded })
}

// ---- commitments -------------------------------------------------------------------

/// Plans a new commitment by an organisation or body (`slug` is `None`) or a
/// change to one: what was committed to, when it was made, when it is due,
/// and once met, when and by which decision. Its secretariat records a
/// body's commitments; the register's keeper an organisation's.
pub fn plan_commitment(ix: &Index, by: &Party, slug: Option<&str>, form: &CommitmentForm) -> Result<Change, Vec<FieldError>> {
    let old = match slug {
        Some(s) => match ix.register.commitments.iter().find(|c| c.slug.as_str() == s) {
            Some(c) => Some(c),
            None => return Err(vec![err("text", "There is no such commitment")]),
        },
        None => None,
    };
    let by = old.map_or_else(|| by.clone(), |c| c.by.clone());
    let maker_exists = match &by {
        Party::Body(b) => ix.body(b.as_str()).is_some(),
        Party::Organisation(o) => ix.organisation(o.as_str()).is_some(),
    };
    if !maker_exists {
        return Err(vec![err("text", "There is no such organisation or body")]);
    }
    let mut errors = Vec::new();
    let text = line(&form.text);
    if text.is_empty() {
        errors.push(err("text", "Enter what was committed to, in the words of the record"));
    }
    check_len(&mut errors, "text", "The commitment", &text, 4000);
    let made = date(&mut errors, "made", "Date it was made", &form.made);
    let due = date(&mut errors, "due", "Date it is due", &form.due);
    if due.is_none() && form.due.trim().is_empty() {
        errors.push(err("due", "Enter the date it is due, like 31/7/2022 (or a month, like 7/2022)"));
    }
    let met = date(&mut errors, "met", "Date it was met", &form.met);
    if let (Some(m), Some(d)) = (&made, &due) {
        if d < m {
            errors.push(err("due", format!("Date it is due must be the same as or after the date it was made ({})", m.display())));
        }
    }
    if let (Some(m), Some(x)) = (&made, &met) {
        if x < m {
            errors.push(err("met", format!("Date it was met must be the same as or after the date it was made ({})", m.display())));
        }
    }
    let met_by = match form.met_by.trim() {
        "" => None,
        s => match ix.register.decisions.iter().find(|d| d.slug.as_str() == s && !d.forthcoming) {
            Some(d) => Some(d.slug.clone()),
            None => {
                errors.push(err("met_by", "Select one of the decisions listed, or none"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let slug = old.map_or_else(
        || {
            let words: Vec<&str> = text.split_whitespace().take(8).collect();
            free_slug(&slugify(&words.join(" ")), |s| ix.register.commitments.iter().any(|c| c.slug.as_str() == s))
        },
        |c| c.slug.clone(),
    );
    let (due, met) =
        (due.expect("checked"), met.or_else(|| met_by.as_ref().and_then(|m| ix.register.decisions.iter().find(|d| &d.slug == m)).map(|d| d.date.clone())));
    // A value the officer changes is theirs, no longer the example's.
    let example = old
        .map(|c| {
            c.example
                .iter()
                .filter(|f| match f.as_str() {
                    "text" => c.text == text,
                    "made" => c.made == made,
                    "due" => c.due == due,
                    "met" => c.met == met,
                    "met_by" => c.met_by == met_by,
                    _ => true,
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let new = Commitment { slug: slug.clone(), by, text, made, due, met_by, met, sources: old.map(|c| c.sources.clone()).unwrap_or_default(), example };
    let view = |c: &Commitment| json!({ "by": ix.party_name(&c.by), "text": c.text, "made": c.made, "due": c.due, "met": c.met, "met_by": c.met_by });
    let recorded = Recorded {
        action: if old.is_some() { "edit-commitment" } else { "add-commitment" },
        record_kind: "commitment",
        record_id: slug.to_string(),
        body: match &new.by {
            Party::Body(b) => Some(b.clone()),
            Party::Organisation(_) => None,
        },
        before: old.map(view),
        after: Some(view(&new)),
    };
    let resource = match &new.by {
        Party::Body(b) => Resource::Decision(b.clone()),
        Party::Organisation(_) => Resource::Register,
    };
    Ok(Change { writes: vec![Write::PutCommitment(new)], resource, recorded })
}
