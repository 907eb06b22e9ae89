//! The in-memory site: every council's register indexed, and the things
//! that are costly to make (the Popolo document, structure charts) made once.

use crate::svg;
use axum::body::Bytes;
use placeworks_domain::needs::{self, Assessment};
use placeworks_domain::permissions::{Actor, Grant};
use placeworks_domain::popolo;
use placeworks_domain::queries::Index;
use placeworks_domain::Register;
use placeworks_store::{Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How many rendered pages one site keeps. A council's register has a few
/// hundred pages; the bound only stops odd query strings from growing it.
const PAGE_CACHE_LIMIT: usize = 4096;

/// Everything the portal and API read.
pub struct Site {
    /// Each council's register as the public sees it: nothing exempt.
    councils: Vec<Arc<Index>>,
    /// Each council's whole register, exempt records included, for editing
    /// and for viewers allowed to see them. Never served as it is.
    full: Vec<Arc<Index>>,
    /// Registers as particular sets of grants see them, made on demand.
    views: RwLock<HashMap<(String, Vec<Grant>), Arc<Index>>>,
    default: Option<usize>,
    /// The whole public register as one Popolo document (JSON).
    pub popolo: Bytes,
    /// Per council: the Popolo document for that council alone.
    pub council_popolo: HashMap<String, Bytes>,
    /// Per council: the structure chart.
    pub structure: HashMap<String, Arc<svg::Chart>>,
    /// Per council that holds the indices of deprivation: its needs assessment.
    pub needs: HashMap<String, Arc<Assessment>>,
    /// Pages already rendered from this site, by path and query. A page is a
    /// pure function of the site, and a new site starts with an empty cache.
    pages: RwLock<HashMap<String, Cached>>,
}

/// A response kept in the page cache: its body and the headers that say
/// what it is.
#[derive(Clone)]
pub struct Cached {
    pub content_type: axum::http::HeaderValue,
    pub disposition: Option<axum::http::HeaderValue>,
    pub body: Bytes,
}

impl Site {
    /// Reads every council from the store.
    pub async fn load(store: &Store) -> Result<Site, StoreError> {
        let mut registers = Vec::new();
        for summary in store.councils().await? {
            if let Some(reg) = store.register(&summary.slug).await? {
                registers.push(reg);
            }
        }
        Ok(Site::from_registers(registers))
    }

    /// Builds a site from whole registers: what the public sees is each
    /// register with its exempt records taken out.
    pub fn from_registers(registers: Vec<Register>) -> Site {
        let councils: Vec<Arc<Index>> = registers.iter().map(|r| Arc::new(Index::new(r.visible_to(&Actor::anonymous())))).collect();
        let full: Vec<Arc<Index>> = registers.into_iter().map(|r| Arc::new(Index::new(r))).collect();
        let default = councils.iter().position(|c| c.register.council.slug.as_str() == "buckinghamshire").or(if councils.is_empty() { None } else { Some(0) });
        let popolo = Bytes::from(serde_json::to_vec(&popolo::document(councils.iter().map(|c| &**c), crate::pages::next_year().0)).expect("popolo serialises"));
        let council_popolo = councils
            .iter()
            .map(|c| {
                let doc = popolo::document(std::iter::once(&**c), crate::pages::next_year().0);
                (c.register.council.slug.to_string(), Bytes::from(serde_json::to_vec(&doc).expect("popolo serialises")))
            })
            .collect();
        let structure = councils.iter().map(|c| (c.register.council.slug.to_string(), Arc::new(svg::structure_chart(c)))).collect();
        let needs = councils.iter().filter_map(|c| Some((c.register.council.slug.to_string(), Arc::new(needs::assess(&c.register)?)))).collect();
        Site { councils, full, views: RwLock::new(HashMap::new()), default, popolo, council_popolo, structure, needs, pages: RwLock::new(HashMap::new()) }
    }

    /// A page rendered earlier from this site.
    pub fn cached_page(&self, key: &str) -> Option<Cached> {
        self.pages.read().expect("page cache lock").get(key).cloned()
    }

    /// Keeps a rendered page, while there is room.
    pub fn keep_page(&self, key: String, page: Cached) {
        let mut pages = self.pages.write().expect("page cache lock");
        if pages.len() < PAGE_CACHE_LIMIT {
            pages.insert(key, page);
        }
    }

    /// Every council, in name order.
    pub fn councils(&self) -> &[Arc<Index>] {
        &self.councils
    }

    /// One council by slug.
    pub fn council(&self, slug: &str) -> Option<&Arc<Index>> {
        self.councils.iter().find(|c| c.register.council.slug.as_str() == slug)
    }

    /// One council's whole register, exempt records included: for checking
    /// and planning edits, never for showing as it is.
    pub fn full(&self, slug: &str) -> Option<&Arc<Index>> {
        self.full.iter().find(|c| c.register.council.slug.as_str() == slug)
    }

    /// One council as `actor` may see it. Anonymous visitors, and anyone
    /// whose grants open nothing exempt, get the public register.
    pub fn council_for(&self, slug: &str, actor: &Actor) -> Option<Arc<Index>> {
        let public = self.council(slug)?;
        if actor.grants.is_empty() {
            return Some(public.clone());
        }
        let key = (slug.to_owned(), actor.grants.clone());
        if let Some(ix) = self.views.read().expect("views lock").get(&key) {
            return Some(ix.clone());
        }
        let full = self.full(slug)?;
        let seen = full.register.visible_to(actor);
        let ix = if seen == public.register { public.clone() } else { Arc::new(Index::new(seen)) };
        let mut views = self.views.write().expect("views lock");
        if views.len() < PAGE_CACHE_LIMIT {
            views.insert(key, ix.clone());
        }
        Some(ix)
    }

    /// The council the home page shows.
    pub fn default_council(&self) -> Option<&Arc<Index>> {
        self.default.map(|i| &self.councils[i])
    }
}
