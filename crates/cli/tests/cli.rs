//! The real `placeworks` binary, end to end.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary, on the day the tests run on: PLACEWORKS_TEST_TODAY, when
/// scripts/test sets it for its run far ahead, becomes the binary's own
/// PLACEWORKS_TODAY.
fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_placeworks"));
    c.env("PLACEWORKS_LOG", "warn");
    match std::env::var("PLACEWORKS_TEST_TODAY") {
        Ok(day) if !day.is_empty() => c.env("PLACEWORKS_TODAY", day),
        _ => c.env_remove("PLACEWORKS_TODAY"),
    };
    c
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/riverside")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            copy_dir(&p, &to.join(p.file_name().unwrap()));
        } else {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn validate_accepts_a_good_dataset() {
    let out = bin().arg("validate").arg(example()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("is a valid dataset for Riverside: 2 bodies"));
}

#[test]
fn validate_reports_every_problem_with_file_line_and_field_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&example(), dir.path());
    let f = dir.path().join("bodies/partnership.toml");
    let text = std::fs::read_to_string(&f).unwrap().replace("reports_to = \"riverside-partnership-board\"", "reports_to = \"riverside-partnership-bord\"");
    std::fs::write(&f, text).unwrap();
    let out = bin().arg("validate").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bodies/partnership.toml:"), "{err}");
    assert!(err.contains(": field `reports_to`: unknown body `riverside-partnership-bord` (did you mean `riverside-partnership-board`?)"), "{err}");
}

#[test]
fn load_is_all_or_nothing_and_export_writes_popolo() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    // A broken dataset loads nothing, not even the council.
    let broken = dir.path().join("broken");
    copy_dir(&example(), &broken);
    std::fs::write(broken.join("areas.csv"), "code,name,kind\nE0699990,Riverside,unitary-authority\n").unwrap();
    let out = bin().args(["load"]).arg(&broken).args(["--database", &db]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nothing was loaded"));

    let out = bin().args(["load"]).arg(example()).args(["--database", &db]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Loaded Riverside"));
    let out = bin().args(["load"]).arg(example()).args(["--database", &db]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Replaced Riverside"));

    let out = bin().args(["export", "popolo", "--database", &db]).output().unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = doc["organizations"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Riverside Partnership Board"));
    assert!(!names.contains(&"Bucks Strategic Partnership Board"), "a database with a council in it is not given Buckinghamshire");
}

#[test]
fn an_unreachable_database_fails_at_start_with_one_clear_line() {
    let out = bin().args(["serve", "--addr", "127.0.0.1:0", "--database", "postgres://pw:hunter2@127.0.0.1:9/pw"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("error: cannot connect to the database at postgres://pw:***@127.0.0.1:9/pw"), "{err}");
    assert!(!err.contains("hunter2"));
}

#[test]
fn serve_with_no_database_loads_buckinghamshire_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut child =
        bin().current_dir(dir.path()).env("PLACEWORKS_LOG", "info").args(["serve", "--addr", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let started = Instant::now();
    let mut addr = None;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("serving at http://").nth(1) {
            addr = Some(rest.split('/').next().unwrap().to_owned());
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
    }
    let addr = addr.expect("the serve log names its address");
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    use std::io::{Read, Write};
    write!(stream, "GET /buckinghamshire/bodies/bsp-board HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{}", &response[..response.len().min(200)]);
    assert!(response.contains("Bucks Strategic Partnership Board"));
    assert!(dir.path().join("placeworks.db").exists(), "the default database is placeworks.db in the current folder");
}

#[test]
fn user_add_creates_the_first_administrator_and_explains_mistakes() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    let add = |args: &[&str], password: &str| {
        let mut child = bin()
            .args(["user", "add"])
            .args(args)
            .args(["--database", &db])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(password.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = add(&["Officer@Example.org", "--role", "administrator", "--role", "secretariat:bsp-board"], "a long enough password\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Created the account officer@example.org (administrator, secretariat:bsp-board).");

    let out = add(&["officer@example.org", "--role", "administrator"], "a long enough password\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("an account for officer@example.org already exists"));

    let out = add(&["new@example.org", "--role", "secretariat:bsp-bored"], "a long enough password\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Buckinghamshire has no body `bsp-bored`"), "{}", String::from_utf8_lossy(&out.stderr));

    let out = add(&["new@example.org", "--role", "administrator"], "short\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("12 characters or more"));

    let out = add(&["not-an-email", "--role", "administrator"], "a long enough password\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Enter an email address in the correct format"));

    let out = add(&["new@example.org", "--role", "mayor"], "a long enough password\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("`mayor` is not a role"));

    // A reset link for a forgotten password, and a clear answer for an unknown account.
    let link = |email: &str| bin().args(["user", "reset-link", email, "--base-url", "https://portal.example.org/", "--database", &db]).output().unwrap();
    let out = link("officer@example.org");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let url = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let token = url.strip_prefix("https://portal.example.org/reset-password/").expect("a link on the portal");
    assert_eq!(token.len(), 64, "a 256-bit token");
    assert!(String::from_utf8_lossy(&out.stderr).contains("works once, for 24 hours"));
    let out = link("nobody@example.org");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no account for nobody@example.org"));
}

#[test]
fn backup_and_restore_put_the_register_back_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pw.db");
    let db = format!("sqlite://{}", path.display());
    let run = |args: &[&str]| bin().args(args).args(["--database", &db]).output().unwrap();
    let export = || String::from_utf8(bin().args(["export", "popolo", "--database", &db]).output().unwrap().stdout).unwrap();
    assert!(bin().arg("load").arg(example()).args(["--database", &db]).output().unwrap().status.success());
    let before = export();
    let backup = dir.path().join("backup.db");
    let out = run(&["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("Backed up 1 council to {}.", backup.display()));
    // Change the database, then put the backup back.
    let mut changed = example();
    changed.pop();
    assert!(bin().arg("load").arg(changed.join("../buckinghamshire")).args(["--database", &db]).output().unwrap().status.success());
    assert_ne!(export(), before);
    let out = run(&["restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(Riverside)"));
    assert_eq!(export(), before, "the restored register is the one backed up");

    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "junk").unwrap();
    let out = run(&["restore", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be restored"));
    assert_eq!(export(), before, "a refused restore changes nothing");
}

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path)
}

#[test]
fn needs_ranks_the_wards_of_buckinghamshire_from_the_published_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wards.csv");
    let run = bin()
        .args(["needs", "--level", "ward", "--top", "10"])
        .arg("--domain-ranks")
        .arg(shared("iod2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"))
        .arg("--lookup")
        .arg(shared("buckinghamshire/lsoa-2011-to-ward-2025.csv"))
        .arg("--population")
        .arg(shared("iod2019/File_6_-_IoD2019_Population_Denominators.csv.gz"))
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("32844 areas read") && stderr.contains("Wrote 10 rows"), "progress is shown: {stderr}");
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("area_code,area_name,score,rank,main_drivers,income_points"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 10);
    assert!(rows[0].starts_with("E05015942,Castlefield & Oakridge,"), "the most deprived ward: {}", rows[0]);
    assert!(rows.iter().all(|r| r.contains("points; +")), "each with its drivers");

    // Every ward, with the summary measures.
    let all = bin()
        .args(["needs", "--level", "ward"])
        .arg("--domain-ranks")
        .arg(shared("iod2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"))
        .arg("--lookup")
        .arg(shared("buckinghamshire/lsoa-2011-to-ward-2025.csv"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&all.stdout);
    assert_eq!(text.lines().count(), 50, "a header and the 49 wards of 2025");
    assert!(text.lines().next().unwrap().contains("extent,local_concentration,share_most_deprived_10,share_most_deprived_20"));
}

#[test]
fn needs_names_each_bad_row_and_refuses_bad_weights_and_unknown_columns() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ranks.csv");
    std::fs::write(&file, "\u{feff}area_code,income_rank,employment_rank,education_rank,health_rank,crime_rank,barriers_rank,living_env_rank\nE01000001,1,2,3,4,5,6,7\nE01000002,\"1,296\",*,3,4,5,6,7\nE01000003,1,2,3,4,5,6,many\n").unwrap();
    let run = |args: &[&str]| bin().arg("needs").arg("--domain-ranks").arg(&file).args(args).output().unwrap();
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ranks.csv:3: field `employment_rank`: the rank is missing (suppressed (*))"), "{err}");
    assert!(err.contains("ranks.csv:4: field `living_env_rank`: `many` is not a number"), "{err}");
    assert!(err.contains("Nothing was written"));
    assert!(out.stdout.is_empty(), "no partial output");

    std::fs::write(&file, "area_code,income_rank,employment_rank,education_rank,health_rank,crime_rank,barriers_rank,living_env_rank\nE01000001,1,2,3,4,5,6,7\nE01000002,2,1,3,4,5,6,7\n").unwrap();
    let out = run(&["--weights", "income=60,employment=30"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--weights: the weights add up to 90, not 100"));
    let out = run(&["--weights", "income=60,employment=40", "--national-count", "10"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first = String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().to_owned();
    assert!(
        first.starts_with("E01000001,,") && first.ends_with(",1,5"),
        "income weighs more, so the first is most deprived (rank 1, decile 5 of two areas): {first}"
    );
    let out = run(&["--weights", "income=40,employment=60", "--national-count", "10"]);
    assert!(String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().starts_with("E01000002,,"), "and the other way round");
    let out = run(&["--level", "ward"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--level ward needs --lookup FILE"));

    std::fs::write(&file, "code,score\nE01000001,3\n").unwrap();
    let err = String::from_utf8_lossy(&run(&[]).stderr).into_owned();
    assert!(err.contains("cannot be recognised as domain ranks; expected an area code column") && err.contains("Found: code, score"), "{err}");
}

/// The register's values and audit trail, read straight from the store.
fn stored(db: &str) -> (usize, usize) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = placeworks_store::Store::connect(db).await.unwrap();
        let reg = store.register("buckinghamshire").await.unwrap().unwrap();
        (reg.values.len(), store.audit_trail("buckinghamshire").await.unwrap().len())
    })
}

#[test]
fn import_indicators_reads_the_published_files_and_refuses_a_bad_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    let import = |file: &Path| bin().args(["import", "indicators"]).arg(file).args(["--database", &db]).output().unwrap();
    let out = import(&shared("iod2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Imported 2871 values of 9 indicators into Buckinghamshire"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("read as File 2 of the English Indices of Deprivation 2019")
            && err.contains("32525 rows are for areas outside Buckinghamshire")
            && err.contains("written 2871 of 2871 values"),
        "{err}"
    );
    let (values, audit) = stored(&db);
    assert_eq!((values, audit), (319 * 10 + 8, 1), "the built-in values were replaced, not doubled, and the import recorded");

    let long = dir.path().join("long.csv");
    std::fs::write(&long, "\u{feff}area_code,indicator,period,value\nE05015927,population-2015,2015,\"1,204\"\nE05999999,population-2015,2015,3\nE05015928,populatio-2015,2015,x\nE05015929,population-2015,2015,*\n").unwrap();
    let out = import(&long);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "long.csv:3: field `area_code`: `E05999999` is not an area of Buckinghamshire",
        "long.csv:4: field `value`: `x` is not a number",
        "long.csv:4: field `indicator`: `populatio-2015` is not an indicator of Buckinghamshire (did you mean `population-2015`?)",
        "Nothing was imported",
    ] {
        assert!(err.contains(expected), "{expected} in {err}");
    }
    assert_eq!(stored(&db), (values, 1), "nothing half-written");

    std::fs::write(&long, "area_code,indicator,period,value\nE05015927,population-2015,2015,\"1,204\"\nE05015929,population-2015,2015,*\n").unwrap();
    let out = import(&long);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stored(&db), (values + 2, 2), "a suppressed value is kept as missing, with its reason");

    std::fs::write(&long, "ward,thing\nE05015927,3\n").unwrap();
    let err = String::from_utf8_lossy(&import(&long).stderr).into_owned();
    assert!(
        err.contains("the columns cannot be recognised")
            && err.contains("`area_code`, `indicator`, `period` and `value`")
            && err.contains("Found: ward, thing"),
        "{err}"
    );
}

#[test]
fn composite_standardises_turns_and_weights_any_indicators_and_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("values.csv");
    std::fs::write(&file, "area_code,indicator,period,value\nA,unemployment,2024,4.1\nB,unemployment,2024,1.2\nC,unemployment,2024,2.0\nD,unemployment,2024,3.3\nA,attainment,2024,41\nB,attainment,2024,70\nC,attainment,2024,*\nD,attainment,2024,55\n").unwrap();
    let run = |args: &[&str]| bin().arg("composite").arg("--values").arg(&file).args(args).output().unwrap();
    let out = run(&["--weights", "unemployment=60,attainment=40", "--higher-is-better", "attainment"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let order: Vec<&str> = text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(order, ["A", "D", "C", "B"], "most unemployment and least attainment first: {text}");
    assert!(text.contains(",3,attainment"), "C is scored without its suppressed attainment, and says so");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing: C attainment: suppressed (*)"));
    let out = run(&["--weights", "unemployment=60,attainment=30"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("the weights add up to 90, not 100"));
    let out = run(&["--weights", "unemployment=50,income=50"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no values of `income`; it has attainment, unemployment"));
}

#[test]
fn check_reports_areas_short_of_their_baseline_and_exits_1_until_they_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    let data = dir.path().join("riverside");
    copy_dir(&example(), &data);
    assert!(bin().arg("load").arg(&data).args(["--database", &db]).status().unwrap().success());
    let out = bin().args(["check", "--database", &db]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Riverside: 1 area short of their baseline"), "{text}");
    assert!(text.contains("Hilltop (E05999902): lacks one extended school (has 0) [baseline ward-services; see /riverside/services]"), "{text}");
    // The primary school becomes an extended school: no breach left.
    let services = data.join("services.csv");
    std::fs::write(
        &services,
        std::fs::read_to_string(&services)
            .unwrap()
            .replace("hilltop-primary,Hilltop Primary School,school,E05999902,no,", "hilltop-primary,Hilltop Primary School,school,E05999902,yes,"),
    )
    .unwrap();
    assert!(bin().arg("load").arg(&data).args(["--database", &db]).status().unwrap().success());
    let out = bin().args(["check", "--database", &db]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("Riverside: no areas short of their baseline (2 areas checked against 1 baseline)"), "{text}");
    // The board's review fell due in April 2025 and is not recorded: still a breach.
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("Riverside Partnership Board (riverside-partnership-board): The review was due by April 2025 and none is recorded [rule review-overdue"),
        "{text}"
    );
    // Put the review off and fill every member seat: nothing left to report.
    let council = data.join("bodies/partnership.toml");
    std::fs::write(&council, std::fs::read_to_string(&council).unwrap().replace("review_due = \"2025-04\"", "review_due = \"2099-04\"")).unwrap();
    fill_member_seats(&data);
    assert!(bin().arg("load").arg(&data).args(["--database", &db]).status().unwrap().success());
    let out = bin().args(["check", "--database", &db]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Riverside: no governance breaches"));
}

#[test]
fn a_load_never_replaces_another_council_nor_discards_portal_changes_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    assert!(bin().arg("load").arg(example()).args(["--database", &db]).status().unwrap().success());
    // A copy of the folder made into another council's, but with the slug left as it was.
    let wiltshire = dir.path().join("wiltshire");
    copy_dir(&example(), &wiltshire);
    let toml = wiltshire.join("council.toml");
    std::fs::write(&toml, std::fs::read_to_string(&toml).unwrap().replace("name = \"Riverside\"", "name = \"Wiltshire\"")).unwrap();
    let out = bin().arg("load").arg(&wiltshire).args(["--database", &db]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("The database holds Riverside") && err.contains("is Wiltshire"), "both councils are named: {err}");
    assert!(err.contains("--replace riverside") && err.contains("Nothing was loaded"), "{err}");
    let popolo = || String::from_utf8(bin().args(["export", "popolo", "--database", &db]).output().unwrap().stdout).unwrap();
    assert!(popolo().contains("\"Riverside\"") && !popolo().contains("Wiltshire"), "Riverside is untouched");
    let out = bin().arg("load").arg(&wiltshire).args(["--database", &db, "--replace", "elsewhere"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not name this folder's council"));

    // A change made in the portal since the load: loading again would discard it.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let store = placeworks_store::Store::connect(&db).await.unwrap();
        let mut body = store.register("riverside").await.unwrap().unwrap().bodies.remove(0);
        body.purpose = Some("Changed in the portal".into());
        let entry = placeworks_store::AuditEntry {
            id: placeworks_store::AuditEntry::new_id(),
            council: "riverside".into(),
            at: 0,
            actor_id: "a".into(),
            actor_name: "Sally Secretariat".into(),
            action: "edit-body".into(),
            record_kind: "body".into(),
            record_id: body.slug.to_string(),
            body: body.slug.to_string(),
            before: None,
            after: None,
        };
        store.apply("riverside", &[placeworks_domain::change::Write::PutBody(Box::new(body))], &[entry]).await.unwrap();
    });
    let out = bin().arg("load").arg(example()).args(["--database", &db]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("1 change made since it was last loaded") && err.contains("Sally Secretariat: edit body"), "{err}");
    assert!(popolo().contains("Changed in the portal"), "the change is kept");
    let out = bin().arg("load").arg(example()).args(["--database", &db, "--force"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Replaced Riverside (2 bodies"), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!popolo().contains("Changed in the portal"));
    // Told to, the other council's folder replaces it; the audit trail keeps every load.
    let out = bin().arg("load").arg(&wiltshire).args(["--database", &db, "--replace", "riverside"]).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("with Wiltshire"), "{}", String::from_utf8_lossy(&out.stderr));
    let loads = rt.block_on(async {
        let store = placeworks_store::Store::connect(&db).await.unwrap();
        store.audit_trail("riverside").await.unwrap().into_iter().filter(|e| e.record_kind == "council").map(|e| e.action).collect::<Vec<_>>()
    });
    assert_eq!(loads, ["load-dataset", "replace-dataset", "replace-dataset"]);
}

/// The postcodes a council's lookup holds, read straight from the store.
fn postcodes_held(db: &str) -> i64 {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = placeworks_store::Store::connect(db).await.unwrap();
        store.postcode_count("buckinghamshire").await.unwrap()
    })
}

/// A plain HTTP GET: the response's head (status line and headers).
fn http_head(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_once("\r\n\r\n").map_or(response.clone(), |(head, _)| head.to_owned())
}

#[test]
fn import_postcodes_reads_the_ons_directory_and_the_portal_finds_a_ward_by_postcode() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    let import = |file: &Path| bin().args(["import", "postcodes"]).arg(file).args(["--database", &db]).output().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/examples/postcodes/onspd-sample.csv");
    let out = import(&sample);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Imported 3 postcodes into Buckinghamshire"), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("5 rows read: 3 postcodes in Buckinghamshire's wards (from the `osward` column); 1 elsewhere and 1 terminated left out"), "{err}");
    assert_eq!(postcodes_held(&db), 3);

    // A bad file changes nothing, and says where it is wrong.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "pcds,osward\nHP12 4AA,E05015942\nHP12-4AB!,E05015942\n").unwrap();
    let out = import(&bad);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv:3: field `pcds`: `HP12-4AB!` is not a postcode") && err.contains("Nothing was imported"), "{err}");
    std::fs::write(&bad, "postcode,ward\nHP12 4AA,E05015942\n").unwrap();
    let err = String::from_utf8_lossy(&import(&bad).stderr).into_owned();
    assert!(err.contains("bad.csv:1: field `pcds`: there is no `pcds` column") && err.contains("the header has `postcode`, `ward`"), "{err}");
    assert_eq!(postcodes_held(&db), 3, "the lookup is as it was");

    // The real binary finds the ward by postcode, written any way.
    let (server, addr) = start_serve(dir.path(), &["--database", &db]);
    for asked in ["hp124zz", "HP12%204ZY", "+HP12+4ZZ+"] {
        let head = http_head(&addr, &format!("/buckinghamshire/find?q={asked}"));
        assert!(head.starts_with("HTTP/1.1 303") && head.to_ascii_lowercase().contains("location: /buckinghamshire/areas/e05015942"), "{asked}: {head}");
    }
    let (status, body) = http_get(&addr, "/buckinghamshire/find?q=HP12+4ZX");
    assert!(status.contains("200") && body.contains("HP12 4ZX is not a postcode in Buckinghamshire"), "a terminated postcode is not found: {status}");
    stop(server);
}

/// Starts `placeworks serve` on a free port; returns it and its address.
fn start_serve(dir: &Path, args: &[&str]) -> (std::process::Child, String) {
    let mut child =
        bin().current_dir(dir).env("PLACEWORKS_LOG", "info").args(["serve", "--addr", "127.0.0.1:0"]).args(args).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let started = Instant::now();
    let addr = loop {
        let line = lines.next().expect("serve said where it serves").unwrap();
        if let Some(rest) = line.split("serving at http://").nth(1) {
            break rest.split('/').next().unwrap().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(60), "serve did not start");
    };
    // Keep reading its log, so that it never blocks writing to a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// A plain HTTP GET: the status line and the body.
fn http_get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.lines().next().unwrap_or_default().to_owned(), body.to_owned())
}

/// Stops a server the way systemd does, with SIGTERM, and waits for it.
fn stop(mut child: std::process::Child) {
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "serve stops cleanly on SIGTERM: {status}");
}

#[test]
fn readyz_proves_writes_and_restore_refuses_while_a_server_holds_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pw.db");
    let db = format!("sqlite://{}", path.display());
    assert!(bin().arg("load").arg(example()).args(["--database", &db]).status().unwrap().success());
    let backup = dir.path().join("backup.db");
    assert!(bin().args(["backup", backup.to_str().unwrap(), "--database", &db]).status().unwrap().success());
    let (server, addr) = start_serve(dir.path(), &["--database", &db]);
    let (status, body) = http_get(&addr, "/readyz");
    assert!(status.contains("200") && body == "ready\n", "{status} {body}");
    let out = bin().args(["restore", backup.to_str().unwrap(), "--database", &db]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("a Placeworks server is using") && err.contains("stop it first"), "{err}");
    assert!(http_get(&addr, "/riverside").0.contains("200"), "the server carries on");
    stop(server);
    let out = bin().args(["restore", backup.to_str().unwrap(), "--database", &db]).output().unwrap();
    assert!(out.status.success(), "once the server has stopped: {}", String::from_utf8_lossy(&out.stderr));
}

/// An HTTP request with headers and a body: the status line, the Set-Cookie
/// values, and the body.
fn http(addr: &str, method: &str, path: &str, cookie: &str, form: &str) -> (String, Vec<String>, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let cookies = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect();
    (head.lines().next().unwrap_or_default().to_owned(), cookies, body.to_owned())
}

fn value_after<'a>(html: &'a str, marker: &str) -> &'a str {
    html.split(marker).nth(1).unwrap().split('"').next().unwrap()
}

#[test]
fn two_servers_on_one_postgresql_behave_as_one() {
    use std::io::Write;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let Some(pg) = rt.block_on(placeworks_store::testing::postgres()) else { return };
    let db = pg.url.clone();
    assert!(bin().arg("load").arg(example()).args(["--database", &db]).status().unwrap().success());
    let mut add = bin()
        .args(["user", "add", "admin@example.org", "--role", "administrator", "--database", &db])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "correct horse battery staple").unwrap();
    assert!(add.wait().unwrap().success());
    let dir = tempfile::tempdir().unwrap();
    let (first, one) = start_serve(dir.path(), &["--database", &db]);
    let (second, two) = start_serve(dir.path(), &["--database", &db]);
    let body = "/riverside/bodies/riverside-partnership-board";

    // An officer signs in on the first server and changes the board's purpose there.
    let (_, cookies, page) = http(&one, "GET", "/sign-in", "", "");
    let csrf = value_after(&page, "name=\"csrf\" value=\"").to_owned();
    let form = format!("email=admin%40example.org&password=correct+horse+battery+staple&csrf={csrf}");
    let (status, cookies, _) = http(&one, "POST", "/sign-in", &cookies.join("; "), &form);
    assert!(status.contains("303"), "{status}");
    let session = cookies.into_iter().find(|c| c.starts_with("pw_session=")).expect("a session");
    let (_, _, edit) = http(&one, "GET", &format!("{body}/edit"), &session, "");
    let (csrf, version) = (value_after(&edit, "name=\"csrf\" value=\""), value_after(&edit, "name=\"version\" value=\""));
    let form = format!("csrf={csrf}&version={version}&name=Riverside+Partnership+Board&kind=board&purpose=Written+through+the+first+server");
    let (status, _, page) = http(&one, "POST", &format!("{body}/edit"), &session, &form);
    assert!(status.contains("303"), "{status} {page}");
    let written = Instant::now();
    // The second server shows it within a second.
    loop {
        if http(&two, "GET", body, "", "").2.contains("Written through the first server") {
            break;
        }
        assert!(written.elapsed() < Duration::from_secs(1), "the second server did not show the write within a second");
        std::thread::sleep(Duration::from_millis(20));
    }

    // A load from the command line reaches both.
    let changed = dir.path().join("riverside");
    copy_dir(&example(), &changed);
    let toml = changed.join("council.toml");
    std::fs::write(&toml, std::fs::read_to_string(&toml).unwrap().replace("used in tests and in docs/DATASET.md", "loaded again from the command line"))
        .unwrap();
    assert!(bin().arg("load").arg(&changed).args(["--database", &db, "--force"]).status().unwrap().success());
    let loaded = Instant::now();
    for addr in [&one, &two] {
        while !http(addr, "GET", "/riverside", "", "").2.contains("loaded again from the command line") {
            assert!(loaded.elapsed() < Duration::from_secs(1), "{addr} did not show the load within a second");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    stop(first);
    stop(second);
}

/// Gives every member seat of the dataset in `data` a holder.
fn fill_member_seats(data: &Path) {
    let reg = placeworks_domain::dataset::read(&placeworks_domain::dataset::DatasetFiles::from_dir(data).unwrap()).unwrap();
    let mut rows = String::from("slug,body,seat,person,start_date,end_date,substitutes\n");
    for s in reg.seats.iter().filter(|s| s.role.decides()) {
        rows.push_str(&format!("m-{}-{},{},{},sam-patel,2024-01,,\n", s.body, s.slug, s.body, s.slug));
    }
    std::fs::write(data.join("memberships.csv"), rows).unwrap();
}

/// Riverside's example folder, copied and put right so `check` finds nothing:
/// every area has its extended school, the board's review is not yet due and
/// every member seat is filled.
fn clean_riverside(dir: &Path) -> PathBuf {
    let data = dir.join("riverside");
    copy_dir(&example(), &data);
    let services = data.join("services.csv");
    let text = std::fs::read_to_string(&services).unwrap();
    std::fs::write(
        &services,
        text.replace("hilltop-primary,Hilltop Primary School,school,E05999902,no,", "hilltop-primary,Hilltop Primary School,school,E05999902,yes,"),
    )
    .unwrap();
    let board = data.join("bodies/partnership.toml");
    std::fs::write(&board, std::fs::read_to_string(&board).unwrap().replace("review_due = \"2025-04\"", "review_due = \"2099-04\"")).unwrap();
    fill_member_seats(&data);
    data
}

#[test]
fn check_and_the_exports_take_a_council_and_each_council_exits_by_its_own_breaches() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    let riverside = clean_riverside(dir.path());
    let bucks = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/buckinghamshire");
    for folder in [&riverside, &bucks] {
        let out = bin().arg("load").arg(folder).args(["--database", &db]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let check = |args: &[&str]| bin().arg("check").args(args).args(["--database", &db]).output().unwrap();
    let all = check(&[]);
    let text = String::from_utf8_lossy(&all.stdout).into_owned();
    assert!(text.contains("Riverside: no governance breaches") && text.contains("Buckinghamshire"), "{text}");
    assert_eq!(all.status.code(), Some(1), "Buckinghamshire has breaches, so every council together fails: {text}");
    let only = check(&["--council", "riverside"]);
    let text = String::from_utf8_lossy(&only.stdout).into_owned();
    assert!(only.status.success(), "Riverside alone has none: {text}");
    assert!(!text.contains("Buckinghamshire"), "only Riverside is checked: {text}");
    let bucks_only = check(&["--council", "buckinghamshire"]);
    assert_eq!(bucks_only.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&bucks_only.stdout).contains("Riverside"));
    let nowhere = check(&["--council", "atlantis"]);
    assert!(!nowhere.status.success());
    let err = String::from_utf8_lossy(&nowhere.stderr);
    assert!(err.contains("no council `atlantis`") && err.contains("buckinghamshire") && err.contains("riverside"), "the councils held are named: {err}");

    let popolo = bin().args(["export", "popolo", "--council", "riverside", "--database", &db]).output().unwrap();
    assert!(popolo.status.success(), "{}", String::from_utf8_lossy(&popolo.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&popolo.stdout).unwrap();
    let names: Vec<&str> = doc["organizations"].as_array().unwrap().iter().filter_map(|o| o["name"].as_str()).collect();
    assert!(names.iter().any(|n| n.contains("Riverside")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("Buckinghamshire") || n.contains("Bucks")), "only Riverside's organisations: {names:?}");
    let whole = bin().args(["export", "popolo", "--database", &db]).output().unwrap();
    assert!(String::from_utf8_lossy(&whole.stdout).contains("Buckinghamshire"), "without --council, every council");
    let ical = bin().args(["export", "ical", "--council", "atlantis", "--database", &db]).output().unwrap();
    assert!(!ical.status.success() && String::from_utf8_lossy(&ical.stderr).contains("no council `atlantis`"));
    // 360Giving takes --council like the others, and without it the built-in council among several.
    let giving = bin().args(["export", "360giving", "--database", &db]).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&giving.stdout), String::from_utf8_lossy(&giving.stderr));
    assert!(said.contains("Buckinghamshire") && !said.contains("Riverside"), "the built-in council's grants, or its word that it has none: {said}");
    let giving = bin().args(["export", "360giving", "--council", "atlantis", "--database", &db]).output().unwrap();
    assert!(!giving.status.success() && String::from_utf8_lossy(&giving.stderr).contains("no council `atlantis`"));
}

#[test]
fn with_several_councils_and_not_the_built_in_one_a_command_asks_which() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("pw.db").display());
    let riverside = clean_riverside(dir.path());
    let lakeside = dir.path().join("lakeside");
    copy_dir(&riverside, &lakeside);
    let toml = lakeside.join("council.toml");
    let text =
        std::fs::read_to_string(&toml).unwrap().replace("slug = \"riverside\"", "slug = \"lakeside\"").replace("name = \"Riverside\"", "name = \"Lakeside\"");
    std::fs::write(&toml, text).unwrap();
    for folder in [&riverside, &lakeside] {
        let out = bin().arg("load").arg(folder).args(["--database", &db]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    for args in [&["export", "ical"][..], &["export", "360giving"], &["export", "dataset", "out"]] {
        let out = bin().args(args).args(["--database", &db]).current_dir(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} must not pick a council: {err}");
        assert!(err.contains("lakeside, riverside") && err.contains("--council"), "{args:?}: {err}");
    }
    let out = bin().args(["export", "ical", "--council", "lakeside", "--database", &db]).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("BEGIN:VCALENDAR"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A Popolo document with each list in the order of its ids: the same
/// register, whatever order its records were made in.
fn normalised_popolo(text: &str) -> serde_json::Value {
    let mut doc: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("not Popolo JSON ({e}): {text}"));
    if let Some(map) = doc.as_object_mut() {
        for list in map.values_mut().filter_map(serde_json::Value::as_array_mut) {
            list.sort_by_key(|x| x["id"].as_str().unwrap_or_default().to_owned());
        }
    }
    doc
}

#[test]
fn the_register_exported_as_a_dataset_loads_into_a_fresh_database_as_the_same_register() {
    use placeworks_domain::permissions::{Actor, Grant};
    use placeworks_domain::register::*;
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let engines = rt.block_on(async {
        let mut pairs = vec![(placeworks_store::testing::sqlite().await, placeworks_store::testing::sqlite().await)];
        if let (Some(a), Some(b)) = (placeworks_store::testing::postgres().await, placeworks_store::testing::postgres().await) {
            pairs.push((a, b));
        }
        pairs
    });
    assert!(engines.len() == 2 || std::env::var("PLACEWORKS_SKIP_POSTGRES").as_deref() == Ok("1"), "both engines");
    for (from, to) in &engines {
        // The built-in register, with changes made in the portal since: a new
        // body with its seats and chair, a councillor recorded, a body ended.
        rt.block_on(async {
            let reg = placeworks_domain::dataset::read(&placeworks_builtin::buckinghamshire()).unwrap();
            from.store.replace_council(&reg, "1").await.unwrap();
            let keeper = Actor::with([Grant::Registrar]);
            let new_body = NewBodyForm {
                details: BodyForm {
                    name: "Castlefield & Oakridge Ward Partnership".into(),
                    kind: "ward-partnership".into(),
                    chair_kind: "appointed".into(),
                    ..Default::default()
                },
                areas: "E05015942".into(),
                seats: "Member, Thames Valley Police\nMember, the voluntary sector".into(),
                chair_person: "Pat Chair".into(),
                reports_to: "opportunity-bucks-programme-board".into(),
                ..Default::default()
            };
            let councillor = PostForm {
                title: "Councillor".into(),
                of: "organisation:buckinghamshire-council".into(),
                area: "E05015942".into(),
                holder: "Casey Councillor".into(),
                party: "Independent".into(),
                start_date: "2025-05-02".into(),
                ..Default::default()
            };
            let end = EndBodyForm { ended: "2026-11-30".into(), replaced_by: "growth-board".into() };
            for plan in [
                Box::new(|ix: &Index| plan_create_body(ix, &keeper, &new_body)) as Box<dyn Fn(&Index) -> _>,
                Box::new(|ix: &Index| plan_post(ix, &keeper, Some("councillor-castlefield-and-oakridge-1"), &councillor)),
                Box::new(|ix: &Index| plan_end_body(ix, &keeper, "town-and-parish-focus-group", &end)),
            ] {
                let mut tx = from.store.begin_write("buckinghamshire").await.unwrap();
                let ix = Index::new(tx.register().await.unwrap());
                let change = plan(&ix).unwrap();
                tx.apply(&change.writes, &[]).await.unwrap();
                tx.commit(change.recorded.action).await.unwrap();
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("buckinghamshire");
        let out = bin().args(["export", "dataset", "--council", "buckinghamshire"]).arg(&folder).args(["--database", &from.url]).output().unwrap();
        assert!(out.status.success(), "on {}: {}", from.name, String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("Wrote Buckinghamshire's register to"));
        let out = bin().arg("load").arg(&folder).args(["--database", &to.url]).output().unwrap();
        assert!(out.status.success(), "the export loads into a fresh database on {}: {}", to.name, String::from_utf8_lossy(&out.stderr));
        let popolo =
            |db: &str| String::from_utf8(bin().args(["export", "popolo", "--council", "buckinghamshire", "--database", db]).output().unwrap().stdout).unwrap();
        let (before, after) = (popolo(&from.url), popolo(&to.url));
        assert!(before.contains("Castlefield & Oakridge Ward Partnership") && before.contains("Casey Councillor"), "the portal's changes are in the register");
        assert_eq!(normalised_popolo(&before), normalised_popolo(&after), "the same register, on {}", from.name);
        // A folder that holds files is never written into.
        let out = bin().args(["export", "dataset"]).arg(&folder).args(["--database", &from.url]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not an empty folder"));
    }
}
