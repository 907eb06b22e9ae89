//! How long drawing the ward map of Buckinghamshire takes: the 49 wards of
//! 2025 from their boundaries, shaded by the needs assessment, as SVG.
//! Prints the median and the 95th percentile of many draws. Run with
//! `cargo bench -p placeworks-web --bench ward_map` (bench/needs runs it).

use placeworks_domain::dataset;
use placeworks_domain::places::needs::assess;
use placeworks_domain::register::Index;
use std::time::Instant;

fn main() {
    let reg = dataset::read(&placeworks_builtin::buckinghamshire()).expect("the built-in dataset");
    let ix = Index::new(reg);
    let a = assess(&ix.register).expect("the built-in dataset holds the indices");
    let t = Instant::now();
    let assessed = assess(&ix.register).expect("again");
    let assess_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(assessed.wards.len(), 49);
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..300 {
        let t = Instant::now();
        let svg = placeworks_web::maps::ward_map(&ix, &a).expect("a map");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        bytes = svg.len();
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    println!("ward map of Buckinghamshire (49 wards, {} KB of SVG): median {median:.2} ms, p95 {p95:.2} ms over {} draws", bytes / 1024, times.len());
    println!("needs assessment of Buckinghamshire's 319 LSOAs and 49 wards: {assess_ms:.2} ms");
}
