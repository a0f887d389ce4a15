//! The config file: what a user sets once (language, theme, plain mode, mouse, keys),
//! in TOML at `$LINKJ_CONFIG` or the platform's config directory
//! (`~/.config/linkj/config.toml` on Linux). Flags beat the file, the file beats the
//! defaults; the caller merges them. Every error is one sentence with the file, line
//! and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::action::Action;
use crate::data::Lang;
use crate::keymap::{GROUPS, KEY_NAMES, Key, Keymap, Remap, remap_modes, remappable};
use crate::mode::Mode;

/// The browser's palettes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    /// For dark backgrounds.
    Dark,
    /// For light backgrounds.
    Light,
    /// No colour: bold, reverse and underline only.
    Mono,
}

/// Which part of the browser has the keyboard at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Start {
    /// The search bar: keys type the query, as in fzf.
    Search,
    /// The timeline: single-letter keys act at once.
    Timeline,
}

/// What the config file sets: `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Language of names and labels.
    pub lang: Option<Lang>,
    /// Palette.
    pub theme: Option<ThemeName>,
    /// ASCII-only chrome.
    pub plain: Option<bool>,
    /// Mouse capture.
    pub mouse: Option<bool>,
    /// Where the keyboard is at start.
    pub start: Option<Start>,
    /// The standard keymap with the file's remappings.
    pub keymap: Arc<Keymap>,
}

/// A config file larger than this is not a config file.
const MAX_BYTES: u64 = 1 << 20;

/// Where the config file is: `$LINKJ_CONFIG` when set, else `linkj/config.toml` in the
/// platform's config directory (`$XDG_CONFIG_HOME`, else `~/.config`, on Linux).
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LINKJ_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("linkj").join("config.toml"))
}

/// The config in force: the file at [`path`], or nothing set when there is no such
/// file (and `$LINKJ_CONFIG` does not name one).
pub fn load() -> Result<Config, String> {
    let explicit = std::env::var_os("LINKJ_CONFIG").is_some_and(|p| !p.is_empty());
    match path() {
        Some(p) if explicit || p.exists() => load_file(&p),
        _ => Ok(Config::default()),
    }
}

/// The config in the file at `path`.
pub fn load_file(path: &Path) -> Result<Config, String> {
    let shown = path.display();
    let why = |e: std::io::Error| {
        format!(
            "{shown}: cannot read the config file: {}",
            crate::data::describe_io_error(&e)
        )
    };
    let meta = std::fs::metadata(path).map_err(why)?;
    if meta.is_dir() {
        return Err(format!("{shown}: is a directory, not a config file"));
    }
    // Read at most one byte past the limit: a device or a pipe has no length to check
    // first (`LINKJ_CONFIG=/dev/null` is an empty config).
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).map_err(why)?, MAX_BYTES + 1),
        &mut bytes,
    )
    .map_err(why)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{shown}: the file is over the {MAX_BYTES}-byte limit for a config file"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        format!("{shown}:{line}:{col}: the file is not UTF-8 text (invalid byte here)")
    })?;
    parse(&text, &shown.to_string())
}

/// The config in `text`, read from the file called `name` (for the messages).
pub fn parse(text: &str, name: &str) -> Result<Config, String> {
    let file: File = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let (line, col) = line_col(text, at);
        format!("{name}:{line}:{col}: {}", one_line(e.message()))
    })?;
    let remaps = file.keys.remaps(text, name)?;
    Ok(Config {
        lang: file.language.map(|l| match l {
            LangName::En => Lang::En,
            LangName::Ja => Lang::Ja,
        }),
        theme: file.theme,
        plain: file.plain,
        mouse: file.mouse,
        start: file.start,
        keymap: Arc::new(Keymap::with(&remaps)),
    })
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// toml's messages, joined onto one line.
fn one_line(msg: &str) -> String {
    msg.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: Option<LangName>,
    theme: Option<ThemeName>,
    plain: Option<bool>,
    mouse: Option<bool>,
    start: Option<Start>,
    #[serde(default)]
    keys: Keys,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum LangName {
    En,
    Ja,
}

/// The `[keys.*]` tables: per part of the screen, an action to a key or a list of keys.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Keys {
    #[serde(default)]
    browser: BTreeMap<ActionIn<0>, toml::Spanned<KeyList>>,
    #[serde(default)]
    search_bar: BTreeMap<ActionIn<1>, toml::Spanned<KeyList>>,
    #[serde(default)]
    help: BTreeMap<ActionIn<2>, toml::Spanned<KeyList>>,
    #[serde(default)]
    palette: BTreeMap<ActionIn<3>, toml::Spanned<KeyList>>,
}

impl Keys {
    /// The remappings, checked: no key given to two actions of one table.
    fn remaps(self, text: &str, name: &str) -> Result<Vec<Remap>, String> {
        let mut out = Vec::new();
        for (g, table) in [
            (0, as_pairs(self.browser)),
            (1, as_pairs(self.search_bar)),
            (2, as_pairs(self.help)),
            (3, as_pairs(self.palette)),
        ] {
            let (group, modes) = GROUPS[g];
            let mut taken: Vec<(Key, &[Mode], &'static str, usize)> = Vec::new();
            for (action, name_of, keys) in &table {
                let at = keys.span().start;
                for key in &keys.get_ref().0 {
                    let here = remap_modes(modes, action, key);
                    let clash = taken
                        .iter()
                        .find(|(k, m, ..)| k == key && m.iter().any(|m| here.contains(m)));
                    if let Some((_, _, other, other_at)) = clash {
                        let (line, col) = line_col(text, at.max(*other_at));
                        let (first, second) = if *other_at < at {
                            (*other, *name_of)
                        } else {
                            (*name_of, *other)
                        };
                        return Err(format!(
                            "{name}:{line}:{col}: {} is given to both {first} and {second} in [keys.{group}]",
                            key.label()
                        ));
                    }
                    taken.push((*key, here, name_of, at));
                }
                out.push(Remap {
                    modes,
                    action: action.clone(),
                    keys: keys.get_ref().0.clone(),
                });
            }
        }
        Ok(out)
    }
}

fn as_pairs<const G: usize>(
    table: BTreeMap<ActionIn<G>, toml::Spanned<KeyList>>,
) -> Vec<(Action, &'static str, toml::Spanned<KeyList>)> {
    table
        .into_iter()
        .map(|(a, keys)| (a.action, a.name, keys))
        .collect()
}

/// An action name that group `G` of [`GROUPS`] may remap; anything else is an error
/// that lists the ones it may. Ordered by name, as the table's keys.
struct ActionIn<const G: usize> {
    name: &'static str,
    action: Action,
}

impl<const G: usize> PartialEq for ActionIn<G> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<const G: usize> Eq for ActionIn<G> {}

impl<const G: usize> PartialOrd for ActionIn<G> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<const G: usize> Ord for ActionIn<G> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name.cmp(other.name)
    }
}

impl<'de, const G: usize> Deserialize<'de> for ActionIn<G> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let given = String::deserialize(d)?;
        let (group, modes) = GROUPS[G];
        let allowed = remappable(modes);
        match allowed.iter().find(|n| **n == given) {
            Some(name) => Ok(ActionIn {
                name,
                action: Action::from_name(name)
                    .ok_or_else(|| de::Error::custom("no such action"))?,
            }),
            None => {
                let what = if Action::from_name(&given).is_some() {
                    format!("{given:?} is not an action of [keys.{group}]")
                } else {
                    format!("unknown action {given:?}")
                };
                Err(de::Error::custom(format!(
                    "{what}; the actions of [keys.{group}] are {}",
                    allowed.join(", ")
                )))
            }
        }
    }
}

/// One key name, or a list of them.
struct KeyList(Vec<Key>);

fn key_named<E: de::Error>(name: &str) -> Result<Key, E> {
    Key::parse(name).ok_or_else(|| E::custom(format!("unknown key {name:?}; a key is {KEY_NAMES}")))
}

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key name or a list of key names")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyList, E> {
                key_named(s).map(|k| KeyList(vec![k]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(KeyName(k)) = seq.next_element()? {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                Ok(KeyList(keys))
            }
        }
        d.deserialize_any(V)
    }
}

/// One key name in a list.
struct KeyName(Key);

impl<'de> Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        key_named(&s).map(KeyName)
    }
}

/// The commented default file that `linkj config --default` prints: every setting at
/// its default, and every key table with the standard keys, all commented out. The
/// key tables come from the keymap, so they cannot drift from it.
pub fn default_file() -> String {
    let mut s = String::from(
        "# linkj's config file: ~/.config/linkj/config.toml (the platform's config directory),
# or the file $LINKJ_CONFIG names; `linkj config --path` prints where it is looked for.
# Flags on the command line win over this file, and this file over the defaults shown
# here (commented out). `linkj --no-config` ignores the file.

# Language of names and labels: \"en\" or \"ja\" (--lang).
# language = \"en\"

# Palette: \"dark\" for dark backgrounds, \"light\", or \"mono\" for no colour (--theme).
# NO_COLOR in the environment always means no colour.
# theme = \"dark\"

# ASCII-only borders, ellipsis and scrollbar, for terminals that draw East-Asian-
# ambiguous characters two cells wide (--plain, --no-plain, LINKJ_PLAIN=1).
# plain = false

# Capture the mouse; false leaves the terminal's own text selection working
# (--no-mouse, --mouse).
# mouse = true

# Where the keyboard is at start: \"search\" (keys type the query at once; Esc on an
# empty query, or Tab, goes to the timeline) or \"timeline\" (single-letter keys act at
# once) (--start).
# start = \"search\"

# Keys. In each table, `action = \"key\"` or `action = [\"key\", \"key\"]` puts the action
# on those keys instead of its standard ones there (an empty list unbinds it); a key
# given to an action wins over its standard use. Ctrl-C (quit) and Ctrl-Z (suspend)
# always work. The status line and the help overlay (?) show the keys in force.
",
    );
    s.push_str(&wrap_comment(&format!("A key is {KEY_NAMES}.")));
    let all = crate::keymap::bindings();
    for (group, modes) in GROUPS {
        s.push_str(&format!("\n[keys.{group}]\n"));
        for name in remappable(modes) {
            let Some(action) = Action::from_name(name) else {
                continue;
            };
            let keys: Vec<String> = all
                .iter()
                .filter(|b| b.action == action && b.modes.iter().all(|m| modes.contains(m)))
                .map(|b| format!("{:?}", b.key.label()))
                .collect();
            let line = format!("# {name} = [{}]", keys.join(", "));
            let pad = 42usize.saturating_sub(line.chars().count()).max(1);
            s.push_str(&format!(
                "{line}{}# {}\n",
                " ".repeat(pad),
                action.describe()
            ));
        }
    }
    s
}

/// `text` as comment lines of at most 88 columns.
fn wrap_comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() + 1 + word.len() > 88 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        assert_eq!(line_col("ab\ncdé\nx", 0), (1, 1));
        assert_eq!(line_col("ab\ncdé\nx", 3), (2, 1));
        assert_eq!(line_col("ab\ncdé\nx", 8), (3, 1));
        assert_eq!(line_col("ab\ncdé\nx", 7), (2, 4));
    }
}
