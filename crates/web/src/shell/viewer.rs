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

/// The cookie that carries a confirmation from a save to the page after it.
pub const SAVED_COOKIE: &str = "pw_saved";

tokio::task_local! {
    /// The change a request saved (its action), for the confirmation.
    pub static SAVED: std::cell::Cell<Option<&'static str>>;
    /// The confirmation the page being rendered shows, from the save before it.
    pub static CONFIRMATION: Option<&'static str>;
}

/// Notes that the request being handled saved a change, by its action.
pub fn saved(action: &'static str) {
    let _ = SAVED.try_with(|s| s.set(Some(action)));
}

/// The confirmation the page being rendered shows, if a save led to it.
pub fn confirmation() -> Option<&'static str> {
    CONFIRMATION.try_with(|c| *c).ok().flatten()
}

/// What a save of this action says once it is done: the words of the
/// banner on the page the officer is sent to, and the action's own code (the
/// only value the cookie may carry). None for an action with no words here.
pub fn confirmation_of(action: &str) -> Option<(&'static str, &'static str)> {
    const SAID: [(&str, &str); 46] = [
        ("edit-body", "The body's details have been saved"),
        ("add-seat", "The seat has been added"),
        ("edit-seat", "The seat has been saved"),
        ("add-membership", "The member has been added"),
        ("edit-membership", "The membership has been saved"),
        ("add-relation", "The link has been added"),
        ("remove-relation", "The link has been removed"),
        ("add-meeting", "The meeting has been added"),
        ("cancel-meeting", "The meeting has been cancelled"),
        ("reschedule-meeting", "The meeting has been moved"),
        ("add-agenda-item", "The agenda item has been saved"),
        ("publish-agenda", "The agenda has been published"),
        ("record-attendance", "The attendance has been recorded"),
        ("record-held", "The meeting has been recorded as held"),
        ("draft-minutes", "The draft minutes have been saved"),
        ("approve-minutes", "The minutes have been recorded as approved"),
        ("record-decision", "The decision has been recorded"),
        ("record-ratification", "The answer has been recorded"),
        ("add-forthcoming-decision", "The decision has been put on the forward plan"),
        ("create-reset-link", "The reset link has been made"),
        ("add-role", "The role has been given"),
        ("remove-role", "The role has been taken away"),
        ("disable-account", "The account has been disabled: it can no longer sign in"),
        ("enable-account", "The account has been enabled"),
        ("create-account", "The account has been created"),
        ("create-body", "The body has been set up"),
        ("end-body", "The body has been ended: its members are now former members"),
        ("add-post", "The post has been added"),
        ("edit-post", "The post has been saved"),
        ("agree", "Your agreement has been recorded"),
        ("add-disagreement", "The disagreement has been recorded"),
        ("edit-disagreement", "The disagreement has been saved"),
        ("create-area", "The area has been defined"),
        ("edit-area", "The area has been saved"),
        ("add-organisation", "The organisation has been added"),
        ("add-commitment", "The commitment has been recorded"),
        ("edit-person", "The person's details have been saved"),
        ("edit-commitment", "The commitment has been saved"),
        ("edit-organisation", "The organisation has been saved"),
        ("enter-actual", "The actual has been saved"),
        ("change-actual", "The actual has been changed"),
        ("import-actuals", "The actuals have been imported: every line of the file is saved"),
        ("write-highlights", "The highlights have been saved"),
        ("change-highlights", "The highlights have been changed"),
        ("update-plan-action", "The action has been updated"),
        ("edit-programme", "The programme's details have been saved"),
    ];
    SAID.iter().find(|(a, _)| *a == action).map(|(a, words)| (*a, *words))
}

tokio::task_local! {
    /// The page a GET request asked for (path and query), so that someone
    /// sent to sign in first comes back to it.
    pub static ASKED: Option<String>;
}

/// A page of this site to return to: a path on this site (not `//host`, no
/// backslash or control character, not the sign-in page itself), or None.
pub fn safe_next(next: &str) -> Option<String> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/sign-in")
        && next.len() <= 2000
        && !next.chars().any(|c| c == '\\' || c.is_control());
    ok.then(|| next.to_owned())
}

/// Sends whoever is not signed in to sign in, and then back to the page
/// they asked for.
pub fn sign_in_first() -> axum::response::Redirect {
    let asked = ASKED.try_with(Clone::clone).ok().flatten().and_then(|a| safe_next(&a));
    match asked {
        Some(a) => {
            let encoded: String =
                a.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
            axum::response::Redirect::to(&format!("/sign-in?next={encoded}"))
        }
        None => axum::response::Redirect::to("/sign-in"),
    }
}
