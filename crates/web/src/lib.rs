//! The Placeworks portal and API. Pages are server-rendered HTML with GOV.UK
//! Frontend classes and work without JavaScript; the API is JSON under
//! `/api/v1/` described by an OpenAPI 3.1 document at `/api/openapi.json`.
//!
//! Reads are served from an in-memory [`Site`]: one view per council, each
//! at the store version it was read at. The store stays the source of truth:
//! a write refreshes its own council's view ([`AppState::refresh`]), and
//! [`AppState::follow_changes`] brings in what other servers and
//! `placeworks load` wrote.

// Handlers and their helpers return `Result<_, Response>` to answer early
// (sign in first, a 403, a 404): the response is the error, and its size is
// no cost worth boxing it for.
#![allow(clippy::result_large_err)]

mod api;
mod decisions;
mod governance;
mod meetings;
mod places;
mod programmes;
mod register;
mod routes;
mod services;
pub mod shell;

pub use meetings::calendar::next_year;
pub use shell::site::{CouncilView, Site, PAGE_CACHE_BYTES};
pub use shell::{accounts, auth, calendar, maps};

use axum::Router;
use placeworks_kernel::Clock;
use placeworks_store::{Store, StoreError};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// The public address a site is given when none is configured.
pub const DEFAULT_BASE_URL: &str = "http://localhost:8080";

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    site: Arc<RwLock<Arc<Site>>>,
    /// One lock per council, held while its view is read again, so that
    /// refreshes of one council run one at a time and coalesce.
    refreshing: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
    /// One council's writers on this server, queued for its turn and sharing
    /// its transaction (`shell::commit`): each write decides on the view of
    /// the version before it without reading the rows.
    writing: Arc<Mutex<HashMap<String, Arc<shell::commit::Writers>>>>,
    /// Where uploaded papers are kept (a folder or a bucket), named by their SHA-256.
    pub papers: placeworks_store::Papers,
    /// Where "now" and "today" come from.
    pub clock: Clock,
    /// Password hashing is slow on purpose: it runs off the async workers,
    /// this many at a time, so sign-ins cannot starve page requests.
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Anonymous page reads served at once (two a worker thread): the rest
    /// wait their turn outside the workers' queues, so a flood of readers
    /// never leaves an officer's write waiting behind it for CPU.
    pub reading: Arc<tokio::sync::Semaphore>,
    /// This server, as its heartbeats name it.
    pub server: Arc<placeworks_store::Server>,
    /// The site's public address, without a trailing slash
    /// (`https://partnerships.example.gov.uk`): links in feeds, the sitemap
    /// and reset links start with it, and HSTS is sent when it is HTTPS.
    pub base_url: Arc<str>,
    /// Proxies trusted to say who their client is (`X-Forwarded-For`): only
    /// a request from one of these is taken to come from the address it names.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// The council the home page shows (`serve --default-council`): by
    /// default the only council, or the list of councils when there are more.
    pub default_council: Option<Arc<str>>,
    /// How many passwords sign-in has checked since the server started.
    pub password_checks: Arc<std::sync::atomic::AtomicU64>,
}

impl AppState {
    /// Reads every council from the store and prepares the site.
    pub async fn new(store: Store, clock: Clock) -> Result<AppState, StoreError> {
        let store = store.with_clock(clock.clone());
        let mut views = Vec::new();
        for summary in store.councils().await? {
            if let Some((reg, version)) = store.register_at(&summary.slug).await? {
                views.push(Arc::new(CouncilView::new(reg, version)));
            }
        }
        let now = clock.unix();
        let hashers = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
        Ok(AppState {
            store,
            site: Arc::new(RwLock::new(Arc::new(Site::new(views)))),
            refreshing: Arc::default(),
            writing: Arc::default(),
            papers: placeworks_store::Papers::folder(std::path::Path::new("papers")).map_err(|e| StoreError::Unsupported(e.to_string()))?,
            clock,
            hashing: Arc::new(tokio::sync::Semaphore::new(hashers)),
            reading: Arc::new(tokio::sync::Semaphore::new(2 * std::thread::available_parallelism().map_or(2, |n| n.get()))),
            server: Arc::new(placeworks_store::Server {
                id: placeworks_domain::accounts::new_token()[..16].to_owned(),
                host: std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_else(|_| "unknown".to_owned()),
                pid: i64::from(std::process::id()),
                started_at: now,
                seen_at: now,
            }),
            base_url: Arc::from(DEFAULT_BASE_URL),
            trusted_proxies: Arc::from(Vec::new()),
            default_council: None,
            password_checks: Arc::default(),
        })
    }

    /// Serves the site at `base_url` (`https://partnerships.example.gov.uk`).
    pub fn with_base_url(mut self, base_url: &str) -> AppState {
        self.base_url = Arc::from(base_url.trim_end_matches('/'));
        self
    }

    /// Takes `X-Forwarded-For` from these proxies, and from no one else.
    pub fn with_trusted_proxies(mut self, proxies: Vec<std::net::IpAddr>) -> AppState {
        self.trusted_proxies = Arc::from(proxies);
        self
    }

    /// The home page shows this council, however many are held.
    pub fn with_default_council(mut self, council: Option<&str>) -> AppState {
        self.default_council = council.map(Arc::from);
        self
    }

    /// Keeps uploaded papers in `papers` (by default the folder `papers`).
    pub fn with_papers(mut self, papers: placeworks_store::Papers) -> AppState {
        self.papers = papers;
        self
    }

    /// The current site.
    pub fn site(&self) -> Arc<Site> {
        self.site.read().expect("site lock").clone()
    }

    /// The writers of a council on this server.
    pub(crate) fn writers(&self, council: &str) -> Arc<shell::commit::Writers> {
        self.writing.lock().expect("council writers").entry(council.to_owned()).or_default().clone()
    }

    /// Puts a view made on this server in place of its council's, unless the
    /// view held is already as new.
    pub fn install(&self, council: &str, view: CouncilView) {
        let mut site = self.site.write().expect("site lock");
        if let Some(next) = site.with(council, Some(Arc::new(view))) {
            *site = Arc::new(next);
        }
    }

    /// Brings one council's view up to at least `version` (or to whatever
    /// the store holds, with `None`): read again from the store, off the
    /// requests that are reading the old view, and put in place only if it
    /// is newer than the view held, so an older read never replaces a newer.
    pub async fn refresh(&self, council: &str, version: Option<i64>) -> Result<(), StoreError> {
        let _turn = turn(&self.refreshing, council).await;
        let held = self.site().view(council).map(|v| v.version);
        if let (Some(want), Some(held)) = (version, held) {
            if held >= want {
                return Ok(());
            }
        }
        let view = self.store.register_at(council).await?.map(|(reg, v)| Arc::new(CouncilView::new(reg, v)));
        let mut site = self.site.write().expect("site lock");
        if let Some(next) = site.with(council, view) {
            *site = Arc::new(next);
        }
        Ok(())
    }

    /// Brings every council's view up to the store's versions: councils
    /// written by another server or loaded from the command line, new ones,
    /// and ones taken away.
    pub async fn catch_up(&self) -> Result<(), StoreError> {
        let held = self.site().versions();
        let stored = self.store.council_versions().await?;
        for (slug, version) in &stored {
            if held.get(slug).is_none_or(|h| h < version) {
                self.refresh(slug, Some(*version)).await?;
            }
        }
        for slug in held.keys().filter(|h| !stored.iter().any(|(s, _)| s == *h)) {
            self.refresh(slug, None).await?;
        }
        Ok(())
    }

    /// Writes this server's heartbeat every few seconds for as long as it
    /// runs, so that a restore knows a server holds the database.
    pub fn keep_alive(&self) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tick.tick().await;
                if let Err(e) = state.store.heartbeat(&state.server).await {
                    tracing::warn!(error = %e, "could not write this server's heartbeat");
                }
            }
        })
    }

    /// Follows the store's change feed for as long as the server runs, so
    /// that writes made through other servers (and `placeworks load`) reach
    /// this one's pages within a second.
    pub fn follow_changes(&self) -> tokio::task::JoinHandle<()> {
        // On PostgreSQL every commit's NOTIFY wakes this server at once; the
        // polling below is the fallback (and SQLite's way).
        let listening = self.clone();
        tokio::spawn(async move {
            let mut listener = match listening.store.listen_for_changes().await {
                Ok(Some(l)) => l,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for the change feed; polling it instead");
                    return;
                }
            };
            loop {
                match listener.recv().await {
                    Ok(n) => {
                        let (council, version) = n.payload().split_once(' ').unwrap_or((n.payload(), ""));
                        if let Err(e) = listening.refresh(council, version.parse().ok()).await {
                            tracing::warn!(council, error = %e, "could not refresh after a notification");
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the change feed's listener failed; polling carries on");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        });
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = state.catch_up().await {
                    tracing::warn!(error = %e, "could not read the change feed; trying again");
                }
            }
        })
    }
}

/// Waits for a council's turn among `gates`, one per council.
async fn turn(gates: &Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>, council: &str) -> tokio::sync::OwnedMutexGuard<()> {
    let gate = gates.lock().expect("council locks").entry(council.to_owned()).or_default().clone();
    gate.lock_owned().await
}

/// Options for the router.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The folder holding the compiled stylesheet (`web/dist`).
    pub assets: Option<PathBuf>,
}

/// The whole application: pages, API, assets and health check.
pub fn router(state: AppState, options: &Options) -> Router {
    let (api_router, openapi) = api::router().split_for_parts();
    let openapi_json = Arc::new(openapi.to_pretty_json().expect("OpenAPI document serialises"));
    let assets = options.assets.clone().unwrap_or_else(|| PathBuf::from("web/dist"));
    let stylesheet = shell::guard::hashed_stylesheet(&assets);
    shell::templates::set_stylesheet(stylesheet.as_ref().map(|(href, _)| href.clone()));
    let mut app = Router::new();
    if let Some((href, css)) = stylesheet {
        app = app.route(&href, axum::routing::get(move || shell::guard::immutable_css(css.clone())));
    }
    app.merge(routes::router(state.clone()))
        .route("/sign-in", axum::routing::get(auth::sign_in_form).post(auth::sign_in))
        .route("/sign-out", axum::routing::post(auth::sign_out))
        .route("/sign-out-everywhere", axum::routing::post(auth::sign_out_everywhere))
        .route("/account", axum::routing::get(auth::account))
        .route("/forgot-password", axum::routing::get(accounts::forgot))
        .route("/reset-password/{token}", axum::routing::get(accounts::reset_form).post(accounts::reset))
        .route("/accounts", axum::routing::get(accounts::list))
        .route("/accounts/new", axum::routing::get(accounts::new_account).post(accounts::create_account))
        .route("/accounts/{id}", axum::routing::get(accounts::account_page))
        .route("/accounts/{id}/roles", axum::routing::post(accounts::add_role))
        .route("/accounts/{id}/roles/remove", axum::routing::post(accounts::remove_role))
        .route("/accounts/{id}/{what}", axum::routing::post(accounts::set_disabled))
        .route("/accounts/{id}/reset-link", axum::routing::post(accounts::create_reset_link))
        .route("/{council}/bodies/{slug}/members/new", axum::routing::get(register::manage::new_membership).post(register::manage::create_membership))
        .route("/{council}/bodies/{slug}/history", axum::routing::get(register::manage::history))
        .route("/{council}/bodies/new", axum::routing::get(register::keeping::new_body).post(register::keeping::create_body))
        .route("/{council}/bodies/{slug}/end", axum::routing::get(register::keeping::end_body_form).post(register::keeping::end_body))
        .route("/{council}/commitments/new", axum::routing::get(decisions::manage::new_commitment).post(decisions::manage::add_commitment))
        .route("/{council}/commitments/{slug}/edit", axum::routing::get(decisions::manage::edit_commitment).post(decisions::manage::update_commitment))
        .route("/{council}/people/{slug}/edit", axum::routing::get(register::keeping::edit_person).post(register::keeping::update_person))
        .route("/{council}/areas/new", axum::routing::get(places::keeping::new_area).post(places::keeping::create_area))
        .route("/{council}/areas/{code}/edit", axum::routing::get(places::keeping::edit_area).post(places::keeping::update_area))
        .route("/{council}/organisations/new", axum::routing::get(register::keeping::new_organisation).post(register::keeping::create_organisation))
        .route("/{council}/organisations/{slug}/edit", axum::routing::get(register::keeping::edit_organisation).post(register::keeping::update_organisation))
        .route("/{council}/posts/new", axum::routing::get(register::keeping::new_post).post(register::keeping::create_post))
        .route("/{council}/posts/{slug}/edit", axum::routing::get(register::keeping::edit_post).post(register::keeping::update_post))
        .route("/{council}/bodies/{slug}/manage", axum::routing::get(register::manage::manage))
        .route("/{council}/bodies/{slug}/edit", axum::routing::get(register::manage::edit_body).post(register::manage::update_body))
        .route("/{council}/bodies/{slug}/seats/new", axum::routing::get(register::manage::new_seat).post(register::manage::create_seat))
        .route("/{council}/bodies/{slug}/seats/{seat}/edit", axum::routing::get(register::manage::edit_seat).post(register::manage::update_seat))
        .route(
            "/{council}/bodies/{slug}/memberships/{membership}/edit",
            axum::routing::get(register::manage::edit_membership).post(register::manage::update_membership),
        )
        .route("/{council}/bodies/{slug}/links", axum::routing::get(register::manage::links).post(register::manage::create_link))
        .route("/{council}/bodies/{slug}/links/remove", axum::routing::post(register::manage::remove_link))
        .route("/{council}/bodies/{slug}/meetings", axum::routing::get(meetings::manage::meetings_form).post(meetings::manage::save_meeting))
        .route("/{council}/audit", axum::routing::get(register::manage::audit_trail))
        .route("/{council}/meetings/{slug}/manage", axum::routing::get(meetings::manage::manage))
        .route(
            "/{council}/meetings/{slug}/agenda",
            axum::routing::get(meetings::manage::agenda_form)
                .post(meetings::manage::add_agenda_item)
                // A paper may be up to the limit, with room for the form around it.
                .layer(axum::extract::DefaultBodyLimit::max(placeworks_domain::meetings::MAX_PAPER_BYTES + 1024 * 1024)),
        )
        .route("/{council}/meetings/{slug}/publish", axum::routing::post(meetings::manage::publish_agenda))
        .route("/{council}/meetings/{slug}/agree", axum::routing::get(meetings::manage::agree_form).post(meetings::manage::agree))
        .route("/{council}/meetings/{slug}/attendance", axum::routing::get(meetings::manage::attendance_form).post(meetings::manage::record_attendance))
        .route("/{council}/meetings/{slug}/minutes", axum::routing::get(meetings::manage::minutes_form).post(meetings::manage::save_minutes))
        .route("/{council}/meetings/{slug}/decisions/new", axum::routing::get(decisions::manage::decision_form).post(decisions::manage::record_decision))
        .route("/{council}/decisions/{slug}/ratifications", axum::routing::get(decisions::manage::ratifications).post(decisions::manage::record_ratification))
        .route("/{council}/bodies/{slug}/forward-plan/new", axum::routing::get(decisions::manage::forthcoming_form).post(decisions::manage::add_forthcoming))
        .route(
            "/{council}/programmes/{slug}/measures/{measure}/actual",
            axum::routing::get(programmes::manage::actual_form).post(programmes::manage::enter_actual),
        )
        .route("/{council}/programmes/{slug}/highlights", axum::routing::get(programmes::report::highlights_form).post(programmes::report::write_highlights))
        .route("/{council}/programmes/{slug}/edit", axum::routing::get(programmes::manage::programme_form).post(programmes::manage::save_programme))
        .route("/{council}/plans/{plan}/actions/{number}", axum::routing::get(programmes::plans::action_form).post(programmes::plans::update_action))
        .route(
            "/{council}/programmes/{slug}/actuals/import",
            axum::routing::get(programmes::manage::import_form)
                .post(programmes::manage::import_actuals)
                // A file of actuals may be up to its limit, with room for the form around it.
                .layer(axum::extract::DefaultBodyLimit::max(programmes::manage::MAX_CSV_BYTES + 64 * 1024)),
        )
        .merge(api_router)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = openapi_json.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], (*doc).clone()) }
            }),
        )
        .nest_service("/assets", tower_http::services::ServeDir::new(assets))
        .fallback(shell::errors::fallback)
        // Forms are small: anything larger is refused (413) before it is read whole.
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::identify))
        // A handler that panics answers a logged 500 page; the connection stays.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(shell::guard::panicked))
        .layer(axum::middleware::from_fn_with_state(state.clone(), shell::guard::headers))
        .layer(axum::middleware::from_fn(server_timing))
        // Pages, stylesheets, JSON, SVG, feeds and calendars go gzip- or
        // brotli-compressed to whoever asks; papers (already compressed, and
        // served by range) go as they are.
        .layer(tower_http::compression::CompressionLayer::new().compress_when(shell::guard::Compressible))
        .with_state(state)
}

/// Says how long the server took over a request (`Server-Timing: app;dur=`
/// in milliseconds, W3C Server Timing), from its arrival to its answer's
/// headers: what a slow page or write costs here, apart from the network.
async fn server_timing(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = axum::http::HeaderValue::from_str(&format!("app;dur={ms:.1}")) {
        res.headers_mut().insert("server-timing", value);
    }
    res
}

/// The OpenAPI document, for tests and `placeworks openapi`.
pub fn openapi_json() -> String {
    api::router().split_for_parts().1.to_pretty_json().expect("OpenAPI document serialises")
}
