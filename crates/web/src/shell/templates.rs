//! Page templates (minijinja), compiled into the binary. Autoescaping is on
//! for every `.html` template, so text from a dataset can never become markup.

use minijinja::{Environment, Value};
use std::sync::OnceLock;

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "base.html",
    "macros.html",
    "find.html",
    "dispute-form.html",
    "account-new.html",
    "account-manage.html",
    "meeting.html",
    "meeting-manage.html",
    "agenda-item.html",
    "attendance-form.html",
    "minutes-form.html",
    "decision-form.html",
    "ratifications.html",
    "forthcoming-form.html",
    "forward-plan.html",
    "person.html",
    "attendance.html",
    "home.html",
    "councils.html",
    "bodies.html",
    "body.html",
    "organisations.html",
    "organisation.html",
    "areas.html",
    "area.html",
    "structure.html",
    "overlap.html",
    "error.html",
    "sign-in.html",
    "account.html",
    "membership-new.html",
    "history.html",
    "audit.html",
    "forms.html",
    "edit-base.html",
    "membership-edit.html",
    "body-edit.html",
    "seat-form.html",
    "links.html",
    "manage.html",
    "reset-password.html",
    "forgot-password.html",
    "accounts.html",
    "reset-link.html",
    "needs.html",
    "compare.html",
    "services.html",
    "calendar.html",
    "decisions.html",
    "decision.html",
    "governance.html",
    "meetings-edit.html",
    "register-edit-base.html",
    "body-new.html",
    "body-end.html",
    "post-form.html",
    "area-form.html",
    "programmes.html",
    "programme.html",
    "person-form.html",
    "commitment-form.html",
    "organisation-form.html",
    "business.html",
    "meeting-agree.html",
    "conflict.html",
    "measure.html",
    "actual-form.html",
    "actuals-import.html",
    "initiative.html",
    "money.html",
    "report.html",
    "highlights-form.html",
    "programme-facet.html",
    "programme-area.html",
    "strategy.html",
    "plan-action-form.html",
    "programme-form.html",
);

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        env.add_filter("pdate", |s: String| placeworks_domain::PartialDate::parse(&s).map(|d| d.display()).unwrap_or(s));
        env.add_filter("plural", |n: usize, one: String, many: String| if n == 1 { one } else { many });
        env
    })
}

/// The address of the stylesheet pages link to: `/assets/placeworks.css`, or
/// once the router has found it, a name made from its content
/// (`/assets/placeworks-1a2b3c4d5e.css`), which browsers keep for a year.
static STYLESHEET: std::sync::RwLock<Option<String>> = std::sync::RwLock::new(None);

/// Names the stylesheet pages link to from now on.
pub(crate) fn set_stylesheet(href: Option<String>) {
    *STYLESHEET.write().expect("stylesheet lock") = href;
}

fn stylesheet() -> String {
    STYLESHEET.read().expect("stylesheet lock").clone().unwrap_or_else(|| "/assets/placeworks.css".to_owned())
}

/// Renders a template with its context, adding who is signed in and the
/// stylesheet's address.
pub fn render(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    let viewer = crate::shell::viewer::viewer().map(|v| Value::from_serialize(&v));
    let saved = crate::shell::viewer::confirmation().and_then(crate::shell::viewer::confirmation_of).map(|(_, words)| words);
    env().get_template(name)?.render(minijinja::context! { viewer => viewer, stylesheet => stylesheet(), saved => saved, ..ctx })
}

/// Renders the error page.
pub fn render_error(status: u16, title: &str, message: &str) -> Result<String, minijinja::Error> {
    render("error.html", minijinja::context! { status, title, message, page_title => title })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_in_the_folder_is_compiled_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(super::TEMPLATES.iter().any(|(n, _)| *n == name), "{name} is in templates/ but not in TEMPLATES");
        }
    }
}
