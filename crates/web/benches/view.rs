//! What a write costs the read model: making a council's view again from its
//! register (the public redaction and two indexes) and its parts, for the
//! built-in Buckinghamshire register. Prints medians over many runs. Run with
//! `cargo bench -p placeworks-web --bench view`.

use placeworks_domain::dataset;
use placeworks_domain::permissions::Actor;
use placeworks_domain::queries::Index;
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
}
