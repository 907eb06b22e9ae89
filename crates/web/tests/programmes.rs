//! A programme's figures entered over HTTP, on SQLite and PostgreSQL: a
//! programme manager enters and corrects an actual and imports a file of
//! them; each is audited with who entered it, kept in the measure's history,
//! refused with its field (a file with its lines) and nothing half-written;
//! a stale form never overwrites another manager's figure; managers at once
//! all keep their figures; no one else may enter any.

use axum::http::StatusCode;
use placeworks_domain::accounts::NewPassword;
use placeworks_domain::permissions::Grant;
use placeworks_domain::Slug;
use placeworks_store::testing::{both, clock};
use placeworks_web::{router, AppState, Options};
use tower::ServiceExt;

mod common;
use common::*;

const MEASURE: &str = "/buckinghamshire/programmes/opportunity-bucks/measures/horizons-referrals";
const IMPORT: &str = "/buckinghamshire/programmes/opportunity-bucks/actuals/import";

async fn apps() -> Vec<(axum::Router, placeworks_store::testing::TestDb)> {
    let mut out = Vec::new();
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let hash = NewPassword::parse(PASSWORD).unwrap().hash();
        let ob = Slug::parse("opportunity-bucks").unwrap();
        for (id, email, name, grant) in [
            ("pm1", "manager@example.org", "Pat Manager", Grant::ManagesProgramme(ob.clone())),
            ("pm2", "deputy@example.org", "Dee Deputy", Grant::ManagesProgramme(ob.clone())),
            ("pm3", "elsewhere@example.org", "Olly Other", Grant::ManagesProgramme(Slug::parse("another-programme").unwrap())),
            ("il1", "lead@example.org", "Lee Lead", Grant::LeadsInitiative(Slug::parse("horizons-programme").unwrap())),
            ("il2", "castlefield@example.org", "Cas Field", Grant::LeadsInitiative(Slug::parse("castlefield-traffic-calming").unwrap())),
            ("wp1", "ward@example.org", "Wanda Ward", Grant::Secretariat(Slug::parse("booker-cressex-and-castlefield-ward-partnership").unwrap())),
        ] {
            db.store.create_account(id, email, name, &hash, &[("buckinghamshire".into(), grant)], 0).await.unwrap();
        }
        let state = AppState::new(db.store.clone(), clock()).await.unwrap();
        out.push((router(state, &Options::default()), db));
    }
    out
}

async fn horizons(db: &placeworks_store::testing::TestDb) -> placeworks_domain::programmes::Measure {
    let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
    reg.measures.into_iter().find(|m| m.slug.as_str() == "horizons-referrals").unwrap()
}

#[tokio::test]
async fn a_programme_manager_enters_an_actual_and_it_is_shown_kept_and_audited() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "manager@example.org").await;
        let (_, page) = get(&app, MEASURE, Some(&session)).await;
        assert!(page.contains("Enter an actual"), "on {}: the manager is offered the form", db.name);
        let (status, form) = get(&app, &format!("{MEASURE}/actual"), Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("Amber within 5% of it"), "the form says the measure's rule");
        let version = opened_version(&app, &format!("{MEASURE}/actual"), &session).await;
        let body = format!("csrf={csrf}{version}&period=2024%2F25+Q1&value=14&commentary=Five+more+referrals+from+the+ward+partnerships");
        let before = clock().unix();
        let (status, location, cookies, body) = send(&app, req("POST", &format!("{MEASURE}/actual"), Some(&session), Some(&body))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some(MEASURE));
        let saved = cookies.iter().find_map(|c| c.strip_prefix("pw_saved=")).map(|v| v.split(';').next().unwrap().to_owned()).expect("a confirmation to show");
        let (_, page) = get(&app, MEASURE, Some(&format!("{session}; pw_saved={saved}"))).await;
        assert!(page.contains("The actual has been saved"), "the confirmation is shown");
        let row = page.split("data-period=\"2024&#x2f;25 Q1\"").nth(1).expect("the quarter's row").split("</tr>").next().unwrap();
        assert!(row.contains(">14<") && row.contains("Five more referrals") && row.contains("Entered by Pat Manager"), "{row}");
        assert!(row.contains("Not judged: its target has no date"), "the status in words, by the rule: {row}");
        assert!(
            page.contains("id=\"history\"") && page.split("id=\"history\"").nth(1).unwrap().contains("Pat Manager"),
            "the manager sees every value entered"
        );
        // The public sees the figure, not who entered it, nor the history.
        let (_, public) = get(&app, MEASURE, None).await;
        assert!(public.contains("Five more referrals") && !public.contains("Pat Manager") && !public.contains("id=\"history\""));
        assert!(!public.contains("Enter an actual"));
        // Kept in the rows, with who and when; and in the audit trail.
        let m = horizons(&db).await;
        let a = m.actuals.iter().find(|a| a.period.to_string() == "2024/25 Q1").expect("stored");
        assert_eq!((a.value, a.entered_by.as_deref()), (14.0, Some("Pat Manager")));
        // Now by the app's clock (a test clock set ahead runs on from its start, as the app's did).
        assert!(a.entered_at.is_some_and(|t| (before - 5..=before + 600).contains(&t)), "entered now, by the clock: {:?} against {before}", a.entered_at);
        assert!(m.actuals.iter().any(|a| a.value == 9.0), "the nine stay");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let e = trail.iter().find(|e| e.action == "enter-actual").expect("audited");
        assert_eq!((e.actor_id.as_str(), e.record_kind.as_str(), e.record_id.as_str()), ("pm1", "actual", "horizons-referrals 2024/25 Q1"));
        let history = db.store.actual_entries("buckinghamshire", "horizons-referrals").await.unwrap();
        assert_eq!(history.len(), 1);
    }
}

#[tokio::test]
async fn a_correction_keeps_the_value_it_replaces_and_a_stale_form_never_overwrites_unseen() {
    for (app, db) in apps().await {
        let (pat, pat_csrf) = sign_in(&app, "manager@example.org").await;
        let (dee, dee_csrf) = sign_in(&app, "deputy@example.org").await;
        let edit = format!("{MEASURE}/actual?period=2023%2F24+Q3");
        let (_, form) = get(&app, &edit, Some(&pat)).await;
        assert!(form.contains("value=\"9\"") && form.contains("correcting a figure already reported"), "the form opens on the nine");
        let pat_version = opened_version(&app, &edit, &pat).await;
        let dee_version = opened_version(&app, &edit, &dee).await;
        let (status, _, body) =
            post(&app, &format!("{MEASURE}/actual"), &dee, &format!("csrf={dee_csrf}{dee_version}&period=2023%2F24+Q3&value=11&commentary=Two+late+referrals"))
                .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        // Pat's form was opened before Dee's correction: it is not saved over it.
        let (status, _, page) = post(&app, &format!("{MEASURE}/actual"), &pat, &format!("csrf={pat_csrf}{pat_version}&period=2023%2F24+Q3&value=10")).await;
        assert_eq!(status, StatusCode::CONFLICT, "on {}", db.name);
        assert!(page.contains("changed by someone else") && page.contains("Dee Deputy") && page.contains("value=\"10\""), "says who, keeps what was typed");
        assert_eq!(horizons(&db).await.actuals.iter().find(|a| a.period.to_string() == "2023/24 Q3").unwrap().value, 11.0, "Dee's figure stands");
        // Saved again from the conflict page (its new version), it is kept, and both entries are in the history.
        let version = format!("&version={}", value_after(&page, "name=\"version\" value=\""));
        let (status, _, _) = post(&app, &format!("{MEASURE}/actual"), &pat, &format!("csrf={pat_csrf}{version}&period=2023%2F24+Q3&value=10")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let history = db.store.actual_entries("buckinghamshire", "horizons-referrals").await.unwrap();
        assert_eq!(
            history.iter().map(|a| (a.value, a.entered_by.clone().unwrap())).collect::<Vec<_>>(),
            [(10.0, "Pat Manager".into()), (11.0, "Dee Deputy".into())]
        );
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let changes: Vec<_> = trail.iter().filter(|e| e.action == "change-actual").collect();
        assert_eq!(changes.len(), 2);
        assert!(changes[0].before.as_deref().unwrap().contains("\"value\":\"9\""), "the trail's before is the nine as it was");
    }
}

#[tokio::test]
async fn a_bad_actual_is_refused_field_by_field_and_nothing_is_written() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "manager@example.org").await;
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let (status, _, page) = post(&app, &format!("{MEASURE}/actual"), &session, &format!("csrf={csrf}&period=2024-05&value=lots&commentary=Kept")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.contains("href=\"#period\"") && page.contains("href=\"#value\"") && page.contains("reported quarterly"),
            "the summary links to each field"
        );
        assert!(page.contains("`lots` is not a number") && page.contains(">Kept</textarea>"), "what was typed is kept");
        let (status, _, page) = post(&app, &format!("{MEASURE}/actual"), &session, &format!("csrf={csrf}&period=2199%2F00+Q1&value=3")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a period that has not begun");
        assert!(page.contains("has not begun yet"));
        // A post from no form may add a figure but never replace one it did not see.
        let (status, _, page) = post(&app, &format!("{MEASURE}/actual"), &session, &format!("csrf={csrf}&period=2023%2F24+Q3&value=3")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("An actual of 9 is already reported for Q3 2023"), "it says what is there");
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "on {}: nothing written", db.name);
        assert_eq!(horizons(&db).await.actuals.len(), 1);
    }
}

#[tokio::test]
async fn only_the_programme_s_managers_may_enter_its_figures() {
    for (app, db) in apps().await {
        let form = |csrf: &str| format!("csrf={csrf}&period=2024%2F25+Q1&value=14");
        for email in ["secretariat@example.org", "elsewhere@example.org", "castlefield@example.org"] {
            let (session, csrf) = sign_in(&app, email).await;
            let (status, _) = get(&app, &format!("{MEASURE}/actual"), Some(&session)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "on {}: {email}", db.name);
            let (status, _, _) = post(&app, &format!("{MEASURE}/actual"), &session, &form(&csrf)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
            let (status, _) = get(&app, IMPORT, Some(&session)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
            let (_, page) = get(&app, MEASURE, Some(&session)).await;
            assert!(!page.contains("Enter an actual"), "{email} is not offered the form");
        }
        let (status, location, _) = post(&app, &format!("{MEASURE}/actual"), "", "period=2024%2F25+Q1&value=14").await;
        assert!(status == StatusCode::SEE_OTHER && location.unwrap().starts_with("/sign-in"), "anyone not signed in is sent to sign in");
        assert_eq!(horizons(&db).await.actuals.len(), 1, "nothing was written");
    }
}

#[tokio::test]
async fn an_initiative_s_lead_enters_its_actuals_and_nothing_of_the_programme_s() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "lead@example.org").await;
        let (_, page) = get(&app, MEASURE, Some(&session)).await;
        assert!(page.contains("Enter an actual"), "on {}: Horizons' lead is offered its measure's form", db.name);
        let version = opened_version(&app, &format!("{MEASURE}/actual"), &session).await;
        let form = format!("csrf={csrf}{version}&period=2024%2F25+Q1&value=12&commentary=Referrals+from+the+careers+fair");
        let (status, location, body) = post(&app, &format!("{MEASURE}/actual"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some(MEASURE));
        let m = horizons(&db).await;
        let a = m.actuals.iter().find(|a| a.period.to_string() == "2024/25 Q1").expect("kept");
        assert_eq!((a.value, a.entered_by.as_deref()), (12.0, Some("Lee Lead")));
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let e = trail.iter().rev().find(|e| e.action == "enter-actual").expect("audited");
        assert_eq!((e.record_id.as_str(), e.actor_id.as_str(), e.actor_name.as_str()), ("horizons-referrals 2024/25 Q1", "il1", "Lee Lead"));
        // The programme's own business stays its managers'.
        let (status, _) = get(&app, IMPORT, Some(&session)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a file for the whole programme is not the lead's");
        let highlights = "/buckinghamshire/programmes/opportunity-bucks/highlights?period=2023%2F24+Q3";
        let (status, _) = get(&app, highlights, Some(&session)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "nor are the highlights for Cabinet");
        let (status, _, _) =
            post(&app, "/buckinghamshire/programmes/opportunity-bucks/highlights", &session, &format!("csrf={csrf}&period=2023%2F24+Q3&text=Ours")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_file_of_actuals_is_imported_whole_or_not_at_all() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "manager@example.org").await;
        let (status, page) = get(&app, IMPORT, Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("horizons-referrals-from-opportunity-bucks-areas"), "the page lists what to write in the measure column");
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let bad = b"measure,period,value,commentary\nhorizons-referrals,2024/25 Q1,14,Good\nhorizons-referals,2024/25 Q1,3,\nhorizons-referrals-from-opportunity-bucks-areas,2024/25 Q1,many,\n";
        let (status, _, _, page) = send(&app, multipart(IMPORT, &session, &[("csrf", &csrf)], Some(("file", "q1.csv", bad)))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "on {}", db.name);
        assert!(page.contains("q1.csv, line 3, column measure: there is no measure `horizons-referals`"), "{page}");
        assert!(page.contains("q1.csv, line 4, column value: `many` is not a number"));
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "nothing of the file is written");
        assert_eq!(horizons(&db).await.actuals.len(), 1, "not even its good first line");

        let good = b"measure,period,value,commentary\nhorizons-referrals,2024/25 Q1,14,Good\nhorizons-referrals-from-opportunity-bucks-areas,2024/25 Q1,6,\n";
        let (status, location, _, body) = send(&app, multipart(IMPORT, &session, &[("csrf", &csrf)], Some(("file", "q1.csv", good)))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/programmes/opportunity-bucks#measures"));
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let from_areas = reg.measures.iter().find(|m| m.slug.as_str() == "horizons-referrals-from-opportunity-bucks-areas").unwrap();
        assert_eq!(from_areas.actuals.iter().map(|a| (a.value, a.entered_by.clone())).collect::<Vec<_>>(), [(6.0, Some("Pat Manager".into()))]);
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let e = trail.iter().find(|e| e.action == "import-actuals").expect("audited once, for the file");
        assert!(e.after.as_deref().unwrap().contains("q1.csv"));
        let (_, page) = get(&app, "/buckinghamshire/programmes/opportunity-bucks", None).await;
        assert!(page.contains("6 people referred, Q1 2024"), "the programme's page shows the new latest actual");
        // Without a file, or without the form's token, nothing happens.
        let (status, _, _, page) = send(&app, multipart(IMPORT, &session, &[("csrf", &csrf)], None)).await;
        assert!(status == StatusCode::UNPROCESSABLE_ENTITY && page.contains("Choose a CSV file"));
        let (status, _, _, _) = send(&app, multipart(IMPORT, &session, &[("csrf", "forged")], Some(("file", "q1.csv", good)))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn managers_entering_figures_at_once_all_keep_them() {
    for (app, db) in apps().await {
        let (pat, pat_csrf) = sign_in(&app, "manager@example.org").await;
        let (dee, dee_csrf) = sign_in(&app, "deputy@example.org").await;
        let mut tasks = Vec::new();
        // Eight quarters of 2022/23 and 2023/24 (not the one reported), half by each.
        let quarters: Vec<String> =
            ["2022/23", "2023/24"].iter().flat_map(|y| (1..=4).map(move |q| format!("{y} Q{q}"))).filter(|p| p != "2023/24 Q3").collect();
        for (i, period) in quarters.iter().enumerate() {
            let (app, period) = (app.clone(), period.clone());
            let (session, csrf) = if i % 2 == 0 { (pat.clone(), pat_csrf.clone()) } else { (dee.clone(), dee_csrf.clone()) };
            tasks.push(tokio::spawn(async move {
                let form = format!("csrf={csrf}&period={}&value={}", encode(&period), i + 1);
                post(&app, &format!("{MEASURE}/actual"), &session, &form).await.0
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), StatusCode::SEE_OTHER, "on {}: every figure is acknowledged", db.name);
        }
        let m = horizons(&db).await;
        assert_eq!(m.actuals.len(), quarters.len() + 1, "on {}: every acknowledged figure is kept, and the nine", db.name);
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert_eq!(trail.iter().filter(|e| e.action == "enter-actual").count(), quarters.len());
        let (_, page) = get(&app, MEASURE, None).await;
        assert_eq!(page.matches("data-period=").count(), quarters.len() + 1, "the page shows them all");
    }
}

const REPORT: &str = "/buckinghamshire/programmes/opportunity-bucks/report";

/// The text of a PDF, as poppler's pdftotext reads it (installed by scripts/test).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        // In the order the file writes it: each table cell's lines together.
        .arg("-raw")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext reads the PDF: install poppler-utils (scripts/test does)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A page's text without its tags, entities decoded as far as the figures need.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x2f;", "/").replace("&amp;", "&").replace("&#x27;", "'").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_report_for_cabinet_has_the_same_figures_on_the_page_in_the_csv_and_in_the_pdf() {
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "manager@example.org").await;
        // A quarter's figures and highlights, entered as a manager would.
        let form = format!("csrf={csrf}&period=2023%2F24+Q3&value=7&commentary=Seven+of+the+nine+from+the+ten+wards");
        let (status, _, body) = post(&app, &format!("{MEASURE}-from-opportunity-bucks-areas/actual"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        let highlights = "/buckinghamshire/programmes/opportunity-bucks/highlights?period=2023%2F24+Q3";
        let version = opened_version(&app, highlights, &session).await;
        let form = format!("csrf={csrf}{version}&period=2023%2F24+Q3&text=Horizons+launched+at+the+end+of+September%0D%0ANine+referrals+so+far");
        let (status, location, body) = post(&app, "/buckinghamshire/programmes/opportunity-bucks/highlights", &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {body}", db.name);
        assert_eq!(location.as_deref(), Some("/buckinghamshire/programmes/opportunity-bucks/report?period=2023%2F24+Q3"));

        let (status, page) = get(&app, &format!("{REPORT}?period=2023%2F24+Q3"), None).await;
        assert_eq!(status, StatusCode::OK);
        let page_text = text_of(&page);
        for text in ["Horizons launched at the end of September", "Nine referrals so far", "Q3 2023/24", "£2,100,000", "Seven of the nine from the ten wards"]
        {
            assert!(page_text.contains(text), "on {}: the page has {text}", db.name);
        }
        // Each measure's figures and status on the page.
        let rows: Vec<(String, String, String, String)> = page
            .split("data-measure=\"")
            .skip(1)
            .map(|row| {
                let row = row.split("</tr>").next().unwrap();
                let cell = |name: &str| text_of(row.split(&format!("data-figure=\"{name}\">")).nth(1).unwrap().split("</td>").next().unwrap());
                let status = row.split("data-status=\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap().to_owned();
                (row.split('"').next().unwrap().to_owned(), cell("target"), cell("actual"), status)
            })
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].2, "9");
        assert_eq!((rows[1].1.as_str(), rows[1].2.as_str(), rows[1].3.as_str()), ("20 (no date)", "7", "Not judged: its target has no date"));

        // The CSV: the same figures, under its header.
        let (status, _, _, csv) = send(&app, req("GET", &format!("{REPORT}.csv?period=2023%2F24+Q3"), None, None)).await;
        assert_eq!(status, StatusCode::OK);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let measures: Vec<&csv::StringRecord> = records.iter().filter(|r| &r[0] == "measure").collect();
        assert_eq!(measures.len(), rows.len());
        for (r, (_, target, actual, status)) in measures.iter().zip(&rows) {
            assert!(
                target.starts_with(&r[4]) && &r[5] == actual.as_str() && &r[6] == status.as_str(),
                "the CSV's {r:?} against the page's {target} {actual} {status}"
            );
        }
        let fund = records.iter().find(|r| &r[0] == "fund").expect("the fund's line");
        assert_eq!((&fund[9], &fund[10]), ("2100000", "2100000"));
        assert!(records.iter().any(|r| &r[0] == "highlight" && r[12].contains("Nine referrals so far")));

        // The PDF: read back by poppler, the same figures and words.
        let res = app.clone().oneshot(req("GET", &format!("{REPORT}.pdf?period=2023%2F24+Q3"), None, None)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        assert!(bytes.starts_with(b"%PDF-"));
        let pdf = pdf_text(&bytes).split_whitespace().collect::<Vec<_>>().join(" ");
        for text in ["Horizons launched at the end of September", "Nine referrals so far", "£2,100,000", "Q3 2023/24", "Seven of the nine from the ten"] {
            assert!(pdf.contains(text), "on {}: the PDF has {text}: {pdf}", db.name);
        }
        for (_, target, actual, status) in &rows {
            for figure in [target.as_str(), actual.as_str()].into_iter().filter(|f| !f.is_empty()) {
                assert!(pdf.contains(figure), "the PDF has the page's figure {figure}");
            }
            // A status may wrap in the PDF's narrow column: its words all appear, in order.
            let words: Vec<&str> = status.split_whitespace().collect();
            assert!(pdf.contains(words[0]) && pdf.contains(words[words.len() - 1]), "the PDF has the status {status}");
        }
        // Reproducible: the same record gives the same report; a later quarter's figure leaves this one alone.
        let (_, again) = get(&app, &format!("{REPORT}?period=2023%2F24+Q3"), None).await;
        assert_eq!(text_of(again.split("id=\"highlights\"").nth(1).unwrap()), text_of(page.split("id=\"highlights\"").nth(1).unwrap()));
        let form = format!("csrf={csrf}&period=2023%2F24+Q4&value=15");
        let (status, _, body) = post(&app, &format!("{MEASURE}/actual"), &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        let (_, later) = get(&app, &format!("{REPORT}?period=2023%2F24+Q3"), None).await;
        assert!(later.contains("data-figure=\"actual\">9<"), "the Q3 report still says nine");
        let (_, q4) = get(&app, &format!("{REPORT}?period=2023%2F24+Q4"), None).await;
        let q4_row = text_of(q4.split("data-measure=\"horizons-referrals\"").nth(1).unwrap().split("</tr>").next().unwrap());
        assert!(q4_row.contains("Improving"), "Q4 against Q3: fifteen after nine: {q4_row}");
        // The highlights are audited with who wrote them.
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        assert!(trail.iter().any(|e| e.action == "write-highlights" && e.actor_id == "pm1"));
    }
}

#[tokio::test]
async fn a_report_for_a_period_that_cannot_be_is_refused_and_highlights_need_their_manager() {
    for (app, _db) in apps().await {
        let (status, page) = get(&app, &format!("{REPORT}?period=2023%2F25"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(page.contains("not a financial year"));
        let (session, csrf) = sign_in(&app, "secretariat@example.org").await;
        let (status, _, _) =
            post(&app, "/buckinghamshire/programmes/opportunity-bucks/highlights", &session, &format!("csrf={csrf}&period=2023%2F24+Q3&text=Not+mine")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (session, csrf) = sign_in(&app, "manager@example.org").await;
        let (status, _, page) =
            post(&app, "/buckinghamshire/programmes/opportunity-bucks/highlights", &session, &format!("csrf={csrf}&period=2199%2F00&text=")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("has not begun yet") && page.contains("Write the highlights, one a line"));
    }
}

#[tokio::test]
async fn the_2005_strategy_and_the_local_action_plans_are_published_in_their_words() {
    for (app, db) in apps().await {
        let (status, page) = get(&app, "/buckinghamshire/strategies/getting-closer-to-communities", None).await;
        assert_eq!(status, StatusCode::OK, "on {}", db.name);
        for aim in ["Aim 1: To enhance the community leadership role of local members", "Aim 5: To join up public services locally"] {
            assert!(page.contains(aim), "{aim}");
        }
        for n in 1..=14 {
            let card = page.split(&format!("id=\"objective-{n}\"")).nth(1).unwrap_or_else(|| panic!("objective {n}"));
            let card = card.split("govuk-summary-card\"").next().unwrap();
            assert!(card.contains("No progress reported</strong>"), "objective {n}: its status in words, none invented");
            assert!(card.contains("2008&#x2f;09"), "objective {n}: to be met by 2008/09");
        }
        assert!(page.contains("Phase 1 action plan 2005&#x2f;06") && page.contains("Being developed"));
        assert!(page.contains("Chesham, Buckingham, Burnham and Princess Risborough Local Community areas"), "the action plan in its words");
        assert_eq!(page.matches("id=\"getting-closer-to-communities-phase-1-action-").count(), 5, "its five actions");
        assert!(page.contains("href=\"#getting-closer-to-communities-phase-1-action-3\""), "objective 4 points to the action that serves it");
        let (_, index) = get(&app, "/buckinghamshire/programmes", None).await;
        assert!(index.contains("href=\"/buckinghamshire/strategies/getting-closer-to-communities\""), "the programmes page lists it");
        let (status, _) = get(&app, "/buckinghamshire/strategies/getting-further-away", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (_, programme) = get(&app, "/buckinghamshire/programmes/opportunity-bucks", None).await;
        let plans = programme.split("id=\"plans\"").nth(1).unwrap().split("id=\"money\"").next().unwrap();
        assert_eq!(plans.matches("#plan\"").count(), 10, "a local action plan for each of the ten wards");
        let (_, castlefield) = get(&app, "/buckinghamshire/programmes/opportunity-bucks/areas/E05013131", None).await;
        let plan = castlefield.split("id=\"plan\"").nth(1).unwrap().split("id=\"here\"").next().unwrap();
        assert!(plan.contains("Booker, Cressex and Castlefield Ward Partnership") && plan.contains("Implementing traffic calming measures in Castlefield"));
        assert!(plan.contains("Achieved</strong>") && plan.contains("Owner: not recorded") && plan.contains("/initiatives/castlefield-traffic-calming"));
        let (_, abbey) = get(&app, "/buckinghamshire/programmes/opportunity-bucks/areas/E05013120", None).await;
        assert!(abbey.contains("No actions are recorded in this plan yet."), "an empty plan says so");
        let (_, ward) = get(&app, "/buckinghamshire/areas/E05013131", None).await;
        assert!(ward.contains("/programmes/opportunity-bucks/areas/E05013131#plan\">local action plan</a>"), "the ward's page points to its plan");
        let (_, sitemap) = get(&app, "/sitemap.xml", None).await;
        assert!(sitemap.contains("/buckinghamshire/strategies/getting-closer-to-communities"));
    }
}

#[tokio::test]
async fn a_ward_partnership_updates_its_plan_s_action_and_a_stale_form_never_overwrites() {
    const FORM: &str = "/buckinghamshire/plans/opportunity-bucks-booker-cressex-and-castlefield/actions/1";
    const PLACE: &str = "/buckinghamshire/programmes/opportunity-bucks/areas/E05013131";
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "ward@example.org").await;
        let (_, place) = get(&app, PLACE, Some(&session)).await;
        assert!(place.contains(&format!("href=\"{FORM}\"")), "on {}: the partnership's secretariat is offered the update", db.name);
        let (status, form) = get(&app, FORM, Some(&session)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("Implementing traffic calming measures in Castlefield"), "the form says which action");
        let version = opened_version(&app, FORM, &session).await;
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        // A due date that is no day, and one before the start: each named, nothing written.
        for (starts, due, says) in
            [("", "31%2F2%2F2027", "The due date must be a real date"), ("1%2F4%2F2027", "31%2F3%2F2027", "The due date must be on or after its start")]
        {
            let body = format!("csrf={csrf}{version}&status=achieved&owner=&starts={starts}&due={due}");
            let (status, _, page) = post(&app, FORM, &session, &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
            assert!(page.contains(says), "{says}: {page}");
            assert!(page.contains(&format!("name=\"version\" value=\"{}\"", version.trim_start_matches("&version="))), "the form keeps its version");
        }
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "nothing written");
        let body = format!("csrf={csrf}{version}&status=underway&owner=Castlefield+Ward+Partnership&starts=&due=31%2F3%2F2027");
        let (status, location, page) = post(&app, FORM, &session, &body).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {page}", db.name);
        assert_eq!(
            location.as_deref(),
            Some("/buckinghamshire/programmes/opportunity-bucks/areas/E05013131#opportunity-bucks-booker-cressex-and-castlefield-action-1")
        );
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let a = &reg.plans.iter().find(|p| p.slug.as_str() == "opportunity-bucks-booker-cressex-and-castlefield").unwrap().actions[0];
        assert_eq!(
            (a.status.code(), a.owner.as_deref(), a.due.as_ref().map(|d| d.as_str())),
            ("underway", Some("Castlefield Ward Partnership"), Some("2027-03-31"))
        );
        assert!(a.text.starts_with("Implementing traffic calming"), "its words stay");
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        let e = trail.iter().rev().find(|e| e.action == "update-plan-action").expect("audited");
        assert_eq!((e.record_id.as_str(), e.actor_name.as_str()), ("opportunity-bucks-booker-cressex-and-castlefield 1", "Wanda Ward"));
        assert!(e.before.as_deref().unwrap().contains("Achieved") && e.after.as_deref().unwrap().contains("Under way"));
        let (_, place) = get(&app, PLACE, None).await;
        assert!(place.contains("Owner: Castlefield Ward Partnership"), "published at once");
        // The form opened before that update is refused, with what was typed kept.
        let stale = format!("csrf={csrf}{version}&status=dropped&owner=Someone+else&starts=&due=");
        let (status, _, page) = post(&app, FORM, &session, &stale).await;
        assert_eq!(status, StatusCode::CONFLICT, "on {}", db.name);
        assert!(page.contains("changed by someone else") && page.contains("Someone else"), "{page}");
        // The programme's managers may update it too; another body's secretariat and visitors may not.
        let (manager, _) = sign_in(&app, "manager@example.org").await;
        assert_eq!(get(&app, FORM, Some(&manager)).await.0, StatusCode::OK);
        let (other, other_csrf) = sign_in(&app, "secretariat@example.org").await;
        assert_eq!(get(&app, FORM, Some(&other)).await.0, StatusCode::FORBIDDEN);
        let (status, _, _) = post(&app, FORM, &other, &format!("csrf={other_csrf}&status=dropped")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, anonymous) = get(&app, PLACE, None).await;
        assert!(!anonymous.contains(&format!("href=\"{FORM}\"")), "no update link for a visitor");
        assert_eq!(
            get(&app, "/buckinghamshire/plans/opportunity-bucks-abbey/actions/1", Some(&session)).await.0,
            StatusCode::NOT_FOUND,
            "Abbey's plan has no action 1"
        );
    }
}

#[tokio::test]
async fn a_programme_manager_changes_the_programme_s_details_and_no_one_else_may() {
    const EDIT: &str = "/buckinghamshire/programmes/opportunity-bucks/edit";
    const PAGE: &str = "/buckinghamshire/programmes/opportunity-bucks";
    for (app, db) in apps().await {
        let (session, csrf) = sign_in(&app, "manager@example.org").await;
        let (_, page) = get(&app, PAGE, Some(&session)).await;
        assert!(page.contains(&format!("href=\"{EDIT}\"")), "on {}: the manager is offered the form", db.name);
        let version = opened_version(&app, EDIT, &session).await;
        let before = db.store.audit_trail("buckinghamshire").await.unwrap().len();
        let (status, _, page) =
            post(&app, EDIT, &session, &format!("csrf={csrf}{version}&name=Opportunity+Bucks&aim=&launched=32%2F12%2F2022&status=over")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for says in ["Enter what the programme aims to do", "The launch date must be a real date", "Select where the programme is in its life"] {
            assert!(page.contains(says), "{says}");
        }
        assert_eq!(db.store.audit_trail("buckinghamshire").await.unwrap().len(), before, "nothing written");
        let form = format!("csrf={csrf}{version}&name=Opportunity+Bucks+%E2%80%93+Succeeding+for+All&aim=To+improve+outcomes+for+people+in+the+ten+wards&launched=7%2F12%2F2022&status=closed");
        let (status, location, page) = post(&app, EDIT, &session, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "on {}: {page}", db.name);
        assert_eq!(location.as_deref(), Some(PAGE));
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let p = reg.programmes.iter().find(|p| p.slug.as_str() == "opportunity-bucks").unwrap();
        assert_eq!(
            (p.status.code(), p.aim.as_str(), p.launched.as_ref().map(|d| d.as_str())),
            ("closed", "To improve outcomes for people in the ten wards", Some("2022-12-07"))
        );
        assert_eq!(p.themes.len(), 5, "its structure stays");
        let e = db.store.audit_trail("buckinghamshire").await.unwrap().into_iter().rev().find(|e| e.action == "edit-programme").expect("audited");
        assert!(e.before.as_deref().unwrap().contains("Active") && e.after.as_deref().unwrap().contains("Closed"));
        let (_, public) = get(&app, PAGE, None).await;
        assert!(public.contains("To improve outcomes for people in the ten wards") && !public.contains(&format!("href=\"{EDIT}\"")));
        // A second manager's form opened before that save is refused with what changed.
        let (status, _, page) = post(&app, EDIT, &session, &form.replace("status=closed", "status=active")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(page.contains("changed by someone else"));
        for email in ["elsewhere@example.org", "lead@example.org", "secretariat@example.org"] {
            let (other, other_csrf) = sign_in(&app, email).await;
            assert_eq!(get(&app, EDIT, Some(&other)).await.0, StatusCode::FORBIDDEN, "{email}");
            assert_eq!(post(&app, EDIT, &other, &format!("csrf={other_csrf}&name=X&aim=Y&status=active")).await.0, StatusCode::FORBIDDEN, "{email}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_saving_one_action_or_one_programme_at_once_never_lose_a_change_unseen() {
    const ACTION: &str = "/buckinghamshire/plans/opportunity-bucks-booker-cressex-and-castlefield/actions/1";
    const EDIT: &str = "/buckinghamshire/programmes/opportunity-bucks/edit";
    for (app, db) in apps().await {
        let (wanda, wanda_csrf) = sign_in(&app, "ward@example.org").await;
        let (pat, pat_csrf) = sign_in(&app, "manager@example.org").await;
        let (dee, dee_csrf) = sign_in(&app, "deputy@example.org").await;
        // Both open each form on the same version, then save at the same moment.
        let action_version = opened_version(&app, ACTION, &wanda).await;
        let edit_version = opened_version(&app, EDIT, &pat).await;
        let mut tasks = Vec::new();
        for (session, csrf, uri, form) in [
            (wanda.clone(), wanda_csrf.clone(), ACTION, format!("{action_version}&status=underway&owner=Wanda&starts=&due=")),
            (pat.clone(), pat_csrf.clone(), ACTION, format!("{action_version}&status=dropped&owner=Pat&starts=&due=")),
            (pat.clone(), pat_csrf.clone(), EDIT, format!("{edit_version}&name=Opportunity+Bucks&aim=Pat%27s+aim&launched=&status=active")),
            (dee.clone(), dee_csrf.clone(), EDIT, format!("{edit_version}&name=Opportunity+Bucks&aim=Dee%27s+aim&launched=&status=closed")),
        ] {
            let app = app.clone();
            tasks.push(tokio::spawn(async move { (uri, post(&app, uri, &session, &format!("csrf={csrf}{form}")).await.0) }));
        }
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.unwrap());
        }
        for uri in [ACTION, EDIT] {
            let mut got: Vec<StatusCode> = outcomes.iter().filter(|(u, _)| *u == uri).map(|(_, s)| *s).collect();
            got.sort();
            assert_eq!(got, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "on {}: {uri}: one is saved, the other told of it", db.name);
        }
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let trail = db.store.audit_trail("buckinghamshire").await.unwrap();
        // What is stored is exactly the one change acknowledged, and the trail has it once.
        let a = &reg.plans.iter().find(|p| p.slug.as_str() == "opportunity-bucks-booker-cressex-and-castlefield").unwrap().actions[0];
        let updates: Vec<_> = trail.iter().filter(|e| e.action == "update-plan-action").collect();
        assert_eq!(updates.len(), 1, "on {}", db.name);
        assert!(updates[0].after.as_deref().unwrap().contains(a.owner.as_deref().unwrap()), "the stored owner is the acknowledged one");
        let p = reg.programmes.iter().find(|p| p.slug.as_str() == "opportunity-bucks").unwrap();
        let edits: Vec<_> = trail.iter().filter(|e| e.action == "edit-programme").collect();
        assert_eq!(edits.len(), 1, "on {}", db.name);
        assert!(edits[0].after.as_deref().unwrap().contains(&p.aim), "the stored aim is the acknowledged one");
    }
}
