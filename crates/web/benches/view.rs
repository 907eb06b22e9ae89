//! What a write costs the read model: making a council's view again from its
//! register (the public redaction and two indexes) and its parts, for the
//! built-in Buckinghamshire register. Prints medians over many runs. Run with
//! `cargo bench -p placeworks-web --bench view`.

use placeworks_domain::dataset;
use placeworks_domain::meetings::{plan_agenda_item, AgendaItemForm};
use placeworks_domain::permissions::Actor;
use placeworks_domain::register::Index;
use placeworks_web::CouncilView;
use std::time::Instant;

fn median(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..60)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let reg = dataset::read(&placeworks_builtin::buckinghamshire()).expect("the built-in dataset");
    println!("Buckinghamshire: {} bodies, {} areas, {} indicator values, {} meetings", reg.bodies.len(), reg.areas.len(), reg.values.len(), reg.meetings.len());
    println!("clone the register:            {:8.2} ms", median(|| drop(std::hint::black_box(reg.clone()))));
    println!("redact it for the public:      {:8.2} ms", median(|| drop(std::hint::black_box(reg.visible_to(&Actor::anonymous())))));
    println!("index it:                      {:8.2} ms", median(|| drop(std::hint::black_box(Index::new(reg.clone())))));
    println!("a whole view (CouncilView::new): {:6.2} ms", median(|| drop(std::hint::black_box(CouncilView::new(reg.clone(), 1)))));

    // A write's own work: planning an agenda item on the view of a meeting
    // that already has 2,000, and making the next view from it.
    let mut reg = reg;
    let ix = Index::new(reg.clone());
    let slug = placeworks_domain::meetings::schedule::planned(
        &ix,
        "bsp-board",
        chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2031, 1, 1).unwrap(),
    )
    .unwrap()[0]
        .slug
        .clone();
    let form = |n: usize| AgendaItemForm { number: n.to_string(), title: format!("Report {n}"), ..AgendaItemForm::default() };
    for n in 1..=2000 {
        let change = plan_agenda_item(&Index::new(reg.clone()), &slug, &form(n), None, "2030-01-01T10:00:00Z").unwrap();
        for w in &change.writes {
            w.apply_to(&mut reg).unwrap();
        }
        if n % 500 == 0 {
            eprint!(".");
        }
    }
    eprintln!();
    let ix = Index::new(reg.clone());
    println!(
        "plan an agenda item (2,000 on the agenda): {:6.2} ms",
        median(|| drop(std::hint::black_box(plan_agenda_item(&ix, &slug, &form(9999), None, "x"))))
    );
    let change = plan_agenda_item(&ix, &slug, &form(9999), None, "x").unwrap();
    println!(
        "the next view from it:                   {:6.2} ms",
        median(|| {
            let mut next = ix.register.clone();
            change.writes.iter().for_each(|w| w.apply_to(&mut next).unwrap());
            drop(std::hint::black_box(CouncilView::new(next, 2)));
        })
    );
}
