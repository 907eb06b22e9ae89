//! How long generating five years of meetings for 500 bodies takes: each
//! body a different rule (monthly, every two or three months, the second
//! Tuesday, fortnightly, yearly) from its own first meeting, in Europe/London
//! time, then groups and chairs assigned. Prints the median of 21 runs.
//! Run with `cargo bench -p placeworks-domain --bench schedule`.

use chrono::NaiveDate;
use placeworks_domain::recurrence::{assign, occurrences, Status};
use std::time::Instant;

fn main() {
    let rules =
        ["FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=2", "FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;BYDAY=2TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "FREQ=YEARLY"];
    let from = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let until = NaiveDate::from_ymd_opt(2031, 12, 31).unwrap();
    let mut times = Vec::new();
    let mut meetings = 0;
    for _ in 0..21 {
        let t = Instant::now();
        meetings = 0;
        for body in 0..500u32 {
            let first =
                NaiveDate::from_ymd_opt(2026, 1 + body % 12, 1 + body % 28).unwrap().and_hms_opt(9 + body % 8, if body % 2 == 0 { 0 } else { 30 }, 0).unwrap();
            let dates = occurrences(rules[body as usize % rules.len()], first, from, until, 1000).expect("a schedule");
            let statuses = vec![Status::Takes; dates.len()];
            let assigned = assign(&statuses, if body % 10 == 0 { 2 } else { 0 }, if body % 5 == 0 { 5 } else { 0 }, 3);
            meetings += assigned.len();
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "five years of meetings for 500 bodies ({meetings} meetings): median {:.1} ms, slowest {:.1} ms over {} runs",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}
