//! `placeworks`: serve the portal, validate and load datasets, export open data.

mod needs;

/// mimalloc rather than the system allocator: under load the server spent a
/// third of its time in glibc's malloc and free (bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use placeworks_domain::dataset::{self, DatasetFiles};
use placeworks_kernel::Clock;
use placeworks_store::Store;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "placeworks", version, about = "Placeworks: open software for place-based partnership working")]
struct Cli {
    /// Run as if today were this day (2031-06-01) or moment (2031-06-01T09:00:00Z),
    /// the clock running on from there: for demonstrations and tests.
    #[arg(long, global = true, env = "PLACEWORKS_TODAY", value_parser = Clock::parse_start)]
    today: Option<Clock>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal and API. Loads the built-in Buckinghamshire dataset into an empty database.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "PLACEWORKS_ADDR")]
        addr: SocketAddr,
        /// Database URL: sqlite://FILE or postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
        /// Folder with the compiled stylesheet (made by scripts/start).
        #[arg(long, default_value = "web/dist", env = "PLACEWORKS_ASSETS")]
        assets: PathBuf,
        /// Where uploaded meeting papers are kept (outside the database): a
        /// folder, or s3://BUCKET/PREFIX for a bucket that several servers
        /// share (endpoint, region and keys from AWS_ENDPOINT_URL,
        /// AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
        #[arg(long, default_value = "papers", env = "PLACEWORKS_PAPERS")]
        papers: String,
        /// The site's public address, as people reach it
        /// (https://partnerships.example.gov.uk): links in feeds, the sitemap
        /// and password reset links start with it, never with the Host a
        /// request names; HSTS is sent when it is HTTPS. Default: http:// and
        /// the address listened on.
        #[arg(long, env = "PLACEWORKS_BASE_URL")]
        base_url: Option<String>,
        /// A reverse proxy in front of the server (its IP address; repeat for
        /// several): only a request from one of these is taken to come from
        /// the client its X-Forwarded-For names, for the sign-in limits.
        #[arg(long = "trusted-proxy", env = "PLACEWORKS_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Seconds a client may take to send a request's headers.
        #[arg(long, default_value_t = 10)]
        header_timeout: u64,
        /// Seconds a client may pause while sending a request's body.
        #[arg(long, default_value_t = 30)]
        body_timeout: u64,
        /// The council the home page shows (its slug). By default the home
        /// page shows the only council held, or lists them when there are more.
        #[arg(long, env = "PLACEWORKS_DEFAULT_COUNCIL")]
        default_council: Option<String>,
    },
    /// Take away the papers that no meeting names (left by an upload whose
    /// record was not saved, or by an item since removed). `serve` does this
    /// every quarter of an hour by itself.
    SweepPapers {
        #[arg(long, default_value = "papers", env = "PLACEWORKS_PAPERS")]
        papers: String,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
        /// Leave papers kept less than this many minutes ago: their record may be being saved.
        #[arg(long, default_value_t = 60)]
        grace_minutes: u64,
    },
    /// Check a dataset folder and report every problem.
    Validate {
        /// The dataset folder (the one holding council.toml).
        path: PathBuf,
    },
    /// Validate, then load (or replace) a council's dataset in one transaction.
    Load {
        /// The dataset folder (the one holding council.toml).
        path: PathBuf,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
        /// Replace the council held under this slug even though the folder
        /// gives it another name or area (it must be the folder's slug).
        #[arg(long, value_name = "SLUG")]
        replace: Option<String>,
        /// Discard the changes made in the portal since the council was last loaded.
        #[arg(long)]
        force: bool,
    },
    /// Write open data to standard output.
    Export {
        #[command(subcommand)]
        format: ExportFormat,
    },
    /// Write the API's OpenAPI 3.1 document to standard output.
    Openapi,
    /// Write a consistent copy of a live SQLite database to FILE, while it serves.
    Backup {
        /// The new backup file (it must not exist yet).
        file: PathBuf,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// Check a backup, then put it in place of the database. Stop the server first.
    Restore {
        /// The backup file made by `placeworks backup`.
        file: PathBuf,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// The needs assessment: score and rank areas from their domain ranks by
    /// the published method of the English Indices of Deprivation, with the
    /// published weights or your own, and pick the areas in most need.
    Needs {
        /// Domain ranks of small areas: File 2 of the Indices of Deprivation
        /// 2019 as published (CSV, or .csv.gz), or the same under plain names.
        #[arg(long)]
        domain_ranks: PathBuf,
        /// Your own weights, in per cent, adding up to 100, such as
        /// income=30,employment=30,education=10,health=10,crime=10,barriers=5,living-environment=5.
        #[arg(long)]
        weights: Option<String>,
        /// Results for each LSOA, or for each ward (needs --lookup).
        #[arg(long, value_enum, default_value = "lsoa")]
        level: needs::Level,
        /// Each LSOA's ward (LSOA11CD, WD25CD, WD25NM). Also limits LSOA results to the LSOAs it names.
        #[arg(long)]
        lookup: Option<PathBuf>,
        /// Population by LSOA (File 6 of the 2019 indices), to weight ward averages.
        #[arg(long)]
        population: Option<PathBuf>,
        /// How many areas the domain ranks were ranked among (default: the
        /// rows given when they are all of them, else 32,844 for England).
        #[arg(long)]
        national_count: Option<u32>,
        /// Only the N areas in most need, each with the domains that drive it.
        #[arg(long)]
        top: Option<usize>,
        /// Write the CSV here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// A composite of any indicators (long format: area_code, indicator,
    /// period, value): each standardised, turned so that higher means more
    /// need, weighted and ranked. Missing values are reported; an area
    /// missing half the weight or more is left out.
    Composite {
        /// The values, in the long format.
        #[arg(long)]
        values: PathBuf,
        /// Weights in per cent adding up to 100, such as unemployment=50,attainment=50.
        #[arg(long)]
        weights: String,
        /// Indicators where a higher value means less need (repeat, or separate with commas).
        #[arg(long, value_delimiter = ',')]
        higher_is_better: Vec<String>,
        /// Only values of this period.
        #[arg(long)]
        period: Option<String>,
        /// Write the CSV here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check every council against its own rules and report each breach:
    /// agendas late, meetings missing from a cadence, bodies not meeting,
    /// decisions without notice or ratification, ratifications outstanding,
    /// minutes not approved, quorum, chair rotation, substitutes, seats
    /// without a holder, governance reviews overdue, and areas short of
    /// their baseline of services. Exits with 1 when there is a breach, for
    /// use in scripts: with --council, only that council's breaches count.
    Check {
        /// Only this council (its slug; repeat for several). Default: every council held.
        #[arg(long)]
        council: Vec<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
        /// Days a constituent body has to answer a request to ratify.
        #[arg(long, default_value_t = 42)]
        ratification_days: i64,
    },
    /// Import data into a council's register.
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. Asks for its password (at least 12 characters), or
    /// reads it from standard input when that is not a terminal.
    Add {
        /// The account's email address: what its holder signs in with.
        email: String,
        /// A role: administrator, register-keeper, secretariat:BODY,
        /// member:BODY, chair:BODY, analyst, programme-manager[:PROGRAMME] or
        /// initiative-lead:INITIATIVE. Repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The holder's name, as shown in the audit trail.
        #[arg(long)]
        name: Option<String>,
        /// The council whose bodies the scoped roles name (default: the only
        /// council, or buckinghamshire).
        #[arg(long)]
        council: Option<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// Make a one-time password reset link for an account. It works once,
    /// for a day; making a new one stops the old one working.
    ResetLink {
        /// The account's email address.
        email: String,
        /// The portal's address, to put in front of the link.
        #[arg(long, default_value = "http://localhost:8080", env = "PLACEWORKS_BASE_URL")]
        base_url: String,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
}

#[derive(Subcommand)]
enum ImportKind {
    /// Indicator values from CSV: the English Indices of Deprivation 2019 as
    /// published (File 1, 2 or 6; .csv or .csv.gz), or the long format
    /// `area_code, indicator, period, value` for indicators declared in the
    /// council's indicators.csv. All or nothing.
    Indicators {
        /// The CSV file.
        file: PathBuf,
        /// The council to import into (default: the only council, or buckinghamshire).
        #[arg(long)]
        council: Option<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// Postcodes and their wards, so residents can find their ward by
    /// postcode: the ONS Postcode Directory (columns `pcds` and `osward`) or
    /// the National Statistics Postcode Lookup (`pcds` and `wdYYcd`), .csv or
    /// .csv.gz. Keeps the live postcodes of the council's wards and replaces
    /// its postcode lookup, all or nothing.
    Postcodes {
        /// The CSV file.
        file: PathBuf,
        /// The council to import into (default: the only council, or buckinghamshire).
        #[arg(long)]
        council: Option<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
}

#[derive(Subcommand)]
enum ExportFormat {
    /// The public register as one Popolo JSON document: every council's, or one's.
    Popolo {
        /// Only this council (its slug).
        #[arg(long)]
        council: Option<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// A council's grants as a 360Giving data package (JSON): allocations to
    /// other organisations' initiatives and approved bids.
    #[command(name = "360giving")]
    Giving {
        /// The council (default: the only council, or buckinghamshire).
        #[arg(long)]
        council: Option<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// A council's register as it stands, as a dataset folder in the format of
    /// docs/DATASET.md (`placeworks load` reads it back). It includes
    /// confidential records, marked `exempt`: keep it as you keep a backup.
    Dataset {
        /// The council (default: the only council, or buckinghamshire).
        #[arg(long)]
        council: Option<String>,
        /// An empty or new folder to write the dataset into.
        dir: PathBuf,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
    /// The next year of planned meetings as iCalendar (RFC 5545): one body's, or every body's.
    Ical {
        /// Only this body's meetings.
        #[arg(long)]
        body: Option<String>,
        /// The council (default: the only council, or buckinghamshire).
        #[arg(long)]
        council: Option<String>,
        #[arg(long, default_value = "sqlite://placeworks.db", env = "PLACEWORKS_DATABASE")]
        database: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("PLACEWORKS_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    // The needs assessment reads and writes files only: no runtime to start.
    if let Command::Needs { domain_ranks, weights, level, lookup, population, national_count, top, output } = cli.command {
        return match needs::run(needs::Options { domain_ranks, weights, level, lookup, population, national_count, top, output }) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let clock = cli.today.unwrap_or_else(Clock::system);
    match cli.command {
        Command::Serve { addr, database, assets, papers, base_url, trusted_proxies, header_timeout, body_timeout, default_council } => {
            let base_url = match base_url {
                Some(url) => checked_base_url(&url)?,
                None if addr.ip().is_unspecified() => format!("http://localhost:{}", addr.port()),
                None => format!("http://{addr}"),
            };
            let site = Site {
                base_url,
                trusted_proxies,
                default_council,
                timeouts: placeworks_web::shell::guard::Timeouts {
                    headers: std::time::Duration::from_secs(header_timeout.max(1)),
                    body: std::time::Duration::from_secs(body_timeout.max(1)),
                },
            };
            serve(addr, &database, assets, &papers, clock, site).await
        }
        Command::SweepPapers { papers, database, grace_minutes } => {
            let papers = open_papers(&papers)?;
            let store = placeworks_store::Store::connect(&database).await?.with_clock(clock);
            let gone = store.sweep_papers(&papers, std::time::Duration::from_secs(grace_minutes * 60)).await?;
            println!("Took away {} paper{} that no meeting names, from {}", gone.len(), if gone.len() == 1 { "" } else { "s" }, papers.location());
            for sha in gone {
                println!("  {sha}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate { path } => {
            let files = DatasetFiles::from_dir(&path).with_context(|| format!("cannot read {}", path.display()))?;
            match dataset::read(&files) {
                Ok(reg) => {
                    println!("{} is a valid dataset for {}", path.display(), contents(&reg));
                    Ok(ExitCode::SUCCESS)
                }
                Err(problems) => {
                    eprint!("{}", problems_in(&path, &problems));
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Load { path, database, replace, force } => load(&path, &database, replace.as_deref(), force, &clock).await,
        Command::Export { format: ExportFormat::Popolo { council, database } } => {
            let store = connect_with_builtin(&database).await?;
            if let Some(c) = &council {
                known_council(&store, c).await?;
            }
            let site = placeworks_web::AppState::new(store, clock.clone()).await?.site();
            let doc = match &council {
                Some(c) => site.council_popolo(c, clock.today()).ok_or_else(|| anyhow::anyhow!("there is no council `{c}`"))?,
                None => site.popolo(clock.today()),
            };
            println!("{}", String::from_utf8_lossy(&doc));
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format: ExportFormat::Giving { council, database } } => {
            let store = connect_with_builtin(&database).await?;
            let c = council_or_default(&store, council).await?;
            let reg = store.register(&c).await?.ok_or_else(|| anyhow::anyhow!("there is no council `{c}`"))?;
            let reg = reg.visible_to(&placeworks_domain::permissions::Actor::anonymous());
            match placeworks_domain::open_data::giving::package(&reg, clock.today()) {
                Some(p) => {
                    println!("{}", serde_json::to_string_pretty(&p.json)?);
                    eprintln!(
                        "{} grants{}",
                        p.grants,
                        if p.left_out > 0 { format!("; {} left out for want of a recipient or an award date", p.left_out) } else { String::new() }
                    );
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    eprintln!(
                        "{} has no grants to publish: record an allocation to another organisation's initiative, or an approved bid, with its award date",
                        reg.council.name
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Export { format: ExportFormat::Dataset { council, dir, database } } => export_dataset(&database, council, &dir).await,
        Command::User { command: UserCommand::Add { email, roles, name, council, database } } => {
            add_user(&email, &roles, name, council, &database, &clock).await
        }
        Command::User { command: UserCommand::ResetLink { email, base_url, database } } => reset_link(&email, &base_url, &database, &clock).await,
        Command::Backup { file, database } => {
            let store = Store::connect(&database).await?;
            store.backup_to(&file).await?;
            let check = placeworks_store::check_backup(&file).await.context("checking the new backup")?;
            let councils = check.councils().await?;
            println!("Backed up {} council{} to {}.", councils.len(), if councils.len() == 1 { "" } else { "s" }, file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, database } => restore(&file, &database).await,
        Command::Check { council, database, ratification_days } => {
            check(&database, &council, placeworks_domain::governance::Limits { ratification_days }, &clock).await
        }
        Command::Export { format: ExportFormat::Ical { body, council, database } } => {
            let store = connect_with_builtin(&database).await?;
            let slug = council_or_default(&store, council).await?;
            let site = placeworks_web::AppState::new(store, clock.clone()).await?.site();
            let ix = site.council(&slug).ok_or_else(|| anyhow::anyhow!("there is no council `{slug}`"))?;
            let (from, until) = placeworks_web::next_year(clock.today());
            let (name, meetings) = match &body {
                Some(b) => {
                    let found = ix.body(b).ok_or_else(|| anyhow::anyhow!("{} has no body `{b}`; see /{slug}/bodies", ix.register.council.name))?;
                    (found.name.clone(), placeworks_domain::meetings::schedule::planned(ix, b, from, until)?)
                }
                None => {
                    let mut all: Vec<_> = ix
                        .register
                        .bodies
                        .iter()
                        .flat_map(|b| placeworks_domain::meetings::schedule::planned(ix, b.slug.as_str(), from, until).unwrap_or_default())
                        .collect();
                    all.sort_by_key(|a| a.start);
                    (format!("{} partnership meetings", ix.register.council.name), all)
                }
            };
            print!(
                "{}",
                placeworks_web::calendar::ics(
                    &name,
                    &slug,
                    &std::env::var("PLACEWORKS_BASE_URL").unwrap_or_else(|_| placeworks_web::DEFAULT_BASE_URL.to_owned()),
                    &meetings
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { what: ImportKind::Indicators { file, council, database } } => import_indicators(&file, council, &database, &clock).await,
        Command::Import { what: ImportKind::Postcodes { file, council, database } } => import_postcodes(&file, council, &database, &clock).await,
        Command::Needs { .. } => unreachable!("run before the runtime starts"),
        Command::Composite { values, weights, higher_is_better, period, output } => {
            needs::composite(&values, &weights, &higher_is_better, period.as_deref(), output.as_deref())
        }
        Command::Openapi => {
            println!("{}", placeworks_web::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Validates a dataset folder, then loads it in one transaction, or replaces
/// the council it names; but never replaces a council that looks like
/// another one (another name or area) unless told `--replace SLUG`, and never
/// discards changes made in the portal since the last load unless told `--force`.
async fn load(path: &std::path::Path, database: &str, replace: Option<&str>, force: bool, clock: &Clock) -> Result<ExitCode> {
    let files = DatasetFiles::from_dir(path).with_context(|| format!("cannot read {}", path.display()))?;
    let reg = match dataset::read(&files) {
        Ok(reg) => reg,
        Err(problems) => {
            eprint!("{}", problems_in(path, &problems));
            eprintln!("Nothing was loaded. Fix the problems above, then run `placeworks load` again.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let slug = reg.council.slug.to_string();
    if let Some(r) = replace.filter(|r| *r != slug) {
        anyhow::bail!("--replace {r} does not name this folder's council, which is `{slug}` (in {}); nothing was loaded", path.join("council.toml").display());
    }
    let store = Store::connect(database).await?.with_clock(clock.clone());
    let held = store.council_identity(&slug).await?;
    let mut before = None;
    if let Some((name, area)) = &held {
        let old = store.register(&slug).await?.ok_or_else(|| anyhow::anyhow!("`{slug}` went away while loading"))?;
        if (name != &reg.council.name || area != &reg.council.area) && replace.is_none() {
            let area_words = |a: &Option<String>| a.as_deref().map_or("no area".to_owned(), |a| format!("area {a}"));
            eprintln!(
                "The database holds {name} ({}) under the slug `{slug}`, but {} is {} ({}).\n\
                 Loading it would replace {}.\n\
                 If the folder is for another council, give it its own slug in {}. If it really is to replace {name}, run again with --replace {slug}.\n\
                 Nothing was loaded.",
                area_words(area),
                path.display(),
                reg.council.name,
                area_words(&reg.council.area),
                counts(&old),
                path.join("council.toml").display()
            );
            return Ok(ExitCode::FAILURE);
        }
        let edits = store.edits_since_load(&slug).await?;
        if !edits.is_empty() && !force {
            eprintln!(
                "{name} has {} change{} made since it was last loaded, which loading again would discard:",
                edits.len(),
                if edits.len() == 1 { "" } else { "s" }
            );
            for e in edits.iter().rev().take(10) {
                eprintln!("  {} by {}: {} {}", format_unix(e.at), e.actor_name, e.action.replace('-', " "), e.record_id);
            }
            if edits.len() > 10 {
                eprintln!("  ... and {} more (see /{slug}/audit)", edits.len() - 10);
            }
            eprintln!("Export or copy what you want to keep into {}, or run again with --force to discard them. Nothing was loaded.", path.display());
            return Ok(ExitCode::FAILURE);
        }
        before = Some(old);
    }
    let after = serde_json::json!({ "folder": path.display().to_string(), "name": reg.council.name, "contents": counts(&reg) });
    let entry = command_line_entry(
        clock,
        &slug,
        if before.is_some() { "replace-dataset" } else { "load-dataset" },
        "council",
        &slug,
        before.as_ref().map(|b| serde_json::json!({ "name": b.council.name, "contents": counts(b) }).to_string()),
        &after,
    );
    store.load_council(&reg, &clock.unix().to_string(), Some(&entry)).await.context("loading the dataset")?;
    match before {
        Some(old) => println!("Replaced {} ({}) with {}", old.council.name, counts(&old), contents(&reg)),
        None => println!("Loaded {}", contents(&reg)),
    }
    Ok(ExitCode::SUCCESS)
}

/// Who the command line acts as, in the audit trail.
fn command_line_actor() -> String {
    std::env::var("USER").map(|u| format!("{u} (command line)")).unwrap_or_else(|_| "command line".into())
}

/// A Unix time as "2026-12-03 14:05 UTC".
fn format_unix(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// "68 bodies, 101 seats, 40 organisations, 112 areas, 2 decisions, 2 meetings".
fn counts(reg: &placeworks_domain::Register) -> String {
    format!(
        "{} bodies, {} seats, {} memberships, {} organisations, {} areas, {} meetings, {} decisions",
        reg.bodies.len(),
        reg.seats.len(),
        reg.memberships.len(),
        reg.organisations.len(),
        reg.areas.len(),
        reg.meetings.len(),
        reg.decisions.len()
    )
}

/// "Riverside: 2 bodies, 9 seats, 5 organisations, 5 areas."
fn contents(reg: &placeworks_domain::Register) -> String {
    format!(
        "{}: {} bodies, {} seats, {} organisations, {} areas.",
        reg.council.name,
        reg.bodies.len(),
        reg.seats.len(),
        reg.organisations.len(),
        reg.areas.len()
    )
}

async fn add_user(email: &str, roles: &[String], name: Option<String>, council: Option<String>, database: &str, clock: &Clock) -> Result<ExitCode> {
    use placeworks_domain::accounts::{parse_grant, Email};
    use placeworks_domain::permissions::Grant;
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let grants: Vec<Grant> = roles.iter().map(|r| parse_grant(r)).collect::<Result<_, _>>().map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = connect_with_builtin(database).await?;
    let council = council_or_default(&store, council).await?;
    let register = store
        .register(&council)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no council `{council}` in the database; load it first with `placeworks load`"))?;
    let mut scoped = Vec::new();
    for g in grants {
        let body = match &g {
            Grant::Secretariat(b) | Grant::Member(b) => Some(b.clone()),
            _ => None,
        };
        match body {
            Some(b) if !register.bodies.iter().any(|x| x.slug == b) => {
                anyhow::bail!("{} has no body `{b}`; see the bodies at /{council}/bodies", register.council.name)
            }
            Some(_) => scoped.push((council.clone(), g)),
            None => scoped.push(("*".to_owned(), g)),
        }
    }
    let password = read_new_password()?;
    let id = placeworks_domain::accounts::new_token()[..16].to_owned();
    let name = name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned());
    let roles: Vec<String> = scoped.iter().map(|(_, g)| placeworks_domain::accounts::grant_text(g)).collect();
    let entry =
        command_line_entry(clock, "*", "create-account", "account", &id, None, &serde_json::json!({ "email": email.as_str(), "name": name, "roles": roles }));
    store.create_account_audited(&id, email.as_str(), &name, &password.hash(), &scoped, clock.unix(), &[entry]).await?;
    println!("Created the account {email} ({}).", roles.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Reports every breach of a council's own rules; exit code 1 when any.
async fn check(database: &str, only: &[String], limits: placeworks_domain::governance::Limits, clock: &Clock) -> Result<ExitCode> {
    let store = connect_with_builtin(database).await?;
    for c in only {
        known_council(&store, c).await?;
    }
    let mut breaches = 0;
    for c in store.councils().await?.into_iter().filter(|c| only.is_empty() || only.contains(&c.slug)) {
        let Some(reg) = store.register(&c.slug).await? else { continue };
        let ix = placeworks_domain::register::Index::new(reg);
        let today = clock.today();
        let governance = placeworks_domain::governance::check_with(&ix, today, limits);
        if governance.is_empty() {
            println!("{}: no governance breaches", c.name);
        } else {
            println!("{}: {} governance breach{}", c.name, governance.len(), if governance.len() == 1 { "" } else { "es" });
            for b in &governance {
                println!("  {} ({}): {} [rule {}: {}; put it right at /{}/{}]", b.body_name, b.body, b.what, b.rule, b.rule_text, c.slug, b.href);
                breaches += 1;
            }
        }
        let results = placeworks_domain::services::against_baselines(&ix, today);
        let short = placeworks_domain::services::shortfalls(&ix, today);
        if ix.register.services.is_empty() && ix.register.baselines.iter().any(|b| !b.requires.is_empty()) {
            // With no service data loaded, every area would fall short of
            // its services: that is not a breach, but something to load.
            println!("{}: no service points are recorded, so the baseline of services is not checked (add them to the dataset's services.csv)", c.name);
        }
        if short.is_empty() {
            println!(
                "{}: no areas short of their baseline ({} area{} checked against {} baseline{})",
                c.name,
                results.len(),
                if results.len() == 1 { "" } else { "s" },
                ix.register.baselines.len(),
                if ix.register.baselines.len() == 1 { "" } else { "s" }
            );
            continue;
        }
        println!("{}: {} area{} short of their baseline", c.name, short.len(), if short.len() == 1 { "" } else { "s" });
        for r in short {
            let lacks: Vec<String> = r.shortfalls.iter().map(|s| format!("{} (has {})", s.what, s.have)).collect();
            println!("  {} ({}): lacks {} [baseline {}; see /{}/services]", r.area_name, r.area, lacks.join(", "), r.baseline, c.slug);
            breaches += 1;
        }
    }
    Ok(if breaches > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Refuses a council the store does not hold, naming those it does.
async fn known_council(store: &Store, council: &str) -> Result<()> {
    let councils = store.councils().await?;
    if councils.iter().any(|c| c.slug == council) {
        return Ok(());
    }
    let held: Vec<&str> = councils.iter().map(|c| c.slug.as_str()).collect();
    anyhow::bail!("there is no council `{council}` in the database; it holds {}: give one of those with --council", held.join(", "))
}

/// Writes a council's register into `dir` as a dataset, then reads it back
/// to be sure it loads. Nothing is written into a folder that holds files.
async fn export_dataset(database: &str, council: Option<String>, dir: &Path) -> Result<ExitCode> {
    if dir.is_file() || std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        anyhow::bail!("{} is not an empty folder: give a new or empty folder, so that no file of another dataset is mixed in", dir.display());
    }
    let store = connect_with_builtin(database).await?;
    let slug = council_or_default(&store, council).await?;
    let reg = store.register(&slug).await?.ok_or_else(|| anyhow::anyhow!("there is no council `{slug}`"))?;
    let files = placeworks_domain::open_data::dataset::write(&reg).map_err(|e| anyhow::anyhow!("the register could not be written out: {e}"))?;
    for (path, text) in &files {
        let to = dir.join(path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("making the folder {}", parent.display()))?;
        }
        std::fs::write(&to, text).with_context(|| format!("writing {}", to.display()))?;
    }
    let back = dataset::read(&DatasetFiles::from_dir(dir)?).map_err(|p| anyhow::anyhow!("the dataset written to {} does not read back: {p}", dir.display()))?;
    println!(
        "Wrote {}'s register to {} ({} files): {} bodies, {} seats, {} memberships, {} posts, {} organisations, {} areas, {} meetings, {} decisions.",
        reg.council.name,
        dir.display(),
        files.len(),
        back.bodies.len(),
        back.seats.len(),
        back.memberships.len(),
        back.posts.len(),
        back.organisations.len(),
        back.areas.len(),
        back.meetings.len(),
        back.decisions.len(),
    );
    println!("Agendas, papers, attendance, minutes, the forward plan and ratifications are not part of a dataset: `placeworks backup` keeps them.");
    Ok(ExitCode::SUCCESS)
}

/// The council named, or else the only one held, or else the built-in one
/// when it is among several; with several and not it, the command asks.
async fn council_or_default(store: &Store, council: Option<String>) -> Result<String> {
    if let Some(c) = council {
        known_council(store, &c).await?;
        return Ok(c);
    }
    let councils = store.councils().await?;
    match councils.as_slice() {
        [] => anyhow::bail!("the database holds no council yet: load one with `placeworks load DIR`"),
        [only] => Ok(only.slug.clone()),
        many if many.iter().any(|c| c.slug == placeworks_builtin::BUILTIN_COUNCIL) => Ok(placeworks_builtin::BUILTIN_COUNCIL.to_owned()),
        many => {
            let held: Vec<&str> = many.iter().map(|c| c.slug.as_str()).collect();
            anyhow::bail!("the database holds {}: say which council with --council", held.join(", "))
        }
    }
}

/// The audit entry for a change made on the command line.
fn command_line_entry(
    clock: &Clock,
    council: &str,
    action: &str,
    kind: &str,
    record: &str,
    before: Option<String>,
    after: &serde_json::Value,
) -> placeworks_store::AuditEntry {
    placeworks_store::AuditEntry {
        id: placeworks_store::AuditEntry::new_id(),
        council: council.to_owned(),
        at: clock.unix(),
        actor_id: "command-line".into(),
        actor_name: command_line_actor(),
        action: action.into(),
        record_kind: kind.into(),
        record_id: record.to_owned(),
        body: String::new(),
        before,
        after: Some(after.to_string()),
    }
}

/// Progress for a long write: "written 3000 of 17000 postcodes", at most four times a second, and at the end.
fn written(total: usize, what: &'static str) -> impl FnMut(usize) + Send {
    let mut last = Instant::now();
    move |done: usize| {
        if last.elapsed().as_millis() > 250 || done == total {
            eprintln!("  written {done} of {total} {what}");
            last = Instant::now();
        }
    }
}

/// The store, and the council an import goes into with its register.
async fn council_to_import_into(database: &str, council: Option<String>) -> Result<(placeworks_store::Store, String, placeworks_domain::Register)> {
    let store = connect_with_builtin(database).await?;
    let council = council_or_default(&store, council).await?;
    let reg = store
        .register(&council)
        .await?
        .ok_or_else(|| anyhow::anyhow!("there is no council `{council}` in the database; load it first with `placeworks load`"))?;
    Ok((store, council, reg))
}

/// Imports indicator values into a council's register, all or nothing.
async fn import_indicators(file: &std::path::Path, council: Option<String>, database: &str, clock: &Clock) -> Result<ExitCode> {
    let started = Instant::now();
    let (store, council, reg) = council_to_import_into(database, council).await?;
    let name = file.display().to_string();
    eprintln!("Reading {name}");
    let text = needs::read_text(file)?;
    let plan = match placeworks_domain::places::import::plan_import(&reg, &name, &text) {
        Ok(plan) => plan,
        Err(problems) => {
            eprintln!("{name} has {} problem{}:", problems.len(), if problems.len() == 1 { "" } else { "s" });
            for p in problems.iter().take(100) {
                eprintln!("  {p}");
            }
            if problems.len() > 100 {
                eprintln!("  ... and {} more", problems.len() - 100);
            }
            eprintln!("Nothing was imported. Fix the problems above, then run `placeworks import indicators` again.");
            return Ok(ExitCode::FAILURE);
        }
    };
    eprintln!("  read as {} ({} ms)", plan.shape, started.elapsed().as_millis());
    if plan.skipped > 0 {
        eprintln!("  {} rows are for areas outside {} and were left out", plan.skipped, reg.council.name);
    }
    let total = plan.values.len();
    let after = serde_json::json!({ "file": file.file_name().map(|f| f.to_string_lossy().into_owned()), "shape": plan.shape, "values": total, "indicators": plan.indicators.iter().map(|i| i.slug.to_string()).collect::<Vec<_>>() });
    let entry = command_line_entry(clock, &council, "import-indicators", "indicator-values", &name, None, &after);
    let mut report = written(total, "values");
    store.import_values(&council, &plan.indicators, &plan.values, &[entry], &mut report).await.context("importing the values")?;
    println!(
        "Imported {total} values{} into {} in {} ms.",
        if plan.indicators.is_empty() { String::new() } else { format!(" of {} indicators", plan.indicators.len()) },
        reg.council.name,
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

/// Imports a council's postcode lookup from an ONS postcode directory, all or nothing.
async fn import_postcodes(file: &std::path::Path, council: Option<String>, database: &str, clock: &Clock) -> Result<ExitCode> {
    let started = Instant::now();
    let (store, council, reg) = council_to_import_into(database, council).await?;
    let wards: std::collections::HashSet<String> =
        reg.areas.iter().filter(|a| a.kind == placeworks_domain::places::AreaKind::Ward).map(|a| a.code.clone()).collect();
    if wards.is_empty() {
        anyhow::bail!("{} has no wards in its register: add them to its areas.csv and load it, then import postcodes", reg.council.name);
    }
    let name = file.display().to_string();
    eprintln!("Reading {name}");
    let opened = std::fs::File::open(file).with_context(|| format!("cannot open {name}"))?;
    let input: Box<dyn std::io::Read> =
        if file.extension().is_some_and(|e| e == "gz") { Box::new(flate2::read::GzDecoder::new(opened)) } else { Box::new(std::io::BufReader::new(opened)) };
    let mut shown = Instant::now();
    let mut rows_read = |rows: usize| {
        if shown.elapsed().as_millis() > 500 {
            eprintln!("  read {rows} rows");
            shown = Instant::now();
        }
    };
    let plan = match placeworks_domain::places::postcodes::read(&name, input, &wards, &mut rows_read) {
        Ok(plan) => plan,
        Err(problems) => {
            eprintln!("{name} has {} problem{}:", problems.len(), if problems.len() == 1 { "" } else { "s" });
            for p in &problems {
                eprintln!("  {p}");
            }
            eprintln!("Nothing was imported: the postcode lookup is as it was. Fix the problems above, then run `placeworks import postcodes` again.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let total = plan.postcodes.len();
    eprintln!(
        "  {} rows read: {total} postcodes in {}'s wards (from the `{}` column); {} elsewhere and {} terminated left out",
        plan.rows, reg.council.name, plan.ward_column, plan.elsewhere, plan.terminated
    );
    let after = serde_json::json!({ "file": file.file_name().map(|f| f.to_string_lossy().into_owned()), "postcodes": total, "ward_column": plan.ward_column });
    let entry = command_line_entry(clock, &council, "import-postcodes", "postcodes", &name, None, &after);
    let mut report = written(total, "postcodes");
    store.replace_postcodes(&council, &plan.postcodes, &[entry], &mut report).await.context("importing the postcodes")?;
    println!("Imported {total} postcodes into {} in {} ms. Residents can now find their ward by postcode.", reg.council.name, started.elapsed().as_millis());
    Ok(ExitCode::SUCCESS)
}

/// Prints a one-time password reset link for an account.
async fn reset_link(email: &str, base_url: &str, database: &str, clock: &Clock) -> Result<ExitCode> {
    let email = placeworks_domain::accounts::Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = placeworks_store::Store::connect(database).await?;
    let Some(account) = store.account_by_email(email.as_str()).await? else {
        anyhow::bail!("there is no account for {email}; make one with `placeworks user add {email} --role ...`");
    };
    let entry =
        command_line_entry(clock, "*", "create-reset-link", "account", &account.id, None, &serde_json::json!({ "email": account.email, "reset_link": "made" }));
    let (token, _) = placeworks_web::accounts::make_reset_token(&store, &account.id, &[entry]).await?;
    println!("{}/reset-password/{token}", base_url.trim_end_matches('/'));
    eprintln!("This link lets {} choose a new password. It works once, for 24 hours.", account.email);
    Ok(ExitCode::SUCCESS)
}

/// Checks a backup, copies it beside the database and swaps it in.
async fn restore(file: &std::path::Path, database: &str) -> Result<ExitCode> {
    let Some(target) = database.strip_prefix("sqlite://").map(|p| p.split('?').next().unwrap_or(p)) else {
        anyhow::bail!("placeworks restore puts back SQLite backups; for PostgreSQL use pg_restore");
    };
    let target = PathBuf::from(target);
    if target.exists() {
        let live = Store::connect(database).await?.live_servers().await?;
        if let Some(s) = live.first() {
            anyhow::bail!(
                "a Placeworks server is using {} (process {} on {}, seen in the last {} seconds); stop it first, then restore. Nothing was changed",
                target.display(),
                s.pid,
                s.host,
                placeworks_store::ALIVE_SECONDS
            );
        }
    }
    let backup = placeworks_store::check_backup(file).await.with_context(|| format!("{} cannot be restored", file.display()))?;
    let councils = backup.councils().await?;
    let staged = target.with_extension("restoring");
    let _ = std::fs::remove_file(&staged);
    backup.backup_to(&staged).await?;
    backup.close().await;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).with_context(|| format!("removing {}", side.display()))?;
        }
    }
    std::fs::rename(&staged, &target).with_context(|| format!("putting the backup in place of {}", target.display()))?;
    // Connecting runs any migrations newer than the backup, then check again.
    let store = Store::connect(database).await?;
    store.verify().await?;
    let names: Vec<String> = councils.iter().map(|c| c.name.clone()).collect();
    println!("Restored {} from {} ({}).", target.display(), file.display(), names.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Asks twice at a terminal (without echo); reads one line otherwise.
fn read_new_password() -> Result<placeworks_domain::accounts::NewPassword> {
    use std::io::IsTerminal;
    let check = |p: String| placeworks_domain::accounts::NewPassword::parse(&p).map_err(|e| anyhow::anyhow!("{e}"));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (12 characters or more): ")?;
        let second = rpassword::prompt_password("The same password again: ")?;
        anyhow::ensure!(first == second, "the two passwords are not the same; nothing was created");
        check(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        check(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

fn problems_in(path: &std::path::Path, problems: &dataset::Problems) -> String {
    let mut out = format!("{} is not a valid dataset.\n", path.display());
    out.push_str(&problems.to_string());
    out
}

/// Connects, and loads the built-in dataset into an empty database.
async fn connect_with_builtin(database: &str) -> Result<Store> {
    let store = Store::connect(database).await?;
    if store.is_empty().await? {
        let started = Instant::now();
        let reg = dataset::read(&placeworks_builtin::buckinghamshire()).map_err(|p| anyhow::anyhow!("the built-in dataset is broken: {p}"))?;
        store.replace_council(&reg, &store.clock().unix().to_string()).await?;
        tracing::info!(council = %reg.council.slug, elapsed_ms = started.elapsed().as_millis() as u64, "loaded the built-in {} dataset", reg.council.name);
    }
    Ok(store)
}

/// Where papers are kept, checked before anything is served: a folder that
/// can be made, or a bucket whose settings are complete.
fn open_papers(location: &str) -> Result<placeworks_store::Papers> {
    if !location.starts_with("s3://") {
        let dir = location.strip_prefix("file://").unwrap_or(location);
        std::fs::create_dir_all(dir).with_context(|| format!("cannot make the papers folder {dir}; choose another with --papers"))?;
    }
    Ok(placeworks_store::Papers::open(location)?)
}

/// How often a server sweeps away papers that no record names, and how old
/// such a paper must be to go.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);
const SWEEP_GRACE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// How the site faces the internet.
struct Site {
    base_url: String,
    trusted_proxies: Vec<std::net::IpAddr>,
    default_council: Option<String>,
    timeouts: placeworks_web::shell::guard::Timeouts,
}

/// A base URL is an http or https address with a host and nothing after it.
fn checked_base_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]/".contains(c)) => Ok(url.to_owned()),
        _ => anyhow::bail!(
            "--base-url `{url}` is not a web address: give the site's address as people reach it, for example https://partnerships.example.gov.uk"
        ),
    }
}

async fn serve(addr: SocketAddr, database: &str, assets: PathBuf, papers: &str, clock: Clock, site: Site) -> Result<ExitCode> {
    let papers = open_papers(papers)?;
    let store = connect_with_builtin(database).await?;
    if !assets.join("placeworks.css").exists() {
        tracing::warn!(assets = %assets.display(), "no stylesheet at {}/placeworks.css: pages will be unstyled; scripts/start builds it", assets.display());
    }
    if let Some(c) = &site.default_council {
        known_council(&store, c).await?;
    }
    let state = placeworks_web::AppState::new(store, clock)
        .await?
        .with_papers(papers.clone())
        .with_base_url(&site.base_url)
        .with_trusted_proxies(site.trusted_proxies)
        .with_default_council(site.default_council.as_deref());
    let sweeper = state.store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(e) = sweeper.sweep_papers(&papers, SWEEP_GRACE).await {
                tracing::warn!(error = %e, "could not sweep away papers that no record names");
            }
        }
    });
    // The log of writes is copied back into an SQLite database in the
    // background, not by whichever officer's write happens to fill it.
    state.store.checkpoint_in_background(std::time::Duration::from_millis(500));
    // Writes through other servers, and `placeworks load`, reach this one's pages.
    state.follow_changes();
    if let Err(e) = state.store.heartbeat(&state.server).await {
        let why = e.unavailable().map_or_else(|| e.to_string(), str::to_owned);
        anyhow::bail!("the database does not take writes ({why}): give a database this server can write to, or free its disk");
    }
    state.keep_alive();
    let app = placeworks_web::router(state.clone(), &placeworks_web::Options { assets: Some(assets) });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}; is another program using it? Try --addr 127.0.0.1:8081"))?;
    let local = listener.local_addr()?;
    tracing::info!(%local, base_url = %site.base_url, "Placeworks is serving at http://{local}/");
    placeworks_web::shell::guard::serve(listener, app, site.timeouts, shutdown()).await?;
    if let Err(e) = state.store.forget_server(&state.server.id).await {
        tracing::warn!(error = %e, "could not take this server off the database's list");
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Stops on Ctrl-C or SIGTERM (what systemd and container runtimes send).
async fn shutdown() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
