//! The in-memory site: every council's register indexed, and the things
//! that are costly to make (the Popolo document, structure charts) made once.

use crate::svg;
use placeworks_domain::popolo;
use placeworks_domain::queries::Index;
use placeworks_store::{Store, StoreError};
use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How many rendered pages one site keeps. A council's register has a few
/// hundred pages; the bound only stops odd query strings from growing it.
const PAGE_CACHE_LIMIT: usize = 4096;

/// Everything the portal and API read.
pub struct Site {
    councils: Vec<Arc<Index>>,
    default: Option<usize>,
    /// The whole public register as one Popolo document (JSON).
    pub popolo: Bytes,
    /// Per council: the Popolo document for that council alone.
    pub council_popolo: HashMap<String, Bytes>,
    /// Per council: the structure chart.
    pub structure: HashMap<String, Arc<svg::Chart>>,
    /// Pages already rendered from this site, by path and query. A page is a
    /// pure function of the site, and a new site starts with an empty cache.
    pages: RwLock<HashMap<String, Bytes>>,
}

impl Site {
    /// Reads every council from the store.
    pub async fn load(store: &Store) -> Result<Site, StoreError> {
        let mut councils = Vec::new();
        for summary in store.councils().await? {
            if let Some(reg) = store.register(&summary.slug).await? {
                councils.push(Arc::new(Index::new(reg)));
            }
        }
        Ok(Site::from_indexes(councils))
    }

    /// Builds a site from registers already in memory.
    pub fn from_indexes(councils: Vec<Arc<Index>>) -> Site {
        let default = councils
            .iter()
            .position(|c| c.register.council.slug.as_str() == "buckinghamshire")
            .or(if councils.is_empty() { None } else { Some(0) });
        let popolo = Bytes::from(serde_json::to_vec(&popolo::document(councils.iter().map(|c| &**c))).expect("popolo serialises"));
        let council_popolo = councils
            .iter()
            .map(|c| {
                let doc = popolo::document(std::iter::once(&**c));
                (c.register.council.slug.to_string(), Bytes::from(serde_json::to_vec(&doc).expect("popolo serialises")))
            })
            .collect();
        let structure = councils.iter().map(|c| (c.register.council.slug.to_string(), Arc::new(svg::structure_chart(c)))).collect();
        Site { councils, default, popolo, council_popolo, structure, pages: RwLock::new(HashMap::new()) }
    }

    /// A page rendered earlier from this site.
    pub fn cached_page(&self, key: &str) -> Option<Bytes> {
        self.pages.read().expect("page cache lock").get(key).cloned()
    }

    /// Keeps a rendered page, while there is room.
    pub fn keep_page(&self, key: String, html: Bytes) {
        let mut pages = self.pages.write().expect("page cache lock");
        if pages.len() < PAGE_CACHE_LIMIT {
            pages.insert(key, html);
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

    /// The council the home page shows.
    pub fn default_council(&self) -> Option<&Arc<Index>> {
        self.default.map(|i| &self.councils[i])
    }
}
