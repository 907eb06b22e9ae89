//! Who is looking: the signed-in viewer of the request being handled, set
//! by `auth::identify` and read by the templates and handlers. It sits below
//! everything else in this crate, so that rendering a page needs no sign-in code.

/// Who is looking at a page, when signed in.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Viewer {
    pub account_id: String,
    pub name: String,
    pub email: String,
    pub csrf_token: String,
    pub roles: Vec<String>,
    /// Whether the viewer administers the site (accounts, the audit trail).
    pub admin: bool,
    #[serde(skip)]
    pub token_hash: String,
    /// Each grant with the council it applies in (`*` for every council).
    #[serde(skip)]
    pub grants: Vec<(String, placeworks_domain::permissions::Grant)>,
}

impl Viewer {
    /// The viewer as an actor in one council: its grants there and everywhere.
    pub fn actor_in(&self, council: &str) -> placeworks_domain::permissions::Actor {
        placeworks_domain::permissions::Actor::with(self.grants.iter().filter(|(c, _)| c == "*" || c == council).map(|(_, g)| g.clone()))
    }
}

tokio::task_local! {
    /// The viewer of the request being handled, for templates.
    pub static VIEWER: Option<Viewer>;
}

/// The viewer of the current request, if signed in.
pub fn viewer() -> Option<Viewer> {
    VIEWER.try_with(Clone::clone).ok().flatten()
}
