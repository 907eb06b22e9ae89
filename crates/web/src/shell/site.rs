//! The read model: every council's register indexed in memory, one
//! [`CouncilView`] per council, each at the version of the store it was read
//! at. A write to one council replaces that council's view alone (never with
//! an older one); the others, their caches and their charts stay as they are.
//! What is costly to make (the Popolo document, the structure chart, the
//! needs assessment) is made on first use, once per view.

use crate::shell::svg;
use axum::body::Bytes;
use chrono::NaiveDate;
use placeworks_domain::open_data::popolo;
use placeworks_domain::permissions::{Actor, Grant};
use placeworks_domain::places::needs::{self, Assessment};
use placeworks_domain::register::Index;
use placeworks_domain::Register;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// How many registers-as-an-actor-sees-them one view keeps.
const ACTOR_VIEWS_LIMIT: usize = 4096;

/// How many bytes of rendered pages one view keeps: a council's few hundred
/// pages fit; past it, the least recently used go first, so odd query
/// strings cannot grow a server's memory.
pub const PAGE_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// A response kept in a page cache: its body and the headers that say what it is.
#[derive(Clone)]
pub struct Cached {
    pub content_type: axum::http::HeaderValue,
    pub disposition: Option<axum::http::HeaderValue>,
    pub body: Bytes,
}

/// Pages rendered from one view, by key, within a budget of bytes: when a
/// new page would go over it, the least recently used pages are let go until
/// a quarter of the budget is free. A new view starts with none.
pub struct PageCache {
    pages: RwLock<Pages>,
    /// A counter that orders uses: a page's last use is when it was read.
    uses: std::sync::atomic::AtomicU64,
    limit: usize,
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Kept>,
    bytes: usize,
}

struct Kept {
    page: Cached,
    size: usize,
    last_used: std::sync::atomic::AtomicU64,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_limit(PAGE_CACHE_BYTES)
    }
}

impl PageCache {
    /// A cache that keeps at most `limit` bytes of pages.
    pub fn with_limit(limit: usize) -> PageCache {
        PageCache { pages: RwLock::default(), uses: Default::default(), limit }
    }

    pub fn get(&self, key: &str) -> Option<Cached> {
        use std::sync::atomic::Ordering::Relaxed;
        let pages = self.pages.read().expect("page cache lock");
        let kept = pages.by_key.get(key)?;
        kept.last_used.store(self.uses.fetch_add(1, Relaxed), Relaxed);
        Some(kept.page.clone())
    }

    /// Keeps a rendered page, letting the least recently used go when the
    /// budget is spent. A page larger than a quarter of it is not kept.
    pub fn keep(&self, key: String, page: Cached) {
        use std::sync::atomic::Ordering::Relaxed;
        let size = page.body.len() + key.len() + 256;
        if size > self.limit / 4 {
            return;
        }
        let mut pages = self.pages.write().expect("page cache lock");
        let kept = Kept { page, size, last_used: self.uses.fetch_add(1, Relaxed).into() };
        if let Some(old) = pages.by_key.insert(key, kept) {
            pages.bytes -= old.size;
        }
        pages.bytes += size;
        if pages.bytes > self.limit {
            let mut by_use: Vec<(u64, String)> = pages.by_key.iter().map(|(k, v)| (v.last_used.load(Relaxed), k.clone())).collect();
            by_use.sort_unstable();
            for (_, k) in by_use {
                if pages.bytes <= self.limit / 4 * 3 {
                    break;
                }
                if let Some(gone) = pages.by_key.remove(&k) {
                    pages.bytes -= gone.size;
                }
            }
        }
    }

    /// The bytes of pages kept, and how many pages.
    pub fn usage(&self) -> (usize, usize) {
        let pages = self.pages.read().expect("page cache lock");
        (pages.bytes, pages.by_key.len())
    }
}

/// The query parameters a page reads; any other is ignored by every page,
/// and so by the cache's key, so odd query strings share one kept page.
const PAGE_PARAMETERS: &[&str] = &["kind", "status", "view", "sector", "level", "area", "indicator", "a1", "a2", "a3", "a4", "period"];

/// A page's key in the cache: the day (pages list the year of meetings from
/// today), its path and the parameters pages read, in the order given.
pub fn page_key(day: NaiveDate, uri: &axum::http::Uri) -> String {
    let kept: Vec<&str> =
        uri.query().unwrap_or_default().split('&').filter(|pair| PAGE_PARAMETERS.contains(&pair.split_once('=').map_or(*pair, |(name, _)| name))).collect();
    if kept.is_empty() {
        format!("{day} {}", uri.path())
    } else {
        format!("{day} {}?{}", uri.path(), kept.join("&"))
    }
}

/// Something made for a day (it lists the year of meetings from that day).
type ForDay<T> = Mutex<Option<(NaiveDate, T)>>;

fn for_day<T: Clone>(cell: &ForDay<T>, today: NaiveDate, make: impl FnOnce() -> T) -> T {
    let mut held = cell.lock().expect("day cache lock");
    match &*held {
        Some((day, value)) if *day == today => value.clone(),
        _ => {
            let value = make();
            *held = Some((today, value.clone()));
            value
        }
    }
}

/// One council as read from the store at one version.
pub struct CouncilView {
    /// The store's version of this council when it was read.
    pub version: i64,
    /// The register as the public sees it: nothing exempt.
    pub public: Arc<Index>,
    /// The whole register, exempt records included, for checking edits and
    /// for viewers allowed to see them. Never served as it is.
    pub full: Arc<Index>,
    /// The register as particular sets of grants see it, made on demand.
    views: RwLock<HashMap<Vec<Grant>, Arc<Index>>>,
    popolo: ForDay<Bytes>,
    structure: ForDay<Arc<svg::Chart>>,
    overview: ForDay<Arc<svg::Chart>>,
    needs: OnceLock<Option<Arc<Assessment>>>,
    /// Anonymous pages rendered from this view.
    pub pages: PageCache,
}

impl CouncilView {
    /// Indexes a whole register read at `version`: what the public sees is
    /// the register with its exempt records taken out.
    pub fn new(register: Register, version: i64) -> CouncilView {
        CouncilView::of_whole(Arc::new(Index::new(register)), version)
    }

    /// The view of a whole register already indexed (as a write leaves it).
    pub fn of_whole(full: Arc<Index>, version: i64) -> CouncilView {
        // With nothing exempt, the public register is the whole one: one index serves both.
        let public = if full.register.has_exempt() { Arc::new(Index::new(full.register.visible_to(&Actor::anonymous()))) } else { full.clone() };
        CouncilView {
            version,
            public,
            full,
            views: RwLock::new(HashMap::new()),
            popolo: Mutex::new(None),
            structure: Mutex::new(None),
            overview: Mutex::new(None),
            needs: OnceLock::new(),
            pages: PageCache::default(),
        }
    }

    pub fn slug(&self) -> &str {
        self.public.register.council.slug.as_str()
    }

    /// The council's public register as one Popolo document (JSON).
    pub fn popolo(&self, today: NaiveDate) -> Bytes {
        for_day(&self.popolo, today, || {
            let doc = popolo::document(std::iter::once(&*self.public), today);
            Bytes::from(serde_json::to_vec(&doc).expect("popolo serialises"))
        })
    }

    /// The structure chart of the public register on a day: every body, or the overview.
    pub fn structure(&self, today: NaiveDate, view: svg::ChartView) -> Arc<svg::Chart> {
        let cell = if view == svg::ChartView::Detail { &self.structure } else { &self.overview };
        for_day(cell, today, || Arc::new(svg::structure_chart(&self.public, today, view)))
    }

    /// The needs assessment, where the council holds the indices of deprivation.
    pub fn needs(&self) -> Option<Arc<Assessment>> {
        self.needs.get_or_init(|| needs::assess(&self.public.register).map(Arc::new)).clone()
    }

    /// The council as `actor` may see it. Anyone whose grants open nothing
    /// exempt gets the public register.
    pub fn for_actor(&self, actor: &Actor) -> Arc<Index> {
        if actor.grants.is_empty() {
            return self.public.clone();
        }
        if let Some(ix) = self.views.read().expect("views lock").get(&actor.grants) {
            return ix.clone();
        }
        let seen = self.full.register.visible_to(actor);
        let ix = if seen == self.public.register { self.public.clone() } else { Arc::new(Index::new(seen)) };
        let mut views = self.views.write().expect("views lock");
        if views.len() < ACTOR_VIEWS_LIMIT {
            views.insert(actor.grants.clone(), ix.clone());
        }
        ix
    }
}

/// Everything the portal and API read: each council's view, in name order.
pub struct Site {
    councils: Vec<Arc<CouncilView>>,
    /// The whole public register (every council) as one Popolo document.
    popolo: ForDay<Bytes>,
    /// Pages that are not one council's (the list of councils, the home page
    /// when it shows the default council), rendered from this site.
    pub pages: PageCache,
}

impl Site {
    /// A site of these councils' views.
    pub fn new(mut councils: Vec<Arc<CouncilView>>) -> Site {
        councils.sort_by(|a, b| a.public.register.council.name.cmp(&b.public.register.council.name));
        Site { councils, popolo: Mutex::new(None), pages: PageCache::default() }
    }

    /// A site built straight from registers, each at version 0 (for tests and tools).
    pub fn from_registers(registers: Vec<Register>) -> Site {
        Site::new(registers.into_iter().map(|r| Arc::new(CouncilView::new(r, 0))).collect())
    }

    /// This site with one council's view put in (or taken out, with `None`),
    /// unless the view held is already as new or newer.
    pub fn with(&self, slug: &str, view: Option<Arc<CouncilView>>) -> Option<Site> {
        let held = self.view(slug);
        match (&view, held) {
            (Some(new), Some(old)) if new.version <= old.version => return None,
            (None, None) => return None,
            _ => {}
        }
        let mut councils: Vec<Arc<CouncilView>> = self.councils.iter().filter(|c| c.slug() != slug).cloned().collect();
        councils.extend(view);
        Some(Site::new(councils))
    }

    /// Every council's view, in name order.
    pub fn views(&self) -> &[Arc<CouncilView>] {
        &self.councils
    }

    /// One council's view.
    pub fn view(&self, slug: &str) -> Option<&Arc<CouncilView>> {
        self.councils.iter().find(|c| c.slug() == slug)
    }

    /// Every council's public register, in name order.
    pub fn councils(&self) -> Vec<Arc<Index>> {
        self.councils.iter().map(|c| c.public.clone()).collect()
    }

    /// One council's public register.
    pub fn council(&self, slug: &str) -> Option<&Arc<Index>> {
        self.view(slug).map(|v| &v.public)
    }

    /// One council's whole register, exempt records included: for checking
    /// and planning edits, never for showing as it is.
    pub fn full(&self, slug: &str) -> Option<&Arc<Index>> {
        self.view(slug).map(|v| &v.full)
    }

    /// The whole register of a council, when the view held is at `version`.
    pub fn full_at(&self, slug: &str, version: i64) -> Option<Arc<Index>> {
        self.view(slug).filter(|v| v.version == version).map(|v| v.full.clone())
    }

    /// One council as `actor` may see it.
    pub fn council_for(&self, slug: &str, actor: &Actor) -> Option<Arc<Index>> {
        self.view(slug).map(|v| v.for_actor(actor))
    }

    /// The council the home page shows: the one chosen (`serve
    /// --default-council`), or else the only one held; none (so the home page
    /// lists them) when there are several and none was chosen.
    pub fn default_council(&self, chosen: Option<&str>) -> Option<&Arc<Index>> {
        match chosen {
            Some(c) => self.view(c).map(|v| &v.public),
            None if self.councils.len() == 1 => self.councils.first().map(|v| &v.public),
            None => None,
        }
    }

    /// The whole public register, every council, as one Popolo document.
    pub fn popolo(&self, today: NaiveDate) -> Bytes {
        for_day(&self.popolo, today, || {
            let doc = popolo::document(self.councils.iter().map(|c| &*c.public), today);
            Bytes::from(serde_json::to_vec(&doc).expect("popolo serialises"))
        })
    }

    /// One council's needs assessment, where it holds the indices of deprivation.
    pub fn needs(&self, slug: &str) -> Option<Arc<Assessment>> {
        self.view(slug)?.needs()
    }

    /// One council's structure chart.
    pub fn structure(&self, slug: &str, today: NaiveDate, view: svg::ChartView) -> Option<Arc<svg::Chart>> {
        self.view(slug).map(|v| v.structure(today, view))
    }

    /// One council's public register as a Popolo document.
    pub fn council_popolo(&self, slug: &str, today: NaiveDate) -> Option<Bytes> {
        self.view(slug).map(|v| v.popolo(today))
    }

    /// The cache for a page at `path`: its council's, when the path is under
    /// one, so that a write to one council empties only that council's pages.
    /// The page kept for `uri` on `day`, if one is.
    pub fn cached_page(&self, day: NaiveDate, uri: &str) -> Option<Cached> {
        let uri: axum::http::Uri = uri.parse().ok()?;
        self.pages_for(uri.path()).get(&page_key(day, &uri))
    }

    pub fn pages_for(&self, path: &str) -> &PageCache {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
        self.view(first).map_or(&self.pages, |v| &v.pages)
    }

    /// Each council's version, for knowing which are behind the store.
    pub fn versions(&self) -> HashMap<String, i64> {
        self.councils.iter().map(|c| (c.slug().to_owned(), c.version)).collect()
    }
}
