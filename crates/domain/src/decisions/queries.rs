//! Questions asked of a council's decisions.

use crate::council::Register;
use crate::decisions::model::Decision;

/// The decisions on the matter `d` belongs to, in date order, `d` among
/// them: those sharing its issue, and the decision the issue is named after
/// (a decision followed by a later one is not rewritten to join the issue,
/// so it is found by its slug). Empty when `d` belongs to no issue.
pub fn history<'a>(reg: &'a Register, d: &Decision) -> Vec<&'a Decision> {
    let key = d.issue.as_ref().or_else(|| reg.decisions.iter().any(|x| x.issue.as_ref() == Some(&d.slug)).then_some(&d.slug));
    let Some(key) = key else { return Vec::new() };
    let mut out: Vec<&Decision> = reg.decisions.iter().filter(|x| x.issue.as_ref() == Some(key) || &x.slug == key).collect();
    out.sort_by(|a, b| a.date.cmp(&b.date));
    out
}
