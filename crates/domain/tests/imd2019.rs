//! The needs assessment engine reproduces the published Index of Multiple
//! Deprivation 2019 from the published domain ranks, for all 32,844 LSOAs in
//! England. The files are the real ones, in `../shared/data/iod2019/`.

use placeworks_domain::places::import::{read_domain_ranks, read_imd_ranks};
use placeworks_domain::places::needs::{score, Weights, ENGLAND_LSOAS_2019};
use std::io::Read;
use std::path::PathBuf;

fn shared(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/iod2019").join(file);
    let mut text = String::new();
    let f = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}; the shared data folder must sit beside the repository", path.display()));
    flate2::read::GzDecoder::new(f).read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_published_method_reproduces_the_imd_2019_rank_of_every_lsoa() {
    let domains = read_domain_ranks("File_2", &shared("File_2_-_IoD2019_Domains_of_Deprivation.csv.gz")).unwrap();
    let published = read_imd_ranks("File_1", &shared("File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz")).unwrap();
    assert_eq!(domains.len(), ENGLAND_LSOAS_2019 as usize);
    assert_eq!(published.len(), ENGLAND_LSOAS_2019 as usize);
    let scored = score(&domains, &Weights::official(), ENGLAND_LSOAS_2019).unwrap();
    let mut exact = 0;
    let mut worst = (0i64, String::new());
    for s in &scored {
        let p = *published.get(&s.code).unwrap_or_else(|| panic!("{} is not in File 1", s.code));
        let gap = (i64::from(s.rank) - i64::from(p)).abs();
        if gap == 0 {
            exact += 1;
        }
        if gap > worst.0 {
            worst = (gap, s.code.clone());
        }
    }
    println!("{exact} of {} exact; the largest gap is {} places ({})", scored.len(), worst.0, worst.1);
    assert!(exact >= 32_700, "only {exact} ranks reproduced exactly");
    assert!(worst.0 <= 2, "{} is {} places from its published rank", worst.1, worst.0);
    // The most deprived LSOA in England in 2019 was Jaywick, Tendring 018A.
    let first = scored.iter().find(|s| s.rank == 1).unwrap();
    assert_eq!((first.code.as_str(), first.name.as_str()), ("E01021988", "Tendring 018A"));
}
