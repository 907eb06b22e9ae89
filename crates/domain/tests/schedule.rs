//! The built-in dataset plans the next year of the Bucks Strategic
//! Partnership's meetings from the cadences in its papers.

use chrono::{Datelike, NaiveDate, Timelike, Weekday};
use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_domain::meetings::schedule::planned;
use placeworks_domain::register::Index;
use std::path::Path;

fn buckinghamshire() -> Index {
    let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire")).unwrap();
    Index::new(dataset::read(&files).unwrap())
}

fn year(ix: &Index, body: &str) -> Vec<placeworks_domain::meetings::schedule::Planned> {
    planned(ix, body, NaiveDate::from_ymd_opt(2010, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2010, 12, 31).unwrap()).unwrap()
}

#[test]
fn cadex_meets_monthly_alternating_groups_with_each_chief_executive_chairing_and_hosting_three() {
    let ix = buckinghamshire();
    let m = year(&ix, "cadex");
    assert_eq!(m.len(), 12);
    assert!(
        m.iter().all(|x| x.start.weekday() == Weekday::Tue && x.start.day() <= 7 && (x.start.hour(), x.start.minute()) == (9, 30)),
        "the first Tuesday, 09:30 London time"
    );
    let groups: Vec<&str> = m.iter().map(|x| x.group.as_deref().unwrap()).collect();
    assert_eq!(&groups[..4], ["Local Authority Group", "Partnership Group", "Local Authority Group", "Partnership Group"]);
    let chairs: Vec<&str> = m.iter().map(|x| x.chair.as_deref().unwrap()).collect();
    assert_eq!(chairs[0], "Chief Executive, Buckinghamshire County Council");
    assert!(chairs[..3].iter().all(|c| *c == chairs[0]) && chairs[3] != chairs[0] && chairs[3..6].iter().all(|c| *c == chairs[3]), "{chairs:?}");
    assert_eq!(chairs[3], "Chief Executive, Aylesbury Vale District Council");
    assert_eq!(m[3].host.as_deref(), Some("Aylesbury Vale District Council"), "the chair hosts");
}

#[test]
fn the_board_implementation_group_and_conference_keep_their_cadences() {
    let ix = buckinghamshire();
    let board = year(&ix, "bsp-board");
    assert_eq!(
        board.iter().map(|x| x.start.format("%Y-%m-%d %H:%M").to_string()).collect::<Vec<_>>(),
        ["2010-01-14 10:00", "2010-04-14 10:00", "2010-07-14 10:00", "2010-10-14 10:00"]
    );
    assert!(board.iter().all(|x| x.chair.as_deref().is_some_and(|c| c.starts_with("Chairman"))), "{board:?}");
    assert_eq!(year(&ix, "bsp-implementation-group").len(), 6, "every two months");
    let conference = year(&ix, "bsp-conference");
    assert_eq!(conference.len(), 1);
    assert_eq!(conference[0].start.format("%Y-%m-%d").to_string(), "2010-06-11");
    // Looking from later on gives the same rotation: it counts from the first meeting.
    let later = planned(&ix, "cadex", NaiveDate::from_ymd_opt(2010, 4, 1).unwrap(), NaiveDate::from_ymd_opt(2010, 4, 30).unwrap()).unwrap();
    assert_eq!(later[0].chair.as_deref(), Some("Chief Executive, Aylesbury Vale District Council"));
}

#[test]
fn a_cancelled_meeting_is_nobodys_turn_and_a_moved_one_keeps_its_chair_and_says_where_it_came_from() {
    use chrono::NaiveDateTime;
    use placeworks_domain::records::{Meeting, MeetingStatus};
    use placeworks_domain::{PartialDate, Slug};
    let mut reg = buckinghamshire().register;
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap();
    let record = |slug: &str, date: &str, time: &str, status, planned: &str| {
        Meeting::new(
            Slug::parse(slug).unwrap(),
            Slug::parse("cadex").unwrap(),
            PartialDate::parse(date).unwrap(),
            chrono::NaiveTime::parse_from_str(time, "%H:%M").ok(),
            status,
            None,
            Some(at(planned)),
        )
    };
    reg.meetings.push(record("cadex-2010-02", "2010-02-02", "09:30", MeetingStatus::Cancelled, "2010-02-02T09:30"));
    reg.meetings.push(record("cadex-2010-03", "2010-03-09", "14:00", MeetingStatus::Scheduled, "2010-03-02T09:30"));
    let ix = Index::new(reg);
    let m = year(&ix, "cadex");
    assert_eq!(m.len(), 12, "the cancelled meeting stays in the list, marked");
    assert!(m[1].cancelled && m[1].chair.is_none());
    assert_eq!(m[2].start, at("2010-03-09T14:00"));
    assert_eq!(m[2].rescheduled_from, Some(at("2010-03-02T09:30")));
    let chairs: Vec<Option<&str>> = m.iter().map(|x| x.chair.as_deref()).collect();
    let county = Some("Chief Executive, Buckinghamshire County Council");
    assert_eq!(&chairs[..4], [county, None, county, county], "the county's three turns skip the cancelled meeting");
    assert_eq!(chairs[4], Some("Chief Executive, Aylesbury Vale District Council"));
    let groups: Vec<&str> = m.iter().filter(|x| !x.cancelled).map(|x| x.group.as_deref().unwrap()).collect();
    assert!(groups.windows(2).all(|w| w[0] != w[1]), "the groups still alternate over the meetings that take place: {groups:?}");
}
