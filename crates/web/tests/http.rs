//! The portal and API driven over HTTP in-process, on SQLite and PostgreSQL.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_store::testing::{both, TestDb};
use placeworks_web::{router, AppState, Options};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use tower::ServiceExt;

struct App {
    router: axum::Router,
    db: TestDb,
}

async fn apps() -> Vec<App> {
    apps_at(placeworks_store::testing::clock()).await
}

/// The apps on the day the 2008 partnership's tests run (its bodies meet
/// from 2010 until March 2020).
async fn bsp_era_apps() -> Vec<App> {
    apps_at(placeworks_store::testing::bsp_era_clock()).await
}

async fn apps_at(clock: placeworks_kernel::Clock) -> Vec<App> {
    let mut out = Vec::new();
    for db in both().await {
        let reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        db.store.replace_council(&reg, "1").await.unwrap();
        let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        db.store.replace_council(&dataset::read(&files).unwrap(), "2").await.unwrap();
        let state = AppState::new(db.store.clone(), clock.clone()).await.unwrap();
        out.push(App { router: router(state, &Options::default()), db });
    }
    out
}

async fn get(app: &App, uri: &str) -> (StatusCode, String, String) {
    let res = app.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (status, ctype, body)
}

async fn page(app: &App, uri: &str) -> String {
    let (status, ctype, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri} on {}: {body}", app.db.name);
    assert!(ctype.starts_with("text/html"), "{uri}: {ctype}");
    body
}

async fn json(app: &App, uri: &str) -> Value {
    let (status, ctype, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri} on {}: {body}", app.db.name);
    assert!(ctype.starts_with("application/json"), "{uri}: {ctype}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn the_home_page_says_what_is_here_with_counts_and_entry_points() {
    for app in apps().await {
        // Two councils are held: the site's home page lists them.
        let list = page(&app, "/").await;
        assert!(list.contains("Councils on this site"), "the home page lists the councils when there are several");
        assert!(list.contains("href=\"/buckinghamshire\"") && list.contains("href=\"/riverside\""));
        // Unless one is chosen to be the home page.
        let state = AppState::new(app.db.store.clone(), placeworks_store::testing::clock()).await.unwrap().with_default_council(Some("riverside"));
        let chosen = router(state, &Options::default());
        let res = chosen.oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
        let home = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(home.contains("<h1 class=\"govuk-heading-xl\">Riverside partnerships</h1>"), "--default-council chooses the home page");
        let html = page(&app, "/buckinghamshire").await;
        assert!(html.contains("<h1 class=\"govuk-heading-xl\">Buckinghamshire partnerships</h1>"));
        let reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        let today = placeworks_store::testing::clock().today();
        let current = reg.bodies.iter().filter(|b| b.is_current(today)).count();
        assert!(current < reg.bodies.len(), "the built-in data has ended bodies");
        assert!(
            html.contains(&format!("<span class=\"pw-count__number\">{current}</span> <span class=\"pw-count__label\">bodies</span>")),
            "counts only current bodies"
        );
        for href in
            ["/buckinghamshire/bodies", "/buckinghamshire/organisations", "/buckinghamshire/areas", "/buckinghamshire/structure", "/buckinghamshire/overlap"]
        {
            assert!(html.contains(&format!("href=\"{href}\"")), "home links to {href}");
        }
        assert!(html.contains("Open Government Licence v3.0"), "attribution is kept");
        assert!(!html.contains("govuk-header__logotype-crown"), "no crown");
    }
}

#[tokio::test]
async fn a_body_page_lists_its_seats_with_advisers_and_observers_apart() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/bodies/bsp-board").await;
        assert!(html.contains("The Bucks Strategic Partnership Board will be the overarching partnership of partnerships for Buckinghamshire."));
        assert!(html.contains("Planned here: Every three months") && !html.contains("FREQ="), "the meeting rule in words, never raw");
        assert!(html.contains("Members (23 seats)"), "members caption");
        assert!(html.contains("Advisers: attend, do not decide"));
        let advisers = html.split("Advisers: attend, do not decide</caption>").nth(1).unwrap().split("</table>").next().unwrap();
        let rows = advisers.split("<tbody").nth(1).unwrap();
        assert_eq!(rows.matches("<td class=\"govuk-table__cell\">Chief Executive, ").count(), 5, "five chief executives advise");
        assert_eq!(rows.matches("<tr ").count(), 5);
        let observers =
            html.split("<caption class=\"govuk-table__caption govuk-table__caption--m\">Observers").nth(1).unwrap().split("</table>").next().unwrap();
        assert!(observers.contains("Government Office for the South East"));
        assert!(html.contains("Leader, Aylesbury Vale District Council"));
        assert!(html.contains("href=\"/buckinghamshire/bodies/bsp-implementation-group\""), "what reports to it");
        assert!(html.contains("Agenda managed by"), "CADEX manages its agenda");
        assert!(html.contains("At least 10 days"));
        assert!(html.contains("<svg"), "neighbourhood chart");
    }
}

#[tokio::test]
async fn cadex_shows_its_groups_and_rotating_chair() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/bodies/cadex").await;
        assert!(html.contains("Local Authority Group, Partnership Group"));
        assert!(html.contains("Rotating: The Chairmanship rotates between the local authority Chief Executives"));
        assert!(html.contains("7 days before the meeting"));
    }
}

#[tokio::test]
async fn the_body_index_filters_by_kind_and_sector() {
    for app in apps().await {
        let all = page(&app, "/buckinghamshire/bodies").await;
        let thematic = page(&app, "/buckinghamshire/bodies?kind=thematic-partnership").await;
        assert!(thematic.contains("5 bodies match the filter"), "five Opportunity Bucks thematic partnerships today");
        let ever = page(&app, "/buckinghamshire/bodies?kind=thematic-partnership&status=all").await;
        assert!(ever.contains("10 bodies match the filter"), "and the 2008 partnership's five among all");
        assert!(!thematic.contains(">Cabinet</a>"));
        assert!(all.contains(">Cabinet</a>"));
        let education = page(&app, "/buckinghamshire/bodies?sector=education").await;
        assert!(education.contains(">Buckinghamshire Place-Based Growth Board</a>"));
        assert!(!education.contains(">CADEX</a>"));
    }
}

#[tokio::test]
async fn an_organisation_page_lists_every_seat_it_holds() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/organisations/thames-valley-police").await;
        assert!(html.contains("2 seats on 2 bodies"), "BSP Implementation Group and CADEX");
        assert!(html.contains("href=\"/buckinghamshire/bodies/cadex\""));
        let bcc = page(&app, "/buckinghamshire/organisations/buckinghamshire-county-council").await;
        assert!(bcc.contains("Provides the secretariat for"));
    }
}

#[tokio::test]
async fn areas_show_codes_hierarchy_and_ward_boundaries() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/areas").await;
        assert!(html.contains("<code>E06000060</code>"));
        let ward = page(&app, "/buckinghamshire/areas/E05015927").await;
        assert!(ward.contains("<code>E05015927</code>"));
        assert!(ward.contains("Map of the boundary of Abbey"));
        assert!(ward.contains("<path d=\"M"));
        assert!(ward.contains("href=\"/buckinghamshire/areas/E05013120\">Abbey</a> (2020 to May 2025)"), "links the 2020 ward of the same name");
        assert!(ward.contains("the whole of Buckinghamshire"), "county-wide bodies are listed apart, briefly");
        let old = page(&app, "/buckinghamshire/areas/E05013120").await;
        assert!(old.contains(">Abbey Ward Partnership</a>"));
        assert!(old.contains("Through <a class=\"govuk-link\" href=\"/buckinghamshire/areas/opportunity-bucks-wards\">Opportunity Bucks wards</a>"));
        let ob = page(&app, "/buckinghamshire/areas/opportunity-bucks-wards").await;
        assert_eq!(ob.matches("href=\"/buckinghamshire/areas/E050131").count(), 10);
        assert!(ob.contains("Opportunity Bucks Programme Board"));
    }
}

#[tokio::test]
async fn the_register_shows_the_present_and_keeps_the_past_as_history() {
    for app in apps().await {
        // A member who left in April 2024 is a former member, not a holder.
        let board = page(&app, "/riverside/bodies/riverside-partnership-board").await;
        let (current, former) = board.split_once("id=\"former-members\"").expect("a Former members section");
        assert!(current.contains("Sam Patel (named substitute: Alex Morgan)"), "the current holder with the substitute");
        assert!(!current.contains("Chris Lane"), "the former member is not shown as holding the seat");
        assert!(former.contains("Chris Lane") && former.contains("April 2024"), "{former}");
        let api = json(&app, "/api/v1/councils/riverside/bodies/riverside-partnership-board").await;
        let seat = api["seats"].as_array().unwrap().iter().find(|s| s["slug"] == "riverside-cvs").unwrap();
        assert_eq!(seat["holders"], serde_json::json!(["sam-patel"]));
        assert_eq!(seat["former_holders"], serde_json::json!(["chris-lane"]));
        let person = page(&app, "/riverside/people/chris-lane").await;
        assert!(person.contains("No current seats are recorded") && person.contains("Former seats"));

        // The 16 Community Boards ended in May 2025: history, not the present.
        let bodies = page(&app, "/buckinghamshire/bodies").await;
        assert!(!bodies.contains("Aylesbury Community Board"), "an ended body is not listed as current");
        assert!(
            bodies.contains("37 former bodies have ended"),
            "the 16 Community Boards, and the 2008 partnership's 17 bodies and the four Local Committees with the County Council"
        );
        assert!(!bodies.contains(">Bucks Strategic Partnership Board</a>"), "the 2008 partnership is history");
        let former = page(&app, "/buckinghamshire/bodies?status=former").await;
        assert!(former.contains(">Aylesbury Community Board</a>") && former.contains("Ended May 2025"));
        assert!(!former.contains(">Cabinet</a>"));
        let listed = json(&app, "/api/v1/councils/buckinghamshire/bodies").await;
        assert!(listed.as_array().unwrap().iter().all(|b| b["slug"] != "aylesbury-community-board"));
        let all = json(&app, "/api/v1/councils/buckinghamshire/bodies?status=all").await;
        assert!(all.as_array().unwrap().iter().any(|b| b["slug"] == "aylesbury-community-board"));
        let board = page(&app, "/buckinghamshire/bodies/aylesbury-community-board").await;
        assert!(board.contains("This body ended in May 2025."));
        assert!(!board.contains("Planned meetings"), "nothing is planned for an ended body");
        let bsp = page(&app, "/buckinghamshire/bodies/bsp-board").await;
        assert!(bsp.contains("This body ended in March 2020."), "the 2008 partnership ended with the County Council");

        // A current ward shows the partnership of the ward it follows, marked as a best fit.
        let ward = page(&app, "/buckinghamshire/areas/E05015942").await;
        let (_, serving) = ward.split_once("id=\"bodies\"").unwrap();
        assert!(serving.contains("Set up for the ward it follows"), "{serving}");
        assert!(serving.contains(">Booker, Cressex and Castlefield Ward Partnership</a>"));
        assert!(serving.contains("a best fit, not an official lookup"));
        assert!(!serving.contains("Community Board"), "no ended body is shown as serving the ward");
        let old = page(&app, "/buckinghamshire/areas/E05013131").await;
        assert!(old.contains("This area no longer exists") && old.contains(">Castlefield &amp; Oakridge</a>"));
        // The council's page lists its current wards and puts the abolished ones apart.
        let council = page(&app, "/buckinghamshire/areas/E06000060").await;
        let (current, abolished) = council.split_once("former areas within it").expect("former wards apart");
        assert!(current.contains(">Castlefield &amp; Oakridge</a>") && !current.contains(">Booker, Cressex and Castlefield</a>"));
        assert!(abolished.contains(">Booker, Cressex and Castlefield</a>"));
    }
}

#[tokio::test]
async fn a_resident_finds_their_place_by_name_code_or_postcode() {
    for app in apps().await {
        let home = page(&app, "/buckinghamshire").await;
        assert!(home.contains("action=\"/buckinghamshire/find\"") && home.contains("Find your place"), "a search box on the home page");
        let body = page(&app, "/buckinghamshire/bodies/cadex").await;
        assert!(body.contains("action=\"/buckinghamshire/find\""), "and on every council page");

        // A name that fits several places lists them, current wards first.
        let list = page(&app, "/buckinghamshire/find?q=castlefield").await;
        let first = list.find(">Castlefield &amp; Oakridge</a>").expect("the current ward");
        let second = list.find(">Booker, Cressex and Castlefield</a>").expect("the 2020 ward");
        assert!(first < second && list.contains("No longer in use"), "the ward in use first");
        // One place found goes straight to it: by its whole name, or its code.
        for q in ["Castlefield+%26+Oakridge", "castlefield+and+oakridge", "E05015942"] {
            let (status, _, _) = get(&app, &format!("/buckinghamshire/find?q={q}")).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{q}");
        }
        let res = app.router.clone().oneshot(Request::get("/buckinghamshire/find?q=E05015942").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.headers()["location"], "/buckinghamshire/areas/E05015942");
        let none = page(&app, "/buckinghamshire/find?q=Atlantis").await;
        assert!(none.contains("No ward, town, village or area in Buckinghamshire matches “Atlantis”"));

        // A postcode, once the council has a postcode lookup.
        let before = page(&app, "/buckinghamshire/find?q=HP12+4ZZ").await;
        assert!(before.contains("Postcode search is not available for Buckinghamshire yet"));
        let lookup = std::collections::BTreeMap::from([("HP12 4ZZ".to_owned(), "E05015942".to_owned())]);
        app.db.store.replace_postcodes("buckinghamshire", &lookup, &[], &mut |_| {}).await.unwrap();
        let res = app.router.clone().oneshot(Request::get("/buckinghamshire/find?q=hp124zz").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()["location"], "/buckinghamshire/areas/E05015942");
        let elsewhere = page(&app, "/buckinghamshire/find?q=SW1A+1AA").await;
        assert!(elsewhere.contains("SW1A 1AA is not a postcode in Buckinghamshire"));
        // The postcode lookup outlives a reload of the council's dataset.
        let reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        app.db.store.replace_council(&reg, "3").await.unwrap();
        assert_eq!(app.db.store.postcode_count("buckinghamshire").await.unwrap(), 1);

        // The ward's page: the partnership of the ward it follows, and their next meetings.
        let ward = page(&app, "/buckinghamshire/areas/E05015942").await;
        assert!(ward.contains("id=\"next-meetings\""), "a ward served locally says when its bodies meet");
        assert!(ward.contains("Through <a class=\"govuk-link\" href=\"/buckinghamshire/areas/opportunity-bucks-wards\">Opportunity Bucks wards</a>, which includes the ward it follows"));
    }
}

#[tokio::test]
async fn the_structure_chart_is_svg_with_a_text_alternative() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/structure").await;
        assert!(html.contains("<svg") && html.contains("<title id=\"chart-title\">"));
        assert!(html.contains("id=\"body-opportunity-bucks-programme-board\""));
        let (status, ctype, svg) = get(&app, "/buckinghamshire/structure.svg").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ctype, "image/svg+xml");
        assert!(svg.contains("Growth Board") && svg.ends_with("</svg>"));
        // The overview fits one screen; every box is a link; a key names every kind of line.
        let boxes = |svg: &str| svg.matches("<a href=").count();
        assert!(boxes(&svg) <= 27, "the overview has {} boxes: it fits one screen", boxes(&svg));
        assert!(
            svg.contains("<a href=\"/buckinghamshire/bodies/growth-board\"") && !svg.contains("<a href=\"/buckinghamshire/bodies/bsp-board\""),
            "boxes link to bodies, and only to bodies that exist today"
        );
        assert!(svg.contains("Opportunity Bucks Board · 16 below"), "what is below a box is counted");
        for kind in ["Reports to", "Links with", "Manages the agenda of", "Holds to account", "Is part of"] {
            assert!(html.contains(&format!("</svg> {kind}</li>")), "the key names {kind}");
        }
        let (_, _, all) = get(&app, "/buckinghamshire/structure.svg?view=all").await;
        let today = placeworks_store::testing::clock().today();
        let reg = dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        assert_eq!(boxes(&all), reg.bodies.iter().filter(|b| b.is_current(today)).count(), "every current body, and no former one");
        assert!(!all.contains("Community Board"), "the ended Community Boards are not drawn");
        let detail = page(&app, "/buckinghamshire/structure?view=all").await;
        assert!(detail.contains("<strong aria-current=\"page\">Every body</strong>"));
    }
    // In 2010 the chart is the 2008 partnership's: the four Local Committees, alike and with nothing below, are folded into one box.
    for app in bsp_era_apps().await {
        let (_, _, svg) = get(&app, "/buckinghamshire/structure.svg").await;
        assert!(svg.contains("<a href=\"/buckinghamshire/bodies/bsp-board\""), "the Board exists then");
        assert!(
            svg.contains("<a href=\"/buckinghamshire/bodies?kind=committee\""),
            "the four Local Committees folded into one box open the bodies of their kind"
        );
    }
}

#[tokio::test]
async fn the_overlap_page_ranks_partners_and_pairs_of_bodies() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/overlap").await;
        let first = html.split("Partners by seats held</caption>").nth(1).unwrap().split("<tbody").nth(1).unwrap();
        assert!(first.find("Buckinghamshire County Council").unwrap() < first.find("Encompass").unwrap());
        assert!(html.contains("Bodies that share partners"));
    }
}

#[tokio::test]
async fn unknown_pages_are_a_helpful_404_and_unknown_api_resources_json() {
    for app in apps().await {
        for uri in ["/no-such-page/at-all", "/buckinghamshire/bodies/no-such-body", "/nowhere", "/buckinghamshire/areas/E99999999"] {
            let (status, ctype, body) = get(&app, uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert!(ctype.starts_with("text/html"), "{uri}");
            assert!(body.contains("go to the home page"), "{uri}");
        }
        for uri in ["/api/v1/nothing", "/api/v1/councils/buckinghamshire/bodies/nope", "/api/v1/councils/nope/bodies"] {
            let (status, ctype, body) = get(&app, uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert!(ctype.starts_with("application/json"), "{uri}");
            let v: Value = serde_json::from_str(&body).unwrap();
            assert!(v["error"]["message"].as_str().unwrap().len() > 10, "{uri}: {body}");
        }
    }
}

#[tokio::test]
async fn healthz_answers_when_the_database_answers() {
    for app in apps().await {
        let (status, _, body) = get(&app, "/healthz").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    }
}

#[tokio::test]
async fn the_api_serves_councils_bodies_organisations_and_areas() {
    for app in apps().await {
        let councils = json(&app, "/api/v1/councils").await;
        let slugs: Vec<&str> = councils.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["buckinghamshire", "riverside"]);
        let body = json(&app, "/api/v1/councils/buckinghamshire/bodies/cadex").await;
        assert_eq!(body["chair"], "rotating");
        assert_eq!(body["agenda_notice_days"], 7);
        assert_eq!(body["seats"].as_array().unwrap().iter().filter(|s| s["groups"].as_array().unwrap().len() == 2).count(), 5);
        let subs = json(&app, "/api/v1/councils/buckinghamshire/bodies?kind=sub-board").await;
        assert_eq!(subs.as_array().unwrap().len(), 3);
        let boards = json(&app, "/api/v1/councils/buckinghamshire/bodies?kind=board&status=all").await;
        let bsp = boards.as_array().unwrap().iter().find(|b| b["slug"] == "bsp-board").unwrap();
        assert_eq!(bsp["seat_count"], 30, "a count in lists, the seats themselves in the detail");
        let detail = json(&app, "/api/v1/councils/buckinghamshire/bodies/bsp-board").await;
        assert_eq!(detail["seats"].as_array().unwrap().len(), 30);
        assert_eq!(detail["seat_count"], 30);
        let ward = json(&app, "/api/v1/councils/buckinghamshire/areas/E05015927").await;
        assert_eq!(ward["boundary"]["type"], "Polygon");
        let wards = json(&app, "/api/v1/councils/buckinghamshire/areas?kind=ward").await;
        assert_eq!(wards.as_array().unwrap().len(), 98);
        assert!(wards[0].get("boundary").is_none(), "lists leave boundaries out");
        let tvp = json(&app, "/api/v1/councils/buckinghamshire/organisations/thames-valley-police").await;
        assert_eq!(tvp["seats"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn the_openapi_document_is_3_1_and_lists_every_api_path() {
    for app in apps().await {
        let doc = json(&app, "/api/openapi.json").await;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths: HashSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        for p in ["/api/v1/councils", "/api/v1/councils/{council}/bodies/{slug}", "/api/v1/popolo", "/api/v1/councils/{council}/areas/{code}"] {
            assert!(paths.contains(p), "{p} is documented");
        }
    }
}

#[tokio::test]
async fn every_popolo_id_reference_resolves_and_collections_are_complete() {
    for app in apps().await {
        let doc = json(&app, "/api/v1/popolo").await;
        let mut ids = HashSet::new();
        for coll in ["organizations", "persons", "posts", "memberships", "areas"] {
            for o in doc[coll].as_array().unwrap_or_else(|| panic!("{coll} present")) {
                assert!(ids.insert(o["id"].as_str().unwrap().to_owned()), "duplicate id {}", o["id"]);
            }
        }
        let mut refs = 0;
        for coll in ["organizations", "persons", "posts", "memberships", "areas"] {
            for o in doc[coll].as_array().unwrap() {
                for (k, v) in o.as_object().unwrap() {
                    if k.ends_with("_id") && !v.is_null() {
                        refs += 1;
                        assert!(ids.contains(v.as_str().unwrap()), "{coll} {}: {k} = {v} does not resolve", o["id"]);
                    }
                }
            }
        }
        assert!(refs > 300, "{refs} references checked");
        let bsp = doc["organizations"].as_array().unwrap().iter().find(|o| o["id"] == "buckinghamshire/bodies/bsp-implementation-group").unwrap();
        assert_eq!(bsp["parent_id"], "buckinghamshire/bodies/bsp-board");
        assert_eq!(bsp["classification"], "implementation-group");
        let area = doc["areas"].as_array().unwrap().iter().find(|a| a["id"] == "buckinghamshire/areas/E06000060").unwrap();
        assert_eq!(area["identifier"], "E06000060");
        let on_behalf =
            doc["memberships"].as_array().unwrap().iter().filter(|m| m["on_behalf_of_id"] == "buckinghamshire/organisations/voluntary-impact").count();
        assert_eq!(on_behalf, 2, "Voluntary Impact's seats on the Board and the Implementation Group");
        assert!(doc["persons"].as_array().unwrap().iter().any(|p| p["name"] == "Sarah Ashmead"));
    }
}

#[tokio::test]
async fn text_from_a_dataset_is_escaped_on_every_page_it_appears() {
    for app in apps().await {
        let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        let mut reg = dataset::read(&files).unwrap();
        reg.bodies[0].name = "<script>alert(1)</script> Board".into();
        reg.bodies[0].purpose = Some("<img src=x onerror=alert(2)>".into());
        reg.organisations[0].name = "<b>Council</b>".into();
        app.db.store.replace_council(&reg, "3").await.unwrap();
        let state = AppState::new(app.db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        let fresh = App { router: router(state, &Options::default()), db: placeworks_store::testing::sqlite().await };
        for uri in [
            "/riverside",
            "/riverside/bodies",
            "/riverside/bodies/riverside-partnership-board",
            "/riverside/structure",
            "/riverside/organisations",
            "/riverside/organisations/riverside-council",
            "/riverside/overlap",
        ] {
            let html = page(&fresh, uri).await;
            assert!(!html.contains("<script>alert(1)"), "{uri} lets a script through");
            assert!(!html.contains("<img src=x"), "{uri} lets markup through");
            assert!(!html.contains("<b>Council</b>"), "{uri} lets markup through");
        }
        let body = page(&fresh, "/riverside/bodies/riverside-partnership-board").await;
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt; Board"));
    }
}

#[tokio::test]
async fn a_reload_after_a_write_never_serves_a_stale_page() {
    for db in both().await {
        let files = DatasetFiles::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")).unwrap();
        let mut reg = dataset::read(&files).unwrap();
        db.store.replace_council(&reg, "1").await.unwrap();
        let state = AppState::new(db.store.clone(), placeworks_store::testing::clock()).await.unwrap();
        let app = App { router: router(state.clone(), &Options::default()), db };
        let uri = "/riverside/bodies/riverside-partnership-board";
        assert!(page(&app, uri).await.contains("Riverside Partnership Board"));
        // Twice, so that the second answer comes from the page cache.
        assert!(page(&app, uri).await.contains("Riverside Partnership Board"));
        reg.bodies[0].name = "Riverside Strategic Board".into();
        app.db.store.replace_council(&reg, "2").await.unwrap();
        state.catch_up().await.unwrap();
        let html = page(&app, uri).await;
        assert!(html.contains("Riverside Strategic Board") && !html.contains("Riverside Partnership Board</h1>"), "on {}", app.db.name);
    }
}

#[tokio::test]
async fn the_needs_page_ranks_and_maps_the_wards_and_checks_them_against_opportunity_bucks() {
    for app in apps().await {
        let html = page(&app, "/buckinghamshire/needs").await;
        assert!(html.contains("best fit, not an official lookup"), "the lookup is said to be approximate");
        let top = html.split("The ten wards in most need").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(top.matches("<tr class=\"govuk-table__row\">").count(), 11, "a header row and ten wards");
        assert!(top.find("Castlefield &amp; Oakridge").unwrap() < top.find("Aylesbury North West").unwrap(), "most deprived first");
        assert!(top.contains("Income (6.6 points; +4.6 against Buckinghamshire, +1.7 against England)"), "with what drives it");
        assert!(html.contains("8 of the engine's ten wards correspond by name to one of the 10 Opportunity Bucks wards"), "on {}", app.db.name);
        assert!(html.contains("Not among the ten: ") && html.contains(">Abbey</a>") && html.contains(">Chesham</a>"));
        let map = html.split("class=\"pw-map pw-choropleth\"").nth(1).expect("a ward map").split("</svg>").next().unwrap();
        assert_eq!(map.matches("<path").count(), 49, "every ward drawn");
        assert_eq!(map.matches("<a href=\"/buckinghamshire/areas/E0501").count(), 49, "each linking to its profile");
        let all = html.split("id=\"all-wards\"").nth(1).unwrap();
        assert_eq!(
            all.matches("<td class=\"govuk-table__cell\"><a class=\"govuk-link\" href=\"/buckinghamshire/areas/E0501").count(),
            49,
            "and a table of the same"
        );

        let (status, ctype, csv) = get(&app, "/buckinghamshire/needs.csv").await;
        assert_eq!((status, ctype.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
        assert_eq!(csv.lines().count(), 50);
        assert!(csv.lines().nth(1).unwrap().starts_with("E05015942,Castlefield & Oakridge,24.612,1,1,"));
        let (_, _, lsoas) = get(&app, "/buckinghamshire/needs.csv?level=lsoa").await;
        assert_eq!(lsoas.lines().count(), 320);
        assert!(
            lsoas.lines().nth(1).unwrap().starts_with("E01017707,Aylesbury Vale 012C,35.913,5568,2,"),
            "most deprived first: {}",
            lsoas.lines().nth(1).unwrap()
        );
        let (_, _, values) = get(&app, "/buckinghamshire/values.csv?area=E01017707").await;
        assert_eq!(values.lines().count(), 11, "a header and the LSOA's ten values");
        assert!(values.contains("E01017707,imd-2019-rank,2019,5568,,,"));

        // A council without the indices has no needs page, and no link to one.
        let (status, _, body) = get(&app, "/riverside/needs").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("holds no indices of deprivation"));
        assert!(!page(&app, "/riverside").await.contains(">Needs</a>"));
        assert!(page(&app, "/buckinghamshire").await.contains(">Needs</a>"));
    }
}

#[tokio::test]
async fn ward_and_lsoa_profiles_show_deprivation_against_the_council_and_england() {
    for app in apps().await {
        let ward = page(&app, "/buckinghamshire/areas/E05015942").await;
        assert!(ward.contains("24.6: 1 of 49 wards (decile 1). Buckinghamshire: 10.1; England: 21.7."), "on {}", app.db.name);
        assert!(ward.contains("class=\"pw-bars\"") && ward.contains("Domain points"), "a chart and its table");
        assert!(ward.contains("best fit, not an official lookup"));
        let lsoas = ward.split("LSOAs placed in Castlefield").nth(1).unwrap().split("</table>").next().unwrap();
        assert_eq!(lsoas.matches("href=\"/buckinghamshire/areas/E01").count(), 5);
        let map = ward.split("id=\"lsoa-map-title\"").nth(1).expect("an LSOA map").split("</svg>").next().unwrap();
        assert_eq!(map.matches("<path").count(), 5);

        let lsoa = page(&app, "/buckinghamshire/areas/E01017707").await;
        assert!(lsoa.contains("Rank 5,568 of 32,844 in England (1 is the most deprived); decile 2"), "the most deprived LSOA in Buckinghamshire");
        assert!(lsoa.contains("Income Rank") || lsoa.contains("<dt class=\"govuk-summary-list__key\">Income</dt>"));

        let county = page(&app, "/buckinghamshire/areas/E06000060").await;
        assert!(county.contains("id=\"ward-map-title\""), "the council's page maps its wards");

        let compare = page(&app, "/buckinghamshire/compare?a1=E05015942&a2=E05015927&a3=E06000060").await;
        let table = compare.split("Side by side").nth(1).unwrap();
        assert!(table.contains("Castlefield &amp; Oakridge") && table.contains("Abbey") && table.contains("England"));
        assert!(table.contains("1st of 49 wards"));
        let bad = page(&app, "/buckinghamshire/compare?a1=E05015942&a2=nowhere").await;
        assert!(bad.contains("<title>Error:") && bad.contains("href=\"#a2\"") && bad.contains("There is no area with the code “nowhere”"));
    }
}

#[tokio::test]
async fn the_api_serves_indicators_values_and_the_needs_assessment() {
    for app in apps().await {
        let needs = json(&app, "/api/v1/councils/buckinghamshire/needs").await;
        assert_eq!(needs["wards"].as_array().unwrap().len(), 49);
        assert_eq!(needs["lsoas"].as_array().unwrap().len(), 319);
        assert_eq!(needs["most_deprived_wards"][0]["area_code"], "E05015942");
        assert_eq!(needs["lsoas"][0]["rank"], 5568, "most deprived first, by national rank");
        assert!(needs["caveat"].as_str().unwrap().contains("best fit"));
        assert!((needs["weights"]["income"].as_f64().unwrap() - 22.5).abs() < 1e-9);
        let indicators = json(&app, "/api/v1/councils/buckinghamshire/indicators").await;
        assert_eq!(indicators.as_array().unwrap().len(), 18);
        let values = json(&app, "/api/v1/councils/buckinghamshire/values?area=E01017707").await;
        assert_eq!(values.as_array().unwrap().len(), 10, "on {}", app.db.name);
        let rank = values.as_array().unwrap().iter().find(|v| v["indicator"] == "imd-2019-rank").unwrap();
        assert_eq!(rank["value"], 5568.0);
        let (status, ctype, _) = get(&app, "/api/v1/councils/riverside/needs").await;
        assert_eq!((status, ctype.starts_with("application/json")), (StatusCode::NOT_FOUND, true));
    }
}

#[tokio::test]
async fn the_services_page_shows_each_area_against_its_baseline() {
    for app in apps().await {
        let html = page(&app, "/riverside/services").await;
        assert!(html.contains("<strong>1 of 2</strong> fall short"), "on {}", app.db.name);
        let hilltop = html.split("Hilltop</a>").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(hilltop.contains("Short") && hilltop.contains("one extended school (has 0)") && hilltop.contains("Hilltop Primary School"));
        assert!(html.contains("Quayside Academy") && html.contains("(extended school)"));
        let bucks = page(&app, "/buckinghamshire/services").await;
        assert!(bucks.contains("No service points are recorded for Buckinghamshire yet"));
        assert!(bucks.contains("Each community should also have at least one extended school and a Children&#x27;s Centre"), "the 2005 strategy's words");
        assert!(
            bucks.contains("No local community area exists today, so the baseline applies to none"),
            "the 2005 local community areas ended with the County Council in 2020"
        );
        let back = app.db.store.register("riverside").await.unwrap().unwrap();
        assert_eq!((back.services.len(), back.baselines.len()), (4, 1), "service points and baselines round-trip through the store");
    }
}

#[tokio::test]
async fn planned_meetings_show_on_body_pages_the_calendar_and_in_icalendar() {
    for app in bsp_era_apps().await {
        let cadex = page(&app, "/buckinghamshire/bodies/cadex").await;
        let table = cadex.split("id=\"meetings\"").nth(1).expect("a planned meetings section").split("</table>").next().unwrap();
        assert!(table.matches("<time datetime=").count() >= 11, "about a year of monthly meetings on {}", app.db.name);
        assert!(table.contains(", 09:30</time>") && table.contains("Local Authority Group") && table.contains("Partnership Group"));
        assert!(table.contains("Hosted by "), "the chair hosts");
        let cal = page(&app, "/buckinghamshire/calendar").await;
        assert!(cal.contains("Bucks Strategic Partnership Board") && cal.contains("href=\"/buckinghamshire/bodies/cadex\""));
        let (status, ctype, ics) = get(&app, "/buckinghamshire/bodies/cadex/meetings.ics").await;
        assert_eq!((status, ctype.as_str()), (StatusCode::OK, "text/calendar; charset=utf-8"));
        assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("SUMMARY:CADEX (Local Authority Group)"));
        let next_year = chrono::Datelike::year(&placeworks_store::testing::bsp_era_clock().today()) + 1;
        assert!(ics.contains(&format!("DTSTART:{next_year}")), "meetings of the coming year");
        let (_, _, all) = get(&app, "/buckinghamshire/meetings.ics").await;
        assert!(all.matches("BEGIN:VEVENT").count() > ics.matches("BEGIN:VEVENT").count());
        // A body without a cadence's first meeting plans nothing, and says nothing about it.
        assert!(!page(&app, "/buckinghamshire/bodies/growth-board").await.contains("id=\"meetings\""));
    }
    // Today the partnership has ended: nothing is planned for it, and the calendar has none of its meetings.
    for app in apps().await {
        assert!(!page(&app, "/buckinghamshire/bodies/cadex").await.contains("id=\"meetings\""), "nothing is planned for an ended body");
        assert!(!page(&app, "/buckinghamshire/calendar").await.contains("Bucks Strategic Partnership Board"));
        let (_, _, ics) = get(&app, "/buckinghamshire/bodies/cadex/meetings.ics").await;
        assert!(!ics.contains("BEGIN:VEVENT"), "{ics}");
    }
}

#[tokio::test]
async fn the_two_cabinet_decisions_of_the_seeds_are_shown_word_for_word() {
    for app in apps().await {
        let list = page(&app, "/buckinghamshire/decisions").await;
        let first = list.find("Opportunity Bucks progress").unwrap();
        assert!(first < list.find("Levelling Up Framework").unwrap(), "newest first");
        assert!(list.contains("July 2022") && list.contains("14 November 2023"), "a month where the record gives no day");
        let d = page(&app, "/buckinghamshire/decisions/levelling-up-framework-2022").await;
        assert!(d.contains("(1) That the proposals for a Buckinghamshire Levelling Up Framework be AGREED."), "on {}", app.db.name);
        assert!(d.contains("(2) That the programme ‘Opportunity Bucks – Succeeding for All’ be SUPPORTED."));
        assert!(d.contains("Sarah Ashmead (Deputy Chief Executive) explained"), "the minutes in full");
        assert!(d.contains("<dd class=\"govuk-summary-list__value\">Not recorded</dd>"), "seed 001 does not say whether it was a key decision");
        assert!(d.contains("July 2022 <strong class=\"govuk-tag govuk-tag--yellow pw-example\" data-example=\"date\">"), "nor when: July is the example's");
        let p = page(&app, "/buckinghamshire/decisions/opportunity-bucks-progress-2023").await;
        assert!(p.contains("That the progress of the Opportunity Bucks programme be NOTED.") && p.contains("Not subject to call-in"));
        assert!(
            p.contains("<dd class=\"govuk-summary-list__value\">Yes <strong class=\"govuk-tag govuk-tag--yellow pw-example\" data-example=\"key_decision\">"),
            "a key decision, by the example: seed 003 does not say"
        );
        assert!(
            p.contains("The same matter over time") && p.contains("href=\"/buckinghamshire/decisions/levelling-up-framework-2022\""),
            "the issue history links them"
        );
        let cabinet = page(&app, "/buckinghamshire/bodies/cabinet").await;
        assert!(cabinet.contains("id=\"decisions\"") && cabinet.contains("Levelling Up Framework"));
        let recorded = cabinet.split("id=\"meetings-recorded\"").nth(1).expect("the Cabinet's meetings").split("</ul>").next().unwrap();
        let tag = "<strong class=\"govuk-tag govuk-tag--yellow pw-example\" data-example=\"date\">Example value</strong>";
        assert!(
            recorded.contains(&format!("14 November 2023</a> {tag}: minutes approved")) && recorded.contains(&format!("July 2022</a> {tag}: minutes approved")),
            "{recorded}"
        );
        assert!(recorded.contains("the day is the example&#x27;s)</span>. Decided: "), "{recorded}");
        assert!(recorded.contains("href=\"/buckinghamshire/meetings/cabinet-2023-11-14\""), "each links to the meeting's page");
        let meeting = page(&app, "/buckinghamshire/meetings/cabinet-2022-07").await;
        assert!(meeting.contains("July 2022") && meeting.contains("Levelling Up Framework"), "the month-only meeting has its page, with its decision");
    }
}

#[tokio::test]
async fn the_governance_page_lists_each_breach_with_its_rule() {
    for app in apps().await {
        let html = page(&app, "/riverside/governance").await;
        let overdue = html.split("id=\"review-overdue\"").nth(1).unwrap().split("</table>").next().unwrap();
        assert!(
            overdue.contains("Riverside Partnership Board")
                && overdue.contains("The arrangements will be reviewed after 12 months.")
                && overdue.contains("due by April 2025"),
            "on {}",
            app.db.name
        );
        assert!(html.contains("Hilltop</a>: lacks one extended school"), "the service baseline too");
        let bucks = page(&app, "/buckinghamshire/governance").await;
        assert!(bucks.contains("id=\"seat-vacant\"") && bucks.contains("member seats have no holder recorded"));
    }
}

#[tokio::test]
async fn the_sitemap_lists_every_kind_of_public_page() {
    for app in apps().await {
        let (status, ctype, xml) = get(&app, "/sitemap.xml").await;
        assert_eq!((status, ctype.as_str()), (StatusCode::OK, "application/xml; charset=utf-8"));
        for path in [
            "/buckinghamshire/bodies/cadex",
            "/buckinghamshire/needs",
            "/buckinghamshire/calendar",
            "/buckinghamshire/governance",
            "/buckinghamshire/services",
            "/buckinghamshire/decisions/levelling-up-framework-2022",
            "/riverside/services",
            "/buckinghamshire/forward-plan",
            "/buckinghamshire/meetings/cabinet-2023-11-14",
            "/buckinghamshire/people/sarah-ashmead",
        ] {
            assert!(xml.contains(&format!("{path}</loc>")), "{path} on {}", app.db.name);
        }
        assert!(!xml.contains("/riverside/needs</loc>"), "no needs page where there are no indices");
    }
}

#[tokio::test]
async fn every_answer_says_how_long_the_server_took() {
    for app in apps().await {
        for uri in ["/buckinghamshire/bodies/bsp-board", "/no-such-page", "/api/v1/councils"] {
            let res = app.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
            let timing = res.headers().get("server-timing").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
            let ms: f64 = timing.strip_prefix("app;dur=").and_then(|d| d.parse().ok()).unwrap_or_else(|| panic!("{uri}: {timing:?}"));
            assert!((0.0..60_000.0).contains(&ms), "{uri}: {ms}");
        }
    }
}

#[tokio::test]
async fn opportunity_bucks_is_a_programme_with_its_themes_outcomes_levels_and_wards() {
    for app in apps().await {
        let home = page(&app, "/buckinghamshire").await;
        assert!(home.contains(">Programmes</a>"), "on {}: the menu offers the programmes", app.db.name);
        let list = page(&app, "/buckinghamshire/programmes").await;
        assert!(list.contains("href=\"/buckinghamshire/programmes/opportunity-bucks\""));
        let p = page(&app, "/buckinghamshire/programmes/opportunity-bucks").await;
        for text in [
            "Opportunity Bucks – Succeeding for All",
            "nobody was left behind",
            "7 December 2022",
            "Opportunity Bucks Programme Board",
            "Quality of our Public Realm",
            "A decent, warm home",
            "Ward Partnerships which had been established at a community level",
            "Making Every Adult Matter team",
            "Totteridge and Bowerdean",
            "Levelling Up Framework",
        ] {
            assert!(p.contains(&text.replace('&', "&amp;")) || p.contains(text), "on {}: {text}", app.db.name);
        }
        assert_eq!(p.matches("id=\"theme-").count(), 5, "five themes");
        assert_eq!(p.matches("id=\"outcome-").count(), 6, "six outcomes");
        assert!(p.contains("data-example=\"name\""), "the partnerships' names are tagged as the example's");
        // A target ward's page, and the ward that follows it, show the programme working there; another ward does not.
        for ward in ["E05013131", "E05015942"] {
            let page = page(&app, &format!("/buckinghamshire/areas/{ward}")).await;
            let section = page.split("id=\"programmes\"").nth(1).unwrap_or_else(|| panic!("on {}: {ward} lists its programmes", app.db.name));
            assert!(section.contains("/buckinghamshire/programmes/opportunity-bucks") && section.contains("Opportunity Bucks wards"), "{ward}: {section}");
        }
        assert!(!page(&app, "/buckinghamshire/areas/E05015960").await.contains("id=\"programmes\""), "Marlow: a ward no programme targets");
        let (_, _, sitemap) = get(&app, "/sitemap.xml").await;
        assert!(sitemap.contains("/buckinghamshire/programmes/opportunity-bucks"));
        // The store holds the programme as the dataset gives it.
        let stored = app.db.store.register("buckinghamshire").await.unwrap().unwrap();
        let builtin = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        assert_eq!(stored.programmes, builtin.programmes, "on {}: read back whole", app.db.name);
    }
}

#[tokio::test]
async fn horizons_is_measured_honestly_nine_referrals_against_an_undated_target_of_thirty() {
    for app in apps().await {
        let p = page(&app, "/buckinghamshire/programmes/opportunity-bucks").await;
        let horizons = p.split("id=\"measure-horizons-referrals\"").nth(1).expect("the Horizons measure").split("id=\"measure-").next().unwrap();
        assert!(horizons.contains("9 people referred, Q3 2023") && horizons.contains("(October to December 2023)"), "on {}: {horizons}", app.db.name);
        assert!(horizons.contains("30 people referred (the source gives no date for it)"));
        assert!(
            horizons.contains("data-status=\"undated\"") && horizons.contains("Not judged: its target has no date"),
            "not called Red against a target with no date"
        );
        assert!(horizons.contains("data-example=\"actual\""), "the quarter of the nine is the example's");
        let from_areas = p.split("id=\"measure-horizons-referrals-from-opportunity-bucks-areas\"").nth(1).unwrap();
        assert!(
            from_areas.contains("None reported") && from_areas.contains("data-status=\"missing\"") && from_areas.contains("No actual reported"),
            "no figure is invented"
        );
        let stored = app.db.store.register("buckinghamshire").await.unwrap().unwrap();
        let builtin = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        assert_eq!(stored.measures, builtin.measures, "on {}: the measures read back whole", app.db.name);
    }
}

#[tokio::test]
async fn opportunity_bucks_initiatives_are_a_tree_with_honest_progress_and_reach_the_wards_they_serve() {
    for app in apps().await {
        let p = page(&app, "/buckinghamshire/programmes/opportunity-bucks").await;
        let section = p.split("id=\"initiatives\"").nth(1).unwrap().split("id=\"money\"").next().unwrap();
        assert_eq!(section.matches("id=\"initiative-").count(), 10, "on {}: every initiative, parts included", app.db.name);
        assert!(section.contains("across the 4 of 7 parts that report it; 3 report nothing and are left out"), "never claims more than reported: {section}");
        assert!(section.contains("data-status=\"underway\"") && section.contains("Progress: not known"));
        let i = page(&app, "/buckinghamshire/programmes/opportunity-bucks/initiatives/public-realm-and-community-improvements").await;
        assert!(i.contains("Making functional improvements to the Totteridge recreational group"), "in the paper's words");
        let progress = i.split("id=\"progress\"").nth(1).unwrap().split("</dd>").next().unwrap();
        assert!(progress.contains("100% = (Functional improvements to the Totteridge recreational group 100% +"), "shown with its working: {progress}");
        assert_eq!(i.split("id=\"parts\"").nth(1).unwrap().matches("id=\"initiative-").count(), 3);
        let h = page(&app, "/buckinghamshire/programmes/opportunity-bucks/initiatives/horizons-programme").await;
        assert!(h.contains("/buckinghamshire/programmes/opportunity-bucks/measures/horizons-referrals\"") && h.contains("Not judged: its target has no date"));
        assert!(h.contains("September 2023"), "its launch, a milestone achieved");
        let m = page(&app, "/buckinghamshire/programmes/opportunity-bucks/measures/horizons-referrals").await;
        assert!(m.contains("/buckinghamshire/programmes/opportunity-bucks/initiatives/horizons-programme\""), "a measure names the initiative it measures");
        // The golden thread from a ward: Castlefield & Oakridge follows the ward the traffic calming was for.
        let ward = page(&app, "/buckinghamshire/areas/E05015942").await;
        let here = ward.split("id=\"programmes\"").nth(1).unwrap().split("id=\"bodies\"").next().unwrap();
        let calming =
            here.split("data-initiative=\"castlefield-traffic-calming\"").nth(1).expect("the ward lists the work done in it").split("</li>").next().unwrap();
        assert!(calming.contains("Traffic calming measures in Castlefield") && calming.contains("here"), "{calming}");
        assert!(here.contains("data-initiative=\"horizons-programme\""), "and the work across the programme's wards");
        assert!(!here.contains("totteridge-recreation-ground"), "but not another ward's");
        let stored = app.db.store.register("buckinghamshire").await.unwrap().unwrap();
        let builtin = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        assert_eq!(stored.initiatives, builtin.initiatives, "on {}: the initiatives read back whole", app.db.name);
    }
}

#[tokio::test]
async fn the_money_page_shows_funds_matched_funding_quality_parishes_and_money_against_need() {
    for app in apps().await {
        let money = page(&app, "/buckinghamshire/money").await;
        for text in [
            "Wycombe Local Committee capital transportation budget",
            "£125,000",
            "Chiltern District Council",
            "£30,000",
            "about £100,000 per annum",
            "Buckingham Town Council",
            "Services: not yet agreed. Contribution: not yet agreed.",
            "Multiply",
            "£2,100,000",
        ] {
            assert!(money.contains(text), "on {}: {text}", app.db.name);
        }
        // Money by place against need: a chart drawn by the server and the table of its figures.
        assert!(money.contains("<svg") && money.contains("Money recorded by place beside each place"), "the chart");
        let table = money.split("id=\"money-by-place\"").nth(1).unwrap().split("</table>").next().unwrap();
        let wycombe = table.split("data-area=\"E07000007\"").nth(1).expect("Wycombe has money").split("</tr>").next().unwrap();
        assert!(wycombe.contains("£625,000") && wycombe.contains("10."), "the budget and the joint funding, beside its need: {wycombe}");
        let p = page(&app, "/buckinghamshire/programmes/opportunity-bucks").await;
        assert!(p.split("id=\"money\"").nth(1).unwrap().contains("£2,100,000"), "the programme shows its fund");
        let i = page(&app, "/buckinghamshire/programmes/opportunity-bucks/initiatives/multiply-numeracy").await;
        assert!(i.split("id=\"funding\"").nth(1).unwrap().contains("£2,100,000 from Multiply"), "an initiative shows its funding");
        let stored = app.db.store.register("buckinghamshire").await.unwrap().unwrap();
        let builtin = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
        assert_eq!(
            (&stored.funds, &stored.contributions, &stored.agreements),
            (&builtin.funds, &builtin.contributions, &builtin.agreements),
            "on {}: the money reads back whole",
            app.db.name
        );
    }
}

#[tokio::test]
async fn programmes_initiatives_measures_and_actuals_are_open_data_as_json_and_csv() {
    for app in apps().await {
        let doc = json(&app, "/api/openapi.json").await;
        let paths: HashSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        for p in [
            "/api/v1/councils/{council}/programmes",
            "/api/v1/councils/{council}/programmes/{programme}",
            "/api/v1/councils/{council}/programmes/{programme}/initiatives",
            "/api/v1/councils/{council}/programmes/{programme}/measures",
            "/api/v1/councils/{council}/programmes/{programme}/actuals",
            "/api/v1/councils/{council}/programmes/{programme}/actuals.csv",
        ] {
            assert!(paths.contains(p), "{p} is documented");
        }
        let base = "/api/v1/councils/buckinghamshire/programmes";
        let list = json(&app, base).await;
        assert_eq!(list[0]["slug"], "opportunity-bucks");
        assert_eq!(list[0]["themes"].as_array().unwrap().len(), 5);
        let initiatives = json(&app, &format!("{base}/opportunity-bucks/initiatives")).await;
        let whole = initiatives.as_array().unwrap().iter().find(|i| i["slug"] == "public-realm-and-community-improvements").unwrap();
        assert_eq!((whole["progress"].as_f64(), whole["status"].as_str()), (Some(100.0), Some("completed")));
        assert!(initiatives.as_array().unwrap().iter().any(|i| i["part_of"] == "public-realm-and-community-improvements"));
        let measures = json(&app, &format!("{base}/opportunity-bucks/measures")).await;
        let horizons = measures.as_array().unwrap().iter().find(|m| m["slug"] == "horizons-referrals").unwrap();
        assert_eq!((horizons["status"].as_str(), horizons["latest_value"].as_f64()), (Some("undated"), Some(9.0)));
        assert_eq!(horizons["targets"][0]["period"], serde_json::Value::Null, "the target the paper gives no date for");
        let actuals = json(&app, &format!("{base}/opportunity-bucks/actuals")).await;
        assert_eq!(actuals.as_array().unwrap().len(), 1);
        let (status, _, csv) = get(&app, &format!("{base}/opportunity-bucks/actuals.csv")).await;
        assert_eq!(status, StatusCode::OK);
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("measure,period,value,target,status,status_words,commentary,corrective_action,action_owner,entered_at"));
        assert!(lines.next().unwrap().starts_with("horizons-referrals,2023/24 Q3,9,30,undated,Not judged: its target has no date,"));
        let (status, _, body) = get(&app, &format!("{base}/no-such-programme/measures")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("GET /api/v1/councils/buckinghamshire/programmes lists them"));
        // The built-in money holds no grant to another organisation: the 360Giving export says so.
        let (status, _, body) = get(&app, "/api/v1/councils/buckinghamshire/360giving").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("has no grants to publish"));
    }
}

#[tokio::test]
async fn a_programme_has_a_page_for_each_theme_outcome_and_place_it_targets() {
    for app in apps().await {
        let base = "/buckinghamshire/programmes/opportunity-bucks";
        let p = page(&app, base).await;
        assert!(
            p.contains("/themes/quality-of-our-public-realm\"") && p.contains("/outcomes/a-decent-warm-home\"") && p.contains("/areas/E05013163\""),
            "the programme links them"
        );
        let theme = page(&app, &format!("{base}/themes/jobs-and-career-opportunities")).await;
        assert!(
            theme.contains("Horizons Programme: people referred") && theme.contains("id=\"counts\""),
            "on {}: its measures and their statuses counted",
            app.db.name
        );
        assert!(theme.contains("data-status=\"undated\"") && theme.contains("id=\"initiative-horizons-programme\""));
        let outcome = page(&app, &format!("{base}/outcomes/a-decent-warm-home")).await;
        assert!(outcome.contains("id=\"initiative-carpets-for-incoming-tenants\"") && outcome.contains("No measure is recorded as serving it"));
        let ward = page(&app, &format!("{base}/areas/E05013163")).await;
        let here = ward.split("id=\"here\"").nth(1).unwrap().split("id=\"across\"").next().unwrap();
        assert!(here.contains("totteridge-recreation-ground") && !here.contains("castlefield-traffic-calming"), "this ward's own work: {here}");
        assert!(ward.split("id=\"across\"").nth(1).unwrap().contains("horizons-programme"), "and the work across the programme's wards");
        for missing in [format!("{base}/themes/housing"), format!("{base}/outcomes/none"), format!("{base}/areas/E05015960")] {
            let (status, _, _) = get(&app, &missing).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        }
    }
}
