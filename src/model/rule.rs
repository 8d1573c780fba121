//! A rule a value broke while a file was read (a range, a length's bound, a whole number), carried
//! to the loader beside serde's error.
//!
//! serde's errors are text only, so a `Deserialize` impl that refuses a value records the typed
//! [`Broken`] here as it returns; the loader ([`super::source`]) takes it back to name the key
//! (`` `bleed` must be … ``) and split off the hint, instead of reading the message apart. The
//! record is per thread: one value is deserialized on one thread from start to end.

use std::cell::RefCell;
use std::fmt;

/// A value refused by a rule: shown as `` `key` must {rule}; {hint} ``, the key being the JSON key
/// the value was read at unless the value names one of its own members.
#[derive(Clone, Debug, PartialEq)]
pub struct Broken {
    /// A member of the value that broke the rule (`top` of a margin read by hand), if not the
    /// value itself.
    pub key: Option<&'static str>,
    /// What the value must do, after "must": `be at least 0 and at most 25 mm, not 500 mm`.
    pub rule: String,
    /// What to do about it.
    pub hint: Option<&'static str>,
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(k) = self.key {
            write!(f, "`{k}` ")?;
        }
        write!(f, "must {}", self.rule)?;
        if let Some(h) = self.hint {
            write!(f, "; {h}")?;
        }
        Ok(())
    }
}

thread_local! {
    static LAST: RefCell<Option<Broken>> = const { RefCell::new(None) };
}

/// The serde error for a broken rule; the rule itself is kept for [`take_for`].
pub fn refuse<E: serde::de::Error>(broken: Broken) -> E {
    let e = E::custom(&broken);
    LAST.with(|l| *l.borrow_mut() = Some(broken));
    e
}

/// Forgets a rule recorded by an earlier read (one that recovered, e.g. an untagged variant).
pub fn clear() {
    LAST.with(|l| l.borrow_mut().take());
}

/// The rule behind the serde error whose message (without position) is `message`, if a rule was
/// recorded and it is that error (not an error that replaced it, e.g. "did not match any variant").
pub fn take_for(message: &str) -> Option<Broken> {
    LAST.with(|l| l.borrow_mut().take()).filter(|b| b.to_string() == message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_key_rule_and_hint() {
        let b = Broken { key: Some("top"), rule: "be at least 0".into(), hint: Some("a hint; with more") };
        assert_eq!(b.to_string(), "`top` must be at least 0; a hint; with more");
        let b = Broken { key: None, rule: "be a whole number, not 2.5".into(), hint: None };
        assert_eq!(b.to_string(), "must be a whole number, not 2.5");
    }

    #[test]
    fn the_rule_comes_back_only_for_its_own_error() {
        let b = Broken { key: None, rule: "be 1".into(), hint: None };
        let e: serde_json::Error = refuse(b.clone());
        assert_eq!(e.to_string(), "must be 1");
        assert_eq!(take_for("must be 1"), Some(b.clone()));
        // Taken once.
        assert_eq!(take_for("must be 1"), None);
        // An error that replaced it (an untagged enum's own message) gets no rule.
        let _: serde_json::Error = refuse(b);
        assert_eq!(take_for("data did not match any variant"), None);
        assert_eq!(take_for("must be 1"), None);
    }
}
