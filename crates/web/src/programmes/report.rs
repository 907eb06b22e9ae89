//! The progress report for Cabinet: one report, worked out once from the
//! record (`programmes::report`), shown as a printable page, and downloaded
//! as CSV and as PDF with the same figures. Its programme's managers write
//! its highlights here.

use crate::shell::errors::{not_found, AppError};
use crate::shell::render::{council_json, council_of, crumbs, page, Page};
use crate::shell::viewer::Viewer;
use crate::shell::write::*;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use placeworks_domain::permissions::{Action, Resource};
use placeworks_domain::programmes::commands::{plan_highlight, Entering, Replacing};
use placeworks_domain::programmes::forms::{number_text, HighlightForm};
use placeworks_domain::programmes::report::{report, report_csv, report_periods, Report, CSV_HEADER};
use placeworks_domain::programmes::{pounds, Period, Status};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// The report asked for: the programme's, for the period asked for or else
/// the latest with figures, from this server's view of the record.
fn the_report(state: &AppState, council: &str, programme: &str, asked: &str) -> Result<(Report, Vec<Period>), AppError> {
    let ix = council_of(state, council)?;
    let version = state.site().view(council).map_or(0, |v| v.version);
    if !ix.register.programmes.iter().any(|p| p.slug.as_str() == programme) {
        return Err(not_found(format!("There is no programme called “{programme}”.")));
    }
    let periods = report_periods(&ix.register, programme);
    let period = match asked.trim() {
        "" => periods.first().copied().ok_or_else(|| not_found("This programme has no figures to report yet."))?,
        p => Period::parse(p).map_err(|e| AppError::BadRequest(format!("{e}.")))?,
    };
    let r = report(&ix.register, programme, period, state.clock.today(), version).ok_or_else(|| not_found("There is no such programme."))?;
    Ok((r, periods))
}

fn tag(s: Status) -> &'static str {
    match s {
        Status::Green => "govuk-tag--green",
        Status::Amber => "govuk-tag--yellow",
        Status::Red => "govuk-tag--red",
        _ => "govuk-tag--grey",
    }
}

fn n(x: Option<f64>) -> String {
    x.map(number_text).unwrap_or_default()
}

/// The report as a printable page.
pub async fn report_page(State(state): State<AppState>, Path((council, slug)): Path<(String, String)>, Query(q): Query<PeriodQuery>) -> Page {
    let (r, periods) = the_report(&state, &council, &slug, &q.period)?;
    let ix = council_of(&state, &council)?;
    let c = ix.register.council.slug.as_str();
    let measures: Vec<_> = r
        .measures
        .iter()
        .map(|m| {
            json!({
                "slug": m.slug, "name": m.name, "unit": m.unit, "target": n(m.target), "target_undated": m.target_undated, "actual": n(m.actual),
                "status": m.status.code(), "status_words": m.status.label(), "tag": tag(m.status),
                "since_last": m.since_last.label(), "since_year": m.since_year.label(),
                "commentary": m.commentary, "corrective_action": m.corrective_action, "action_owner": m.action_owner,
            })
        })
        .collect();
    let money: Vec<_> =
        r.money.iter().map(|f| json!({ "name": f.name, "amount": pounds(f.amount), "allocated": pounds(f.allocated), "spent": pounds(f.spent) })).collect();
    let query = format!("?period={}", encode_period(r.period));
    page(
        "report.html",
        json!({
            "council": council_json(&ix), "page_title": format!("Progress report: {}, {}", r.programme, r.period_label), "section": "programmes",
            "breadcrumbs": crumbs(&ix, &[("Programmes", format!("/{c}/programmes")), (&r.programme, format!("/{c}/programmes/{}", r.programme_slug))]),
            "report": r, "made_on": r.made_on.format("%-d %B %Y").to_string(), "measures": measures, "money": money,
            "highlights": r.highlights.iter().flat_map(|h| h.text.lines().map(str::to_owned)).collect::<Vec<_>>(),
            "periods": periods.iter().map(|p| json!({ "value": p.to_string(), "label": p.label(), "selected": *p == r.period })).collect::<Vec<_>>(),
            "progress": r.progress.as_ref().map(|(words, working)| json!({ "value": words, "working": working })),
            "csv": format!("/{c}/programmes/{}/report.csv{query}", r.programme_slug),
            "pdf": format!("/{c}/programmes/{}/report.pdf{query}", r.programme_slug),
            "may_edit": viewer_may(c, Action::Edit, &Resource::Programme(placeworks_domain::Slug::parse(&r.programme_slug).expect("a programme's slug"))),
            "highlights_form": format!("/{c}/programmes/{}/highlights{query}", r.programme_slug),
        }),
    )
}

fn encode_period(p: Period) -> String {
    p.to_string().replace('/', "%2F").replace(' ', "+")
}

fn file_name(r: &Report, ext: &str) -> String {
    let period: String = r.period.to_string().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{}-progress-report-{period}.{ext}", r.programme_slug)
}

/// The report as CSV: its measures, funds, themes and highlights, each figure as on the page.
pub async fn report_csv_file(
    State(state): State<AppState>,
    Path((council, slug)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let (r, _) = the_report(&state, &council, &slug, &q.period)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
    w.write_record(CSV_HEADER).map_err(csv_error)?;
    for row in report_csv(&r) {
        w.write_record(&row).map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file_name(&r, "csv"))),
        ],
        bytes,
    )
        .into_response())
}

/// The report as PDF, with the page's figures.
pub async fn report_pdf_file(
    State(state): State<AppState>,
    Path((council, slug)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    use crate::shell::pdf::Block;
    let (r, _) = the_report(&state, &council, &slug, &q.period)?;
    let ix = council_of(&state, &council)?;
    let title = format!("{}: progress report, {}", r.programme, r.period_label);
    let mut blocks = vec![
        Block::Heading(1, title.clone()),
        Block::Note(format!(
            "{} to Cabinet. Made on {} from the record at version {}: reproducible from the record, period by period.",
            ix.register.council.name,
            r.made_on.format("%-d %B %Y"),
            r.record_version
        )),
        Block::Heading(2, "Highlights".into()),
    ];
    let lines: Vec<String> = r.highlights.iter().flat_map(|h| h.text.lines().map(|l| format!("• {l}"))).collect();
    if lines.is_empty() {
        blocks.push(Block::Paragraph("No highlights have been written for this period.".into()));
    }
    blocks.extend(lines.into_iter().map(Block::Paragraph));
    if let Some((words, working)) = &r.progress {
        blocks.push(Block::Heading(2, "Progress".into()));
        blocks.push(Block::Paragraph(format!("Progress of the whole: {words}.")));
        blocks.push(Block::Note(format!("{working}.")));
    }
    blocks.push(Block::Heading(2, "Measures".into()));
    blocks.push(Block::Table {
        widths: vec![3.0, 1.2, 1.2, 2.2, 1.5, 1.5, 3.0],
        header: ["Measure", "Target", "Actual", "Status", "Since the period before", "Since a year before", "Commentary"].map(String::from).to_vec(),
        rows: r
            .measures
            .iter()
            .map(|m| {
                let target = if m.target_undated && m.target.is_some() { format!("{} (no date)", n(m.target)) } else { n(m.target) };
                let mut comment = m.commentary.clone().unwrap_or_default();
                if let Some(a) = &m.corrective_action {
                    comment = format!("{comment} Corrective action: {a}{}", m.action_owner.as_ref().map(|o| format!(" ({o})")).unwrap_or_default());
                }
                vec![
                    format!("{} ({})", m.name, m.unit),
                    target,
                    n(m.actual),
                    m.status.label().to_owned(),
                    m.since_last.label().to_owned(),
                    m.since_year.label().to_owned(),
                    comment,
                ]
            })
            .collect(),
    });
    if !r.money.is_empty() {
        blocks.push(Block::Heading(2, "Spend against funding".into()));
        blocks.push(Block::Table {
            widths: vec![3.0, 1.5, 1.5, 1.5],
            header: ["Fund", "Amount", "Allocated", "Spent"].map(String::from).to_vec(),
            rows: r.money.iter().map(|f| vec![f.name.clone(), pounds(f.amount), pounds(f.allocated), pounds(f.spent)]).collect(),
        });
    }
    if !r.themes.is_empty() {
        blocks.push(Block::Heading(2, "By theme".into()));
        blocks.push(Block::Table {
            widths: vec![3.0, 1.0, 1.0, 1.0, 1.2, 1.2],
            header: ["Theme", "Green", "Amber", "Red", "Other", "Initiatives"].map(String::from).to_vec(),
            rows: r
                .themes
                .iter()
                .map(|t| vec![t.name.clone(), t.green.to_string(), t.amber.to_string(), t.red.to_string(), t.other.to_string(), t.initiatives.to_string()])
                .collect(),
        });
    }
    if !r.wards.is_empty() {
        blocks.push(Block::Heading(2, "By ward".into()));
        blocks.push(Block::Table {
            widths: vec![2.0, 4.0, 1.5],
            header: ["Ward", "Initiatives for this ward", "Across the programme's wards"].map(String::from).to_vec(),
            rows: r
                .wards
                .iter()
                .map(|w| vec![w.name.clone(), if w.here.is_empty() { "None".into() } else { w.here.join("; ") }, w.across.to_string()])
                .collect(),
        });
    }
    let bytes = crate::shell::pdf::document(&title, &blocks).map_err(|e| AppError::Unavailable(format!("The PDF could not be made: {e}.")))?;
    Ok((
        [(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", file_name(&r, "pdf")))],
        bytes,
    )
        .into_response())
}

// ---- highlights --------------------------------------------------------------------

fn highlights_editor(
    state: &AppState,
    council: &str,
    programme: &str,
) -> Result<(std::sync::Arc<placeworks_domain::register::Index>, Viewer, i64, placeworks_domain::programmes::Programme), Response> {
    let v = signed_in()?;
    let (ix, version) = registers(state, council, &v).map_err(IntoResponse::into_response)?;
    let Some(p) = ix.register.programmes.iter().find(|p| p.slug.as_str() == programme).cloned() else {
        return Err(not_found("There is no such programme.").into_response());
    };
    let v = allowed(council, Action::Edit, &Resource::Programme(p.slug.clone()))?;
    Ok((ix, v, version, p))
}

fn highlights_extra(council: &str, p: &placeworks_domain::programmes::Programme, period: &str) -> serde_json::Value {
    json!({
        "caption": p.name,
        "action": format!("/{council}/programmes/{}/highlights", p.slug),
        "cancel": format!("/{council}/programmes/{}/report?period={}", p.slug, period.replace('/', "%2F").replace(' ', "+")),
    })
}

/// The form to write a period's highlights.
pub async fn highlights_form(State(state): State<AppState>, Path((council, programme)): Path<(String, String)>, Query(q): Query<PeriodQuery>) -> Handled {
    let (ix, v, version, p) = or_respond!(highlights_editor(&state, &council, &programme));
    let period = Period::parse(&q.period).ok().unwrap_or_else(|| Period::last_ended(placeworks_domain::programmes::Frequency::Quarterly, state.clock.today()));
    let form = match p.highlights.iter().find(|h| h.period == period) {
        Some(h) => HighlightForm { period: period.to_string(), text: h.text.clone() },
        None => HighlightForm { period: period.to_string(), text: String::new() },
    };
    let title = format!("Highlights for Cabinet, {}", period.label());
    let crumbs = [("Programmes", format!("/{council}/programmes")), (p.name.as_str(), format!("/{council}/programmes/{}", p.slug))];
    council_form_page(
        "highlights-form.html",
        &ix,
        &v,
        &title,
        &crumbs,
        form,
        &[],
        opened_at(highlights_extra(&council, &p, &q.period), Some(version), json!(null)),
    )
}

/// Saves the highlights and goes back to the report.
pub async fn write_highlights(
    State(state): State<AppState>,
    Path((council, programme)): Path<(String, String)>,
    Form(post): Form<Posted<HighlightForm>>,
) -> Handled {
    let (ix, v, _, p) = or_respond!(highlights_editor(&state, &council, &programme));
    let (form, version) = or_respond!(post.checked_with_version(&v));
    // A form opened on the highlights may change them (unless someone else
    // has since); a post from no form may only write new ones.
    let opened = version.map(|version| Opened {
        kind: "highlight",
        id: format!("{} {}", p.slug, Period::parse(&form.period).map(|x| x.to_string()).unwrap_or_default()),
        version: Some(version),
    });
    let replacing = if opened.is_some() { Replacing::Allowed } else { Replacing::Refused };
    let who = Entering { by: &v.name, at: state.clock.unix(), today: state.clock.today() };
    match write(&state, &council, &v, opened, |ix| plan_highlight(ix, p.slug.as_str(), &form, &who, replacing)).await {
        Ok(_) => Ok(Redirect::to(&format!("/{council}/programmes/{}/report?period={}", p.slug, form.period.trim().replace('/', "%2F").replace(' ', "+")))
            .into_response()),
        Err(refused) => refused_page(refused, &ix, |errors, version, conflict| {
            let title = "Highlights for Cabinet";
            let crumbs = [("Programmes", format!("/{council}/programmes")), (p.name.as_str(), format!("/{council}/programmes/{}", p.slug))];
            council_form_page(
                "highlights-form.html",
                &ix,
                &v,
                title,
                &crumbs,
                &form,
                errors,
                opened_at(highlights_extra(&council, &p, &form.period), version, conflict),
            )
        }),
    }
}
