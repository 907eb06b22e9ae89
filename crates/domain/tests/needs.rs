//! The needs assessment of the built-in Buckinghamshire register: its 319
//! LSOAs, their best-fit 2025 wards, and how far the engine's ten most
//! deprived wards agree with the ten wards Opportunity Bucks chose.

use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_domain::places::needs::{agreement, assess, Domain};
use std::path::Path;

fn buckinghamshire() -> placeworks_domain::Register {
    let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap();
    dataset::read(&files).unwrap()
}

#[test]
fn every_lsoa_and_ward_of_buckinghamshire_is_assessed() {
    let a = assess(&buckinghamshire()).expect("the built-in register holds the 2019 indices");
    assert_eq!(a.lsoas.len(), 319);
    assert_eq!(a.wards.len(), 49, "every 2025 ward has LSOAs placed in it");
    assert_eq!(a.wards.iter().map(|w| w.lsoas).sum::<usize>(), 319);
    let people: f64 = a.wards.iter().map(|w| w.population).sum();
    assert!((people - a.council.population).abs() < 1e-6 && people > 500_000.0, "{people}");
    // Buckinghamshire is far less deprived than England on average.
    assert!(a.council.average_score < a.england_score.unwrap() / 2.0, "{} against {}", a.council.average_score, a.england_score.unwrap());
    // The most deprived LSOA's published national rank is kept for the national measures:
    // none of Buckinghamshire's is in England's most deprived tenth, one is in its fifth.
    let worst = a.lsoas.iter().min_by_key(|s| s.rank).unwrap();
    assert_eq!((worst.code.as_str(), worst.rank, worst.decile), ("E01017707", 5568, 2));
    assert!(a.wards.iter().all(|w| w.share_most_deprived_10 == 0.0));
    assert_eq!(a.wards.iter().filter(|w| w.share_most_deprived_20 > 0.0).count(), 1, "one LSOA is in the most deprived fifth");
}

#[test]
fn the_ten_most_deprived_wards_and_the_opportunity_bucks_wards_agree_on_eight() {
    let reg = buckinghamshire();
    let a = assess(&reg).unwrap();
    let top = a.most_deprived_wards(10);
    assert_eq!(top[0].name, "Castlefield & Oakridge");
    assert!(top.iter().all(|s| !s.drivers.is_empty()), "each with what drives it");
    assert_eq!(top[0].drivers[0].domain, Domain::Income);
    assert_eq!(top[0].drivers[0].against.len(), 2, "against Buckinghamshire and England");
    let set = reg.areas.iter().find(|x| x.code == "opportunity-bucks-wards").unwrap();
    let named: Vec<(String, String)> = set.members.iter().map(|m| (m.clone(), reg.areas.iter().find(|x| &x.code == m).unwrap().name.clone())).collect();
    let chosen: Vec<(String, String)> = top.iter().map(|s| (s.code.clone(), s.name.clone())).collect();
    let matched = agreement(&chosen, &named, &["aylesbury"]);
    let pairs: Vec<String> = chosen.iter().zip(&matched).map(|(c, m)| format!("{} = {}", c.1, m.map_or("none", |m| m.1.as_str()))).collect();
    assert_eq!(matched.iter().filter(|m| m.is_some()).count(), 8, "{pairs:#?}");
    assert!(pairs.contains(&"Castlefield & Oakridge = Booker, Cressex and Castlefield".to_owned()), "{pairs:#?}");
    assert!(pairs.contains(&"Disraeli = none".to_owned()) && pairs.contains(&"Aylesbury West = none".to_owned()), "{pairs:#?}");
    let covered: std::collections::BTreeSet<&str> = matched.iter().flatten().map(|m| m.1.as_str()).collect();
    assert_eq!(covered.len(), 7, "two 2025 wards share one 2020 ward: {covered:?}");
}
