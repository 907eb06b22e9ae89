//! The progress report for Cabinet at scale: Opportunity Bucks grown to 200
//! initiatives (40 with four parts each) and 1,000 quarterly measures with
//! four years of targets and actuals (16,000 actuals), in a real SQLite
//! store, served by the real router in process. Times the report as HTML and
//! as PDF, and a target ward's page, each rendered afresh (a signed-in
//! viewer is never served from the page cache). Prints medians and the
//! 95th percentile. Run with `cargo bench -p placeworks-web --bench report`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use placeworks_domain::programmes::*;
use placeworks_domain::Slug;
use std::time::Instant;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

/// The built-in register with Opportunity Bucks grown to the benchmark's size.
fn grown() -> placeworks_domain::Register {
    let mut reg = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).expect("the built-in dataset");
    let p = reg.programmes.iter().find(|p| p.slug.as_str() == "opportunity-bucks").unwrap().clone();
    let wards: Vec<String> = reg.areas.iter().find(|a| a.code == "opportunity-bucks-wards").unwrap().members.clone();
    let template = reg.initiatives[0].clone();
    for t in 0..40 {
        let top = Initiative {
            slug: slug(&format!("bench-initiative-{t}")),
            name: format!("Benchmark initiative {t}"),
            part_of: None,
            areas: vec![wards[t % wards.len()].clone()],
            themes: vec![p.themes[t % p.themes.len()].slug.clone()],
            status: InitiativeStatus::Underway,
            progress: None,
            ..template.clone()
        };
        reg.initiatives.push(top);
        for part in 0..4 {
            reg.initiatives.push(Initiative {
                slug: slug(&format!("bench-initiative-{t}-{part}")),
                name: format!("Part {part} of benchmark initiative {t}"),
                part_of: Some(slug(&format!("bench-initiative-{t}"))),
                areas: vec![wards[(t + part) % wards.len()].clone()],
                themes: vec![p.themes[t % p.themes.len()].slug.clone()],
                status: if part % 2 == 0 { InitiativeStatus::Completed } else { InitiativeStatus::Underway },
                progress: (part % 2 == 1).then_some(25.0 * part as f64),
                ..template.clone()
            });
        }
    }
    let quarters = Period::parse("2021/22 Q1").unwrap().through(Period::parse("2024/25 Q4").unwrap());
    let template = reg.measures[0].clone();
    for n in 0..1000 {
        reg.measures.push(Measure {
            slug: slug(&format!("bench-measure-{n}")),
            name: format!("Benchmark measure {n}"),
            initiative: Some(slug(&format!("bench-initiative-{}", n % 40))),
            themes: vec![p.themes[n % p.themes.len()].slug.clone()],
            outcomes: vec![p.outcomes[n % p.outcomes.len()].slug.clone()],
            targets: quarters.iter().map(|q| MeasureTarget { period: Some(*q), value: 100.0 }).collect(),
            actuals: quarters
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let value = 90.0 + ((n * 7 + i * 3) % 20) as f64;
                    Actual {
                        period: *q,
                        value,
                        commentary: Some(format!("Quarter {i} of measure {n}")),
                        corrective_action: (value < 95.0).then(|| "A recovery plan".to_owned()),
                        action_owner: (value < 95.0).then(|| "Service Director".to_owned()),
                        entered_by: None,
                        entered_at: None,
                    }
                })
                .collect(),
            example: vec![],
            ..template.clone()
        });
    }
    reg
}

fn request(uri: &str, cookie: Option<&str>, form: Option<String>) -> Request<Body> {
    let mut b =
        Request::builder().method(if form.is_some() { "POST" } else { "GET" }).uri(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(form.unwrap_or_default())).unwrap()
}

async fn fetch(app: &axum::Router, uri: &str, cookie: Option<&str>) -> (StatusCode, usize) {
    let res = app.clone().oneshot(request(uri, cookie, None)).await.unwrap();
    let status = res.status();
    (status, res.into_body().collect().await.unwrap().to_bytes().len())
}

/// Signs in and returns the session cookie.
async fn session(app: &axum::Router) -> String {
    let res = app.clone().oneshot(request("/sign-in", None, None)).await.unwrap();
    let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let csrf = body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = format!("email=bench%40example.org&password={}&csrf={csrf}", PASSWORD.replace(' ', "+"));
    let res = app.clone().oneshot(request("/sign-in", Some(&format!("pw_csrf={csrf}")), Some(form))).await.unwrap();
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .find_map(|v| v.to_str().unwrap().strip_prefix("pw_session=").map(|s| s.split(';').next().unwrap().to_owned()));
    format!("pw_session={}", cookie.expect("signed in"))
}

async fn timed(app: &axum::Router, uri: &str, cookie: Option<&str>, runs: usize) -> (f64, f64, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (status, bytes) = fetch(app, uri, cookie).await;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(status, StatusCode::OK, "{uri}");
        size = bytes;
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 95 / 100], size)
}

#[tokio::main]
async fn main() {
    let reg = grown();
    let actuals: usize = reg.measures.iter().map(|m| m.actuals.len()).sum();
    println!("Opportunity Bucks grown: {} initiatives, {} measures, {actuals} actuals", reg.initiatives.len(), reg.measures.len());
    let dir = tempfile::tempdir().unwrap();
    let store = placeworks_store::Store::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await.unwrap();
    store.replace_council(&reg, "1").await.unwrap();
    let hash = placeworks_domain::accounts::NewPassword::parse(PASSWORD).unwrap().hash();
    store.create_account("bench", "bench@example.org", "Bench Reader", &hash, &[], 0).await.unwrap();
    let clock = placeworks_kernel::Clock::starting_on(chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
    let state = placeworks_web::AppState::new(store, clock).await.unwrap();
    let app = placeworks_web::router(state, &placeworks_web::Options::default());
    let cookie = session(&app).await;

    // The report worked out alone, from the register held in memory.
    let mut times: Vec<f64> = (0..30)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(report::report(
                &reg,
                "opportunity-bucks",
                Period::parse("2024/25 Q4").unwrap(),
                chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                1,
            ));
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("the report's figures (programmes::report::report): median {:.2} ms", times[times.len() / 2]);

    let report = "/buckinghamshire/programmes/opportunity-bucks/report?period=2024%2F25+Q4";
    for (what, uri, cookie, runs) in [
        ("report as HTML, rendered afresh", report.to_owned(), Some(cookie.as_str()), 40),
        ("report as PDF", report.replace("/report?", "/report.pdf?"), None, 15),
        ("report as CSV", report.replace("/report?", "/report.csv?"), None, 40),
        ("a target ward's page, rendered afresh", "/buckinghamshire/areas/E05013131".to_owned(), Some(cookie.as_str()), 100),
    ] {
        timed(&app, &uri, cookie, 3).await; // warm up
        let (median, p95, size) = timed(&app, &uri, cookie, runs).await;
        println!("{what}: median {median:.2} ms, p95 {p95:.2} ms, {} KB", size / 1024);
    }
}
