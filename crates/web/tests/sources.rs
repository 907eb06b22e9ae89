//! Honest sources on the pages, on SQLite and PostgreSQL: every value the
//! built-in dataset marks as the example's is tagged as such on the page of
//! its record, read back from the store's rows; every record's page names its
//! sources; and nothing the sources give is tagged.

use axum::http::StatusCode;
use placeworks_domain::records::{Party, Register};
use placeworks_store::testing::both;
use placeworks_web::{router, AppState, Options};

mod common;
use common::*;

/// Each record that has example values: the page that shows it, and the marks.
fn marked(reg: &Register) -> Vec<(String, Vec<String>)> {
    let c = reg.council.slug.as_str();
    let party = |p: &Party| match p {
        Party::Organisation(o) => format!("/{c}/organisations/{o}"),
        Party::Body(b) => format!("/{c}/bodies/{b}"),
    };
    let mut out = Vec::new();
    out.extend(reg.organisations.iter().map(|x| (format!("/{c}/organisations/{}", x.slug), x.example.clone())));
    out.extend(reg.people.iter().map(|x| (format!("/{c}/people/{}", x.slug), x.example.clone())));
    out.extend(reg.posts.iter().map(|x| (party(&x.of), x.example.clone())));
    out.extend(reg.bodies.iter().map(|x| (format!("/{c}/bodies/{}", x.slug), x.example.clone())));
    out.extend(reg.areas.iter().map(|x| (format!("/{c}/areas/{}", x.code), x.example.clone())));
    out.extend(reg.meetings.iter().map(|x| (format!("/{c}/meetings/{}", x.slug), x.example.clone())));
    out.extend(reg.decisions.iter().map(|x| (format!("/{c}/decisions/{}", x.slug), x.example.clone())));
    out.extend(reg.commitments.iter().map(|x| (party(&x.by), x.example.clone())));
    out.extend(reg.programmes.iter().map(|x| (format!("/{c}/programmes/{}", x.slug), x.example.clone())));
    out.extend(reg.measures.iter().map(|x| (format!("/{c}/programmes/{}/measures/{}", x.programme, x.slug), x.example.clone())));
    out.extend(reg.funds.iter().map(|x| (format!("/{c}/money"), x.example.clone())));
    out.extend(reg.contributions.iter().map(|x| (format!("/{c}/money"), x.example.clone())));
    out.extend(reg.initiatives.iter().map(|x| (format!("/{c}/programmes/{}/initiatives/{}", x.programme, x.slug), x.example.clone())));
    out.retain(|(_, marks)| !marks.is_empty());
    out
}

fn tags(page: &str) -> Vec<String> {
    page.split("data-example=\"").skip(1).map(|rest| rest.split('"').next().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn every_example_value_is_labelled_on_its_page_and_every_page_names_its_sources() {
    for db in both().await {
        buckinghamshire_with_secretariat(&db).await;
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        let app = router(state, &Options::default());
        // What the pages are made from: the register as the store reads it back.
        let reg = db.store.register("buckinghamshire").await.unwrap().unwrap();
        let records = marked(&reg);
        assert!(records.len() >= 40, "on {}: the built-in dataset marks its example values ({} records)", db.name, records.len());
        for (uri, marks) in &records {
            let (status, page) = get(&app, uri, None).await;
            assert_eq!(status, StatusCode::OK, "{uri} on {}", db.name);
            let shown = tags(&page);
            for mark in marks {
                assert!(shown.contains(mark), "on {}: {uri} does not label `{mark}` as the example's (it labels {shown:?})", db.name);
            }
            assert!(page.contains("are not in these sources"), "{uri} explains the label");
        }

        // The 2023 decision: its date, key decision and call-in are tagged, its title is not.
        let (_, page) = get(&app, "/buckinghamshire/decisions/opportunity-bucks-progress-2023", None).await;
        let shown = tags(&page);
        assert_eq!(shown, ["date", "key_decision", "call_in"], "exactly the example's values are tagged");
        assert!(page.contains("Cabinet decision: Opportunity Bucks progress (2023)"), "the source, with only the year it gives");

        // A record none of whose values is the example's has no tag, and names its sources.
        let (_, page) = get(&app, "/buckinghamshire/bodies/bsp-implementation-group", None).await;
        assert!(page.contains("The Bucks Strategic Partnership: Fit for Purpose Governance Framework"));
        let (_, page) = get(&app, "/buckinghamshire/organisations/thames-valley-police", None).await;
        assert!(tags(&page).is_empty(), "nothing of Thames Valley Police is the example's");
        assert!(page.contains("Corporate plan: Moving forward together"), "an organisation names its sources");
        let (_, page) = get(&app, "/buckinghamshire/areas/E05013131", None).await;
        assert!(page.contains("Office for National Statistics"), "a ward names the ONS as its source");

        // A ward's page tags the Community Board said (by the example) to serve it.
        let (_, page) = get(&app, "/buckinghamshire/areas/E05013131", None).await;
        let board = page.split("/buckinghamshire/bodies/high-wycombe-community-board\">").nth(1).expect("the ward lists its Community Board");
        assert!(board.split("</li>").next().unwrap().contains("data-example=\"areas\""), "which wards a board served is the example's");

        // The lists that show an example name tag it too, and the chart says how many it holds.
        let (_, bodies) = get(&app, "/buckinghamshire/bodies", None).await;
        let abbey = bodies.split("/buckinghamshire/bodies/abbey-ward-partnership\">").nth(1).expect("the ward partnership is listed");
        assert!(abbey.split("</td>").next().unwrap().contains("data-example=\"name\""), "its name is tagged in the list");
        let (_, chart) = get(&app, "/buckinghamshire/structure", None).await;
        assert!(chart.contains("15 of these bodies have names the sources do not give"));

        // The BSP Board's planned meetings (in its time, from 2010) are the example's, and say so.
        let then = router(AppState::new(db.store.clone(), placeworks_store::testing::bsp_era_clock()).await.unwrap(), &Options::default());
        let (_, page) = get(&then, "/buckinghamshire/bodies/bsp-board", None).await;
        assert!(page.contains("These dates are the example's, not the council's"));
        let (_, page) = get(&then, "/buckinghamshire/meetings/bsp-board-2010-01-14-1000", None).await;
        assert!(tags(&page).contains(&"date".to_owned()), "a planned meeting's date is tagged");

        // The commitment met in 2022 is shown on the Council's page, its month tagged.
        let (_, page) = get(&app, "/buckinghamshire/organisations/buckinghamshire-council", None).await;
        assert!(page.contains("id=\"commitments\"") && page.contains("Levelling Up within 3 months"));
        assert!(tags(&page).contains(&"met".to_owned()));
    }
}
