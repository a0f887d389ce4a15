//! The command palette's rows: every action a key can be bound to (the action enum's
//! names), each with its keys from the keymap in force and its line in the session's
//! language, narrowed and ordered by a fuzzy match on what is typed. A number typed
//! (`7`, `No. 7`, `7例目`) puts "jump to No. 7" first. Nothing here is written twice:
//! the rows come from [`crate::action::NAMED`], the keys from [`Keymap::keys_for`].

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::action::{Action, NAMED};
use crate::data::Lang;
use crate::keymap::Keymap;
use crate::mode::Mode;

/// One row of the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What Enter runs.
    pub action: Action,
    /// Its keys, as hints write them (empty when it has none).
    pub keys: String,
    /// What it does, in the session's language.
    pub label: String,
}

/// Actions that make sense only while typing, and the palette's own: not listed.
fn listed(a: &Action) -> bool {
    !matches!(
        a,
        Action::OpenPalette
            | Action::ClosePalette
            | Action::RunPalette
            | Action::CloseHelp
            | Action::Backspace
            | Action::Delete
            | Action::DeleteToStart
            | Action::DeleteWord
            | Action::CaretLeft
            | Action::CaretRight
            | Action::CaretStart
            | Action::CaretEnd
    )
}

/// The keys of `action`: those of the mode under the palette, else of the first mode
/// that has any.
fn keys(keymap: &Keymap, under: Mode, action: &Action) -> String {
    let mut keys = keymap.keys_for(under, action);
    if keys.is_empty() {
        keys = [Mode::Timeline, Mode::Detail, Mode::View, Mode::Search]
            .into_iter()
            .map(|m| keymap.keys_for(m, action))
            .find(|k| !k.is_empty())
            .unwrap_or_default();
    }
    keys.truncate(2);
    keys.join(", ")
}

/// The rows for `query`, best first; `under` is the mode the palette was opened from.
pub fn entries(keymap: &Keymap, under: Mode, lang: Lang, query: &str) -> Vec<Entry> {
    let query = query.trim();
    let mut out = Vec::new();
    if let Some(n) = crate::search::ordinal_query(query) {
        out.push(Entry {
            action: Action::JumpTo(n),
            keys: format!("{n}G"),
            label: match lang {
                Lang::En => format!("jump to No. {n}"),
                Lang::Ja => format!("{n}例目へ移動"),
            },
        });
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, Entry)> = NAMED
        .iter()
        .filter(|(_, a)| listed(a))
        .filter_map(|(name, a)| {
            let label = a.describe_in(lang);
            let hay = format!("{label} {name} {}", a.describe());
            let score = if query.is_empty() {
                0
            } else {
                matcher.fuzzy_match(&hay, query)?
            };
            Some((
                score,
                Entry {
                    action: a.clone(),
                    keys: keys(keymap, under, a),
                    label: label.to_string(),
                },
            ))
        })
        .collect();
    // Stable: equal scores keep the keymap's (help) order.
    scored.sort_by_key(|(s, _)| std::cmp::Reverse(*s));
    out.extend(scored.into_iter().map(|(_, e)| e));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_action_but_the_palettes_own_is_listed_once_with_its_key() {
        let all = entries(&Keymap::default(), Mode::Timeline, Lang::En, "");
        let want = NAMED.iter().filter(|(_, a)| listed(a)).count();
        assert_eq!(all.len(), want);
        let stats = all
            .iter()
            .find(|e| e.action == Action::ToggleView(crate::mode::View::Stats))
            .expect("stats listed");
        assert_eq!(stats.keys, "s");
        assert!(!all.iter().any(|e| e.action == Action::OpenPalette));
    }

    #[test]
    fn typing_narrows_in_either_language_and_a_number_jumps() {
        let en = entries(&Keymap::default(), Mode::Timeline, Lang::En, "stati");
        assert_eq!(en[0].action, Action::ToggleView(crate::mode::View::Stats));
        let ja = entries(&Keymap::default(), Mode::Timeline, Lang::Ja, "統計");
        assert!(ja[0].label.contains("統計"), "{:?}", ja[0]);
        let n = entries(&Keymap::default(), Mode::Timeline, Lang::En, "7例目");
        assert_eq!(n[0].action, Action::JumpTo(7));
    }
}
