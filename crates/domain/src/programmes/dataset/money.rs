//! Money in a dataset: `[[fund]]` tables in programmes/*.toml with their
//! `[[fund.allocation]]`, `[[fund.bid]]` and `[[fund.spend]]`;
//! `[[contribution]]` (a partner's matched money) and `[[agreement]]` (a
//! parish delivering services for a contribution). Each mistake is named:
//! a bid larger than its fund, allocations past its total, a match from an
//! unknown partner, a period that is not a financial year.

use crate::ids::Slug;
use crate::programmes::model::period::Period;
use crate::programmes::model::*;
use crate::reader::*;
use crate::register::model::Party;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFund {
    slug: S,
    name: String,
    kind: S,
    source: Option<String>,
    held_by: Option<S>,
    programme: Option<S>,
    amount: f64,
    period: Option<S>,
    #[serde(default)]
    each_year: bool,
    conditions: Option<String>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    allocation: Vec<RawAllocation>,
    #[serde(default)]
    bid: Vec<RawBid>,
    #[serde(default)]
    spend: Vec<RawSpend>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllocation {
    slug: S,
    name: String,
    amount: f64,
    initiative: Option<S>,
    area: Option<S>,
    decision: Option<S>,
    date: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBid {
    slug: S,
    name: String,
    by_organisation: Option<S>,
    by_body: Option<S>,
    amount: f64,
    status: S,
    submitted: Option<S>,
    decision: Option<S>,
    area: Option<S>,
    initiative: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpend {
    period: S,
    amount: f64,
    allocation: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContribution {
    slug: S,
    partner: S,
    name: String,
    amount: f64,
    amount_words: Option<String>,
    #[serde(default)]
    each_year: bool,
    status: S,
    fund: Option<S>,
    initiative: Option<S>,
    #[serde(default)]
    areas: Vec<S>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAgreement {
    slug: S,
    parish: S,
    with: Option<S>,
    status: S,
    #[serde(default)]
    service: Vec<RawService>,
    contribution: Option<f64>,
    starts: Option<S>,
    ends: Option<S>,
    #[serde(default)]
    sources: Vec<S>,
    #[serde(default)]
    example: Vec<S>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    service: String,
    quantity: Option<String>,
}

/// The fields of a fund, a contribution and an agreement that may be marked as the example's.
pub(crate) const FUND_FIELDS: &[&str] =
    &["name", "kind", "source", "held_by", "programme", "amount", "period", "each_year", "conditions", "areas", "allocation", "bid", "spend"];
pub(crate) const CONTRIBUTION_FIELDS: &[&str] = &["partner", "name", "amount", "each_year", "status", "fund", "initiative", "areas"];
pub(crate) const AGREEMENT_FIELDS: &[&str] = &["parish", "with", "status", "service", "contribution", "starts", "ends"];

/// Money read from every file, each record with the file and text it came from.
pub(super) struct RawMoney<'a> {
    pub funds: Vec<(&'a str, &'a str, RawFund)>,
    pub contributions: Vec<(&'a str, &'a str, RawContribution)>,
    pub agreements: Vec<(&'a str, &'a str, RawAgreement)>,
}

/// A council's money, read.
pub(crate) struct Money {
    pub funds: Vec<Fund>,
    pub contributions: Vec<Contribution>,
    pub agreements: Vec<Agreement>,
}

/// An amount of money: a finite number of pounds, more than nothing unless `zero` is allowed.
fn amount<'a>(r: &mut Reader<'a>, at: At<'a>, field: &'static str, value: f64, zero: bool) -> Option<f64> {
    if value.is_finite() && (value > 0.0 || (zero && value == 0.0)) {
        Some(value)
    } else {
        r.c.add(
            at.file,
            Some(at.line),
            Some(field),
            format!("{value} is not an amount of money: give the pounds as a number{}", if zero { " of 0 or more" } else { " above 0" }),
        );
        None
    }
}

/// A financial year, like 2005/06.
fn year<'a>(r: &mut Reader<'a>, at: At<'a>, field: &'static str, s: &S) -> Option<Period> {
    match Period::parse(s.get_ref()) {
        Ok(p @ Period::Year { .. }) => Some(p),
        Ok(p) => {
            r.c.add(at.file, Some(at.line), Some(field), format!("`{p}` is not a financial year: money is given for a year, like 2005/06"));
            None
        }
        Err(e) => {
            r.c.add(at.file, Some(at.line), Some(field), e);
            None
        }
    }
}

/// A slug that must name one of `known`, said with a suggestion when it
/// does not; one that names a record refused for problems of its own (in
/// `declared` but not `known`) is not reported again.
fn one_of<'a>(r: &mut Reader<'a>, at: At<'a>, field: &'static str, what: &str, value: &str, known: &[&str], declared: &[&str]) -> Option<Slug> {
    if known.contains(&value) {
        return r.slug(at, field, value);
    }
    if declared.contains(&value) {
        return None;
    }
    let hint = suggestion(value, known.iter().copied());
    r.c.add(at.file, Some(at.line), Some(field), format!("unknown {what} `{value}`{hint}"));
    None
}

/// Reads the money, checked against the programmes and initiatives read
/// (`declared` holds every programme's and initiative's slug, read or refused).
pub(super) fn read_money<'a>(raw: RawMoney<'a>, programmes: &[Programme], initiatives: &[Initiative], declared: &[&str], r: &mut Reader<'a>) -> Money {
    let programme_slugs: Vec<&str> = programmes.iter().map(|p| p.slug.as_str()).collect();
    let initiative_slugs: Vec<&str> = initiatives.iter().map(|i| i.slug.as_str()).collect();
    let raw_funds: Vec<String> = raw.funds.iter().map(|(_, _, f)| f.slug.get_ref().clone()).collect();
    let raw_funds: Vec<&str> = raw_funds.iter().map(String::as_str).collect();
    let mut funds: Vec<Fund> = Vec::new();
    for (file, text, f) in raw.funds {
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        let a = at(&f.slug);
        let Some(slug) = r.slug(a, "slug", f.slug.get_ref()) else { continue };
        if funds.iter().any(|x| x.slug == slug) {
            r.c.add(file, Some(a.line), Some("slug"), format!("duplicate fund `{slug}`: give each fund its own slug"));
            continue;
        }
        let kind = FundKind::parse(f.kind.get_ref()).map_err(|e| r.c.add(file, Some(at(&f.kind).line), Some("kind"), e)).ok();
        let total = amount(r, a, "amount", f.amount, false);
        let period = f.period.as_ref().and_then(|p| year(r, at(p), "period", p));
        let held_by = f.held_by.as_ref().and_then(|b| {
            r.refer(at(b), "held_by", Target::Body, b.get_ref());
            r.slug(at(b), "held_by", b.get_ref()).map(Party::Body)
        });
        let programme = f.programme.as_ref().and_then(|p| one_of(r, at(p), "programme", "programme", p.get_ref(), &programme_slugs, declared));
        for x in &f.areas {
            r.refer(at(x), "areas", Target::Area, x.get_ref());
        }
        let mut allocations: Vec<Allocation> = Vec::new();
        for x in &f.allocation {
            let xa = at(&x.slug);
            let Some(s) = r.slug(xa, "allocation.slug", x.slug.get_ref()) else { continue };
            let Some(value) = amount(r, xa, "allocation.amount", x.amount, false) else { continue };
            let initiative =
                x.initiative.as_ref().and_then(|i| one_of(r, at(i), "allocation.initiative", "initiative", i.get_ref(), &initiative_slugs, declared));
            if let Some(v) = &x.area {
                r.refer(at(v), "allocation.area", Target::Area, v.get_ref());
            }
            let decision = x.decision.as_ref().and_then(|d| r.referred(at(d), "allocation.decision", Target::Decision, d.get_ref()));
            let date = x.date.as_ref().and_then(|d| r.date(at(d), "allocation.date", Some(d.get_ref())));
            allocations.push(Allocation {
                slug: s,
                name: x.name.trim().to_owned(),
                amount: value,
                initiative,
                area: x.area.as_ref().map(|v| v.get_ref().clone()),
                decision,
                date,
            });
            // Allocations may not take the fund past its total.
            if let Some(t) = total {
                let sum: f64 = allocations.iter().map(|a| a.amount).sum();
                if sum > t + 0.005 {
                    r.c.add(
                        file,
                        Some(xa.line),
                        Some("allocation.amount"),
                        format!("this allocation takes {} past its total: {} allocated of {}", f.name.trim(), pounds(sum), pounds(t)),
                    );
                }
            }
        }
        let mut bids = Vec::new();
        for x in &f.bid {
            let xa = at(&x.slug);
            let Some(s) = r.slug(xa, "bid.slug", x.slug.get_ref()) else { continue };
            let Some(value) = amount(r, xa, "bid.amount", x.amount, false) else { continue };
            if let Some(t) = total.filter(|t| value > *t) {
                r.c.add(
                    file,
                    Some(xa.line),
                    Some("bid.amount"),
                    format!("a bid of {} is larger than its fund, {} of {}", pounds(value), f.name.trim(), pounds(t)),
                );
                continue;
            }
            let status = BidStatus::parse(x.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&x.status).line), Some("bid.status"), e)).ok();
            let by = super::party(r, &at, &x.by_organisation, &x.by_body, ("bid.by_organisation", "bid.by_body"));
            let submitted = x.submitted.as_ref().and_then(|d| r.date(at(d), "bid.submitted", Some(d.get_ref())));
            let decision = x.decision.as_ref().and_then(|d| r.referred(at(d), "bid.decision", Target::Decision, d.get_ref()));
            if let Some(v) = &x.area {
                r.refer(at(v), "bid.area", Target::Area, v.get_ref());
            }
            let initiative = x.initiative.as_ref().and_then(|i| one_of(r, at(i), "bid.initiative", "initiative", i.get_ref(), &initiative_slugs, declared));
            let Some(status) = status else { continue };
            bids.push(Bid {
                slug: s,
                name: x.name.trim().to_owned(),
                by,
                amount: value,
                status,
                submitted,
                decision,
                area: x.area.as_ref().map(|v| v.get_ref().clone()),
                initiative,
            });
        }
        let mut spend = Vec::new();
        for x in &f.spend {
            let Some(period) = year(r, at(&x.period), "spend.period", &x.period) else { continue };
            let Some(value) = amount(r, at(&x.period), "spend.amount", x.amount, true) else { continue };
            let allocation = x.allocation.as_ref().and_then(|s| {
                let known: Vec<&str> = allocations.iter().map(|a| a.slug.as_str()).collect();
                one_of(r, at(s), "spend.allocation", "allocation of this fund", s.get_ref(), &known, &[])
            });
            spend.push(Spend { period, amount: value, allocation });
        }
        let sources = super::cited(r, &f.sources, &at);
        let example = r.example_fields(f.example.iter().map(|e| (at(e), e.get_ref().as_str())), FUND_FIELDS);
        let (Some(kind), Some(total)) = (kind, total) else { continue };
        funds.push(Fund {
            slug,
            name: f.name.trim().to_owned(),
            kind,
            source: f.source.clone(),
            held_by,
            programme,
            amount: total,
            period,
            each_year: f.each_year,
            conditions: f.conditions.clone(),
            areas: f.areas.iter().map(|a| a.get_ref().clone()).collect(),
            allocations,
            bids,
            spend,
            sources,
            example,
            note: f.note.clone(),
        });
    }
    let fund_slugs: Vec<String> = funds.iter().map(|f| f.slug.to_string()).collect();
    let fund_slugs: Vec<&str> = fund_slugs.iter().map(String::as_str).collect();
    let mut contributions: Vec<Contribution> = Vec::new();
    for (file, text, c) in raw.contributions {
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        let a = at(&c.slug);
        let Some(slug) = r.slug(a, "slug", c.slug.get_ref()) else { continue };
        if contributions.iter().any(|x| x.slug == slug) {
            r.c.add(file, Some(a.line), Some("slug"), format!("duplicate contribution `{slug}`"));
            continue;
        }
        let partner = r.referred(at(&c.partner), "partner", Target::Organisation, c.partner.get_ref());
        let value = amount(r, a, "amount", c.amount, false);
        let status = ContributionStatus::parse(c.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&c.status).line), Some("status"), e)).ok();
        let fund = c.fund.as_ref().and_then(|f| one_of(r, at(f), "fund", "fund", f.get_ref(), &fund_slugs, &raw_funds));
        let initiative = c.initiative.as_ref().and_then(|i| one_of(r, at(i), "initiative", "initiative", i.get_ref(), &initiative_slugs, declared));
        for x in &c.areas {
            r.refer(at(x), "areas", Target::Area, x.get_ref());
        }
        let sources = super::cited(r, &c.sources, &at);
        let example = r.example_fields(c.example.iter().map(|e| (at(e), e.get_ref().as_str())), CONTRIBUTION_FIELDS);
        let (Some(partner), Some(amount), Some(status)) = (partner, value, status) else { continue };
        contributions.push(Contribution {
            slug,
            partner,
            name: c.name.trim().to_owned(),
            amount,
            amount_words: c.amount_words.clone(),
            each_year: c.each_year,
            status,
            fund,
            initiative,
            areas: c.areas.iter().map(|a| a.get_ref().clone()).collect(),
            sources,
            example,
            note: c.note.clone(),
        });
    }
    let mut agreements: Vec<Agreement> = Vec::new();
    for (file, text, g) in raw.agreements {
        let at = |s: &S| At { file, line: placeworks_kernel::problems::line_of(text, s.span().start) };
        let a = at(&g.slug);
        let Some(slug) = r.slug(a, "slug", g.slug.get_ref()) else { continue };
        if agreements.iter().any(|x| x.slug == slug) {
            r.c.add(file, Some(a.line), Some("slug"), format!("duplicate agreement `{slug}`"));
            continue;
        }
        let parish = r.referred(at(&g.parish), "parish", Target::Organisation, g.parish.get_ref());
        let with = g.with.as_ref().and_then(|w| r.referred(at(w), "with", Target::Organisation, w.get_ref()));
        let status = AgreementStatus::parse(g.status.get_ref()).map_err(|e| r.c.add(file, Some(at(&g.status).line), Some("status"), e)).ok();
        let contribution = g.contribution.and_then(|v| amount(r, a, "contribution", v, true));
        let starts = g.starts.as_ref().and_then(|d| r.date(at(d), "starts", Some(d.get_ref())));
        let ends = g.ends.as_ref().and_then(|d| r.date(at(d), "ends", Some(d.get_ref())));
        if g.service.iter().any(|s| s.service.trim().is_empty()) {
            r.c.add(file, Some(a.line), Some("service.service"), "name each service delivered");
        }
        let sources = super::cited(r, &g.sources, &at);
        let example = r.example_fields(g.example.iter().map(|e| (at(e), e.get_ref().as_str())), AGREEMENT_FIELDS);
        let (Some(parish), Some(status)) = (parish, status) else { continue };
        agreements.push(Agreement {
            slug,
            parish,
            with,
            status,
            services: g.service.iter().map(|s| AgreedService { service: s.service.trim().to_owned(), quantity: s.quantity.clone() }).collect(),
            contribution,
            starts,
            ends,
            sources,
            example,
            note: g.note.clone(),
        });
    }
    Money { funds, contributions, agreements }
}
