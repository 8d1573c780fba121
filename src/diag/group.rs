//! Grouping: the same problem met in many places becomes one diagnostic that lists where.

use std::collections::{HashMap, HashSet};
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
    if same.is_empty() && first.group.as_ref().is_none_or(|g| g.more.is_empty()) {
        return first;
    }
    let mut items: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut add = |s: String| {
        if seen.insert(s.clone()) {
            items.push(s);
        }
    };
    match first.group.take() {
        Some(g) => {
            add(g.item);
            g.more.into_iter().for_each(&mut add);
            for x in same.into_iter().filter_map(|d| d.group) {
                add(x.item);
                x.more.into_iter().for_each(&mut add);
            }
            if items.len() > 1 {
                let list = format!("{} {}: {}", items.len(), g.noun, some_of(&items, ", "));
                first.message = g.template.replacen("{}", &list, 1);
            } else {
                first.group = Some(Group { item: items.remove(0), more: Vec::new(), ..g });
            }
        }
        None => {
            first.location.subject.clone().into_iter().for_each(&mut add);
            same.into_iter().filter_map(|d| d.location.subject).for_each(&mut add);
            if items.len() > 1 {
                first.location.subject = Some(format!("{} places: {}", items.len(), some_of(&items, "; ")));
            }
        }
    }
    first
}

/// Diagnostics gathered as they are found, with each repeat of a [`Group`] folded into the
/// first of its kind at once (its subject added to [`Group::more`]): a deck of 10 000 cards that
/// all break the same rule keeps one diagnostic and 10 000 names, not 10 000 diagnostics with
/// their snippets. Diagnostics without a group are kept as they come. [`Diagnostics::grouped`]
/// gives the same result for the folded list as for everything pushed.
#[derive(Debug, Default)]
pub struct Folded {
    list: Vec<Diagnostic>,
    /// Per kind (severity, hint, template): its place in `list` and the subjects it names.
    kinds: HashMap<KindKey, (usize, HashSet<String>)>,
}

/// What makes two grouped diagnostics the same kind: severity, hint and template.
type KindKey = (Severity, Option<String>, String);

impl Folded {
    /// Adds `d`, folding it into an earlier diagnostic of its kind.
    pub fn push(&mut self, mut d: Diagnostic) {
        let Some(g) = d.group.as_mut() else {
            self.list.push(d);
            return;
        };
        let key = (d.severity, d.hint.clone(), g.template.clone());
        match self.kinds.get_mut(&key) {
            Some((at, seen)) => {
                let g = d.group.take().expect("checked above");
                let more = &mut self.list[*at].group.as_mut().expect("a kind's first has its group").more;
                for item in std::iter::once(g.item).chain(g.more) {
                    if seen.insert(item.clone()) {
                        more.push(item);
                    }
                }
            }
            None => {
                let mut seen: HashSet<String> = HashSet::new();
                seen.insert(g.item.clone());
                g.more.retain(|m| seen.insert(m.clone()));
                self.kinds.insert(key, (self.list.len(), seen));
                self.list.push(d);
            }
        }
    }

    /// The diagnostics, in the order their kinds were first met.
    #[must_use]
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

impl Extend<Diagnostic> for Folded {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        iter.into_iter().for_each(|d| self.push(d));
    }
}
