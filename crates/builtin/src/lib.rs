//! The built-in Buckinghamshire dataset (`data/buckinghamshire/`), embedded
//! in the binary so that `placeworks serve` works on a fresh machine.

use include_dir::{include_dir, Dir, DirEntry};
use placeworks_domain::dataset::DatasetFiles;

static BUCKINGHAMSHIRE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../data/buckinghamshire");

/// The slug of the built-in council.
pub const BUILTIN_COUNCIL: &str = "buckinghamshire";

/// The built-in dataset's files.
pub fn buckinghamshire() -> DatasetFiles {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, String)>) {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => walk(d, out),
                DirEntry::File(f) => {
                    let path = f.path().to_string_lossy().replace('\\', "/");
                    let text = f.contents_utf8().unwrap_or_else(|| panic!("{path} in the built-in dataset is not UTF-8"));
                    out.push((path, text.to_owned()));
                }
            }
        }
    }
    let mut files = Vec::new();
    walk(&BUCKINGHAMSHIRE, &mut files);
    DatasetFiles::from_pairs(files)
}

#[cfg(test)]
mod tests {
    use placeworks_domain::dataset;
    use placeworks_domain::records::{RelationKind, Role};

    #[test]
    fn the_built_in_dataset_is_valid() {
        let reg = dataset::read(&super::buckinghamshire()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reg.council.slug.as_str(), "buckinghamshire");
        assert!(reg.bodies.len() >= 60, "{} bodies", reg.bodies.len());
    }

    #[test]
    fn leaders_of_the_five_local_authorities_are_five_seats() {
        let reg = dataset::read(&super::buckinghamshire()).unwrap();
        let leaders: Vec<_> = reg.seats.iter().filter(|s| s.body.as_str() == "bsp-board" && s.source_text == "Leaders of the five local authorities").collect();
        assert_eq!(leaders.len(), 5);
        assert!(leaders.iter().all(|s| s.role == Role::Member && s.post.is_some()));
        let advisers = reg.seats.iter().filter(|s| s.body.as_str() == "bsp-board" && s.role == Role::Adviser).count();
        assert_eq!(advisers, 5, "the five chief executives attend as advisers");
        let observers: Vec<_> = reg.seats.iter().filter(|s| s.body.as_str() == "bsp-board" && s.role == Role::Observer).collect();
        assert_eq!(observers.len(), 1);
        assert_eq!(observers[0].label, "A representative from the Government Office for the South East is invited to attend meetings as an observer.");
    }

    #[test]
    fn the_growth_board_has_four_sub_boards_including_opportunity_bucks() {
        let reg = dataset::read(&super::buckinghamshire()).unwrap();
        let mut subs: Vec<&str> =
            reg.relations.iter().filter(|r| r.kind == RelationKind::ReportsTo && r.to.as_str() == "growth-board").map(|r| r.from.as_str()).collect();
        subs.sort();
        assert_eq!(subs, ["enterprise-and-investment-board", "opportunity-bucks-programme-board", "regeneration-board", "skills-strategy-board"]);
    }

    #[test]
    fn areas_hold_both_ward_geographies_and_the_opportunity_bucks_set() {
        let reg = dataset::read(&super::buckinghamshire()).unwrap();
        let wards2020 = reg.areas.iter().filter(|a| a.code.starts_with("E050131")).count();
        let wards2025 = reg.areas.iter().filter(|a| a.code.starts_with("E050159")).count();
        assert_eq!((wards2020, wards2025), (49, 49));
        assert_eq!(reg.areas.iter().filter(|a| a.boundary.is_some()).count(), 49 + 319, "the 2025 wards and the 2011 LSOAs");
        assert_eq!(reg.areas.iter().filter(|a| a.kind == placeworks_domain::records::AreaKind::Lsoa).count(), 319);
        assert_eq!(reg.indicators.len(), 18);
        assert_eq!(reg.values.len(), 319 * 10 + 8, "ten values for each LSOA, and England's averages");
        let ob = reg.areas.iter().find(|a| a.code == "opportunity-bucks-wards").unwrap();
        assert_eq!(ob.members.len(), 10);
        let boards = reg.bodies.iter().filter(|b| b.kind == placeworks_domain::records::BodyKind::CommunityBoard).count();
        assert_eq!(boards, 16);
    }

    /// The register written out as a dataset reads back as the same register,
    /// record for record: the built-in one, and the Riverside example.
    #[test]
    fn a_register_written_out_as_a_dataset_reads_back_the_same() {
        let riverside = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside");
        for files in [super::buckinghamshire(), dataset::DatasetFiles::from_dir(&riverside).unwrap()] {
            let reg = dataset::read(&files).unwrap();
            let out = placeworks_domain::open_data::dataset::write(&reg).unwrap();
            let again = dataset::read(&dataset::DatasetFiles::from_pairs(out.clone())).unwrap_or_else(|e| panic!("the export does not read back: {e}"));
            for (what, same) in [
                ("council", reg.council == again.council),
                ("organisations", reg.organisations == again.organisations),
                ("people", reg.people == again.people),
                ("posts", reg.posts == again.posts),
                ("bodies", reg.bodies == again.bodies),
                ("seats", reg.seats == again.seats),
                ("memberships", reg.memberships == again.memberships),
                ("relations", reg.relations == again.relations),
                ("areas", reg.areas == again.areas),
                ("indicators", reg.indicators == again.indicators),
                ("values", reg.values == again.values),
                ("services and baselines", reg.services == again.services && reg.baselines == again.baselines),
                ("meetings", reg.meetings == again.meetings),
                ("decisions", reg.decisions == again.decisions),
            ] {
                assert!(same, "{} differ after the round trip ({})", what, reg.council.name);
            }
            assert!(out["bodies/bodies.toml"].contains("[[body.seat]]"), "seats are written in their bodies");
        }
    }
}
