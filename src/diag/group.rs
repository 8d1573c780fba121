//! Grouping: the same problem met in many places becomes one diagnostic that lists where.

use std::path::PathBuf;

use super::*;

impl Diagnostics {
    /// The same problem met in many places becomes one diagnostic, so that the one that matters
    /// is not lost in repetition. Diagnostics are the same when severity, hint and either their
    /// [`Group`] template or their message and source location agree; the merged one lists the
    /// first few subjects and how many there are. Order: where each kind first occurred.
    #[must_use]
    pub fn grouped(self) -> Diagnostics {
        type Key = (Severity, Option<String>, String, Option<(PathBuf, Option<(usize, usize)>, Option<String>)>);
        let key = |d: &Diagnostic| -> Key {
            match &d.group {
                Some(g) => (d.severity, d.hint.clone(), g.template.clone(), None),
                None => (
                    d.severity,
                    d.hint.clone(),
                    d.message.clone(),
                    Some((
                        d.location.file.clone().unwrap_or_default(),
                        d.location.line_col,
                        d.location.json_path.clone(),
                    )),
                ),
            }
        };
        let mut kinds: Vec<(Key, Vec<Diagnostic>)> = Vec::new();
        let mut index: std::collections::BTreeMap<Key, usize> = std::collections::BTreeMap::new();
        for d in self.0 {
            let k = key(&d);
            match index.get(&k) {
                Some(&i) => kinds[i].1.push(d),
                None => {
                    index.insert(k.clone(), kinds.len());
                    kinds.push((k, vec![d]));
                }
            }
        }
        Diagnostics(kinds.into_iter().map(|(_, same)| merge(same)).collect())
    }
}

/// How many subjects a grouped diagnostic names before it says "and N more".
pub(super) const GROUP_SHOWN: usize = 4;

/// `a, b, c, d and 3 more` (the first few of `items`, once each, with the number left out).
pub(super) fn some_of(items: &[String], sep: &str) -> String {
    // "and 1 more" would take the room of the one left out.
    let n = if items.len() == GROUP_SHOWN + 1 { items.len() } else { GROUP_SHOWN };
    let shown = items.iter().take(n).cloned().collect::<Vec<_>>().join(sep);
    match items.len().saturating_sub(n) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// One diagnostic for `same` (never empty), which say the same thing about different subjects.
pub(super) fn merge(mut same: Vec<Diagnostic>) -> Diagnostic {
    let mut first = same.remove(0);
    if same.is_empty() {
        return first;
    }
    let mut items: Vec<String> = Vec::new();
    let mut add = |s: Option<String>| {
        if let Some(s) = s
            && !items.contains(&s)
        {
            items.push(s);
        }
    };
    match first.group.clone() {
        Some(g) => {
            add(Some(g.item.clone()));
            same.into_iter().for_each(|d| add(d.group.map(|x| x.item)));
            if items.len() > 1 {
                let list = format!("{} {}: {}", items.len(), g.noun, some_of(&items, ", "));
                first.message = g.template.replacen("{}", &list, 1);
                first.group = None;
            }
        }
        None => {
            add(first.location.subject.clone());
            same.into_iter().for_each(|d| add(d.location.subject));
            if items.len() > 1 {
                first.location.subject = Some(format!("{} places: {}", items.len(), some_of(&items, "; ")));
            }
        }
    }
    first
}
