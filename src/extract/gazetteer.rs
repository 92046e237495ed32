//! The gazetteer that ships with sitrep (`gazetteer/*.tsv`, compiled in): places,
//! organisations, people and weapons with their aliases and transliterations, and the
//! matching of their names in a sentence's tokens — longest name first, case-sensitive for
//! names written with a capital, and by stem for Ukrainian and Russian words so that
//! `Харкові` and `Харкова` find `Харків`.

use std::collections::HashMap;

use super::text::{Token, TokenKind, tokens};

const PLACES: &str = include_str!("../../gazetteer/places.tsv");
const ORGANISATIONS: &str = include_str!("../../gazetteer/organisations.tsv");
const PEOPLE: &str = include_str!("../../gazetteer/people.tsv");
const WEAPONS: &str = include_str!("../../gazetteer/weapons.tsv");

/// One thing the gazetteer knows.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    /// place, organisation, military_unit, person or weapon.
    pub kind: &'static str,
    /// The place's or organisation's sort (city, oblast, air_base…), a person's role, a
    /// weapon's class.
    pub subkind: String,
    pub country: String,
    /// A place's first-level region.
    pub region: String,
    /// Every other spelling the gazetteer knows (transliterations, other scripts).
    pub aliases: Vec<String>,
}

/// A gazetteer name found in a sentence: tokens `first..=last`.
#[derive(Debug, Clone)]
pub struct Found {
    pub entry: usize,
    pub first: usize,
    pub last: usize,
}

pub struct Gazetteer {
    pub entries: Vec<Entry>,
    /// Folded name → (entry, whether the text must be capitalised).
    exact: HashMap<String, Vec<(usize, bool)>>,
    /// Stemmed Cyrillic name → entry.
    stems: HashMap<String, Vec<usize>>,
    longest: usize,
}

/// A token as a look-up key: lower case, plain apostrophes, accents dropped.
pub fn fold_token(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    for c in t.chars() {
        let c = match c {
            '’' | 'ʼ' | '`' | '‘' => '\'',
            'á' | 'à' | 'â' | 'ä' | 'Á' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ş' | 'Ş' => 's',
            'ğ' => 'g',
            'ı' | 'İ' => 'i',
            '\u{301}' => continue,
            c => c,
        };
        s.extend(c.to_lowercase());
    }
    s
}

fn is_cyrillic(t: &str) -> bool {
    t.chars().any(super::romanise::is_cyrillic)
}

/// A Cyrillic word without its case ending (up to three letters, keeping four).
pub fn stem(word: &str) -> String {
    const ENDINGS: &str = "аеєиіїоуюяйьмхвґ";
    let mut chars: Vec<char> = word.chars().collect();
    let mut cut = 0;
    while chars.len() > 4 && cut < 4 && chars.last().is_some_and(|c| ENDINGS.contains(*c)) {
        chars.pop();
        cut += 1;
    }
    chars.into_iter().collect()
}

/// A folded token as part of a key: a possessive `'s` is dropped, so `Ukraine's General
/// Staff` and `Kharkiv region's` find their names.
/// A Ukrainian or Russian adjective (by its ending) followed by a lower-case word.
fn adjective_before_noun(toks: &[Token<'_>], at: usize) -> bool {
    const ENDINGS: &[&str] = &[
        "ої", "ий", "ого", "ому", "их", "ими", "ій", "ська", "цька", "ське", "цьке", "ські",
        "цькі", "ская", "кая", "кой", "кий", "ский",
    ];
    let w = toks[at].text.to_lowercase();
    ENDINGS.iter().any(|e| w.ends_with(e))
        && toks
            .get(at + 1)
            .is_some_and(|t| is_cyrillic(t.text) && !t.is_capitalised())
}

fn key_token(t: &str) -> String {
    let f = fold_token(t);
    match f.strip_suffix("'s") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => f,
    }
}

fn key_of(tokens: &[Token<'_>]) -> String {
    tokens
        .iter()
        .map(|t| key_token(t.text))
        .collect::<Vec<_>>()
        .join(" ")
}

fn stem_key_of(tokens: &[Token<'_>]) -> String {
    tokens
        .iter()
        .map(|t| {
            let f = key_token(t.text);
            if is_cyrillic(&f) { stem(&f) } else { f }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Gazetteer {
    /// The gazetteer compiled into sitrep.
    pub fn bundled() -> Gazetteer {
        let mut g = Gazetteer {
            entries: Vec::new(),
            exact: HashMap::new(),
            stems: HashMap::new(),
            longest: 1,
        };
        // (file, kind, column of subkind, column of country, column of region, aliases)
        g.load(PLACES, "place", 1, Some(2), Some(3), 4);
        g.load(ORGANISATIONS, "organisation", 1, Some(2), None, 3);
        g.load(PEOPLE, "person", 1, Some(2), None, 3);
        g.load(WEAPONS, "weapon", 1, None, None, 2);
        g
    }

    fn load(
        &mut self,
        text: &str,
        kind: &'static str,
        subkind: usize,
        country: Option<usize>,
        region: Option<usize>,
        aliases: usize,
    ) {
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let Some(name) = cols.first().map(|s| s.trim()).filter(|s| !s.is_empty()) else {
                continue;
            };
            let col = |k: Option<usize>| {
                k.and_then(|k| cols.get(k))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let id = self.entries.len();
            // Named formations (brigades, groups of forces) are military units.
            let kind = if kind == "organisation" && col(Some(subkind)) == "unit" {
                "military_unit"
            } else {
                kind
            };
            self.entries.push(Entry {
                name: name.to_string(),
                kind,
                subkind: col(Some(subkind)),
                country: col(country),
                region: col(region),
                aliases: Vec::new(),
            });
            self.add_name(name, id);
            for alias in cols.get(aliases).copied().unwrap_or("").split('|') {
                let alias = alias.trim();
                if !alias.is_empty() {
                    self.add_name(alias, id);
                    self.entries[id].aliases.push(alias.to_string());
                }
            }
        }
    }

    fn add_name(&mut self, name: &str, id: usize) {
        let toks = tokens(name, 0);
        if toks.is_empty() {
            return;
        }
        self.longest = self.longest.max(toks.len());
        let capital = toks[0].is_capitalised() && !is_cyrillic(toks[0].text);
        let list = self.exact.entry(key_of(&toks)).or_default();
        if !list.iter().any(|(e, _)| *e == id) {
            list.push((id, capital));
        }
        if toks.iter().any(|t| is_cyrillic(t.text)) {
            let list = self.stems.entry(stem_key_of(&toks)).or_default();
            if !list.contains(&id) {
                list.push(id);
            }
        }
    }

    /// The entry named exactly so (any alias), of this kind.
    pub fn lookup(&self, name: &str, kind: Option<&str>) -> Option<usize> {
        let toks = tokens(name, 0);
        self.exact
            .get(&key_of(&toks))?
            .iter()
            .map(|(e, _)| *e)
            .find(|e| kind.is_none_or(|k| self.entries[*e].kind == k))
    }

    /// Gazetteer names in the tokens, longest first, not overlapping.
    pub fn find(&self, toks: &[Token<'_>]) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if toks[i].kind == TokenKind::Punct && toks[i].text != "." {
                i += 1;
                continue;
            }
            let mut hit = None;
            for len in (1..=self.longest.min(toks.len() - i)).rev() {
                let span = &toks[i..i + len];
                if let Some(list) = self.exact.get(&key_of(span)) {
                    let cap_ok = span[0].is_capitalised() || is_cyrillic(span[0].text);
                    if let Some((e, _)) = list.iter().find(|(_, capital)| !capital || cap_ok) {
                        hit = Some((*e, len));
                        break;
                    }
                }
                // A place is written with a capital: `українських підрозділів` is an
                // adjective, not Українськ.
                // Nor is an adjective before a noun (`Українська сторона`, `Донецької та
                // Запорізької областей`) the town its stem shares.
                if span.iter().any(|t| is_cyrillic(t.text))
                    && let Some(list) = self.stems.get(&stem_key_of(span))
                    && (self.entries[list[0]].kind != "place"
                        || (span[0].is_capitalised() && !adjective_before_noun(toks, i + len - 1)))
                {
                    hit = Some((list[0], len));
                    break;
                }
            }
            match hit {
                Some((entry, len)) => {
                    out.push(Found {
                        entry,
                        first: i,
                        last: i + len - 1,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        self.coordinated_regions(toks, &mut out);
        out
    }

    /// `у Харківській та Дніпропетровській областях`: adjectives joined to a plural region
    /// noun each name a region of their own.
    fn coordinated_regions(&self, toks: &[Token<'_>], out: &mut Vec<Found>) {
        let mut extra = Vec::new();
        for f in out.iter() {
            let noun = fold_token(toks[f.last].text);
            if f.last != f.first + 1 || !noun.starts_with("област") {
                continue;
            }
            let mut k = f.first;
            while k >= 2 {
                let joint = toks[k - 1].text;
                if !matches!(joint, "та" | "і" | "й" | "," | "и") {
                    break;
                }
                let adjective = &toks[k - 2];
                if !is_cyrillic(adjective.text)
                    || out.iter().any(|o| o.first <= k - 2 && k - 2 <= o.last)
                {
                    break;
                }
                let key = format!("{} област", stem(&fold_token(adjective.text)));
                let Some(&entry) = self.stems.get(&key).and_then(|l| l.first()) else {
                    break;
                };
                extra.push(Found {
                    entry,
                    first: k - 2,
                    last: k - 2,
                });
                k -= 2;
            }
        }
        out.extend(extra);
        out.sort_by_key(|f| f.first);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::sentences;

    fn places(text: &str) -> Vec<String> {
        let g = Gazetteer::bundled();
        sentences(text)
            .iter()
            .flat_map(|s| g.find(&s.tokens))
            .map(|f| g.entries[f.entry].name.clone())
            .collect()
    }

    #[test]
    fn ukrainian_case_endings_find_the_place() {
        assert_eq!(places("Удар по Харкову."), ["Kharkiv"]);
        assert_eq!(places("Вибухи у Харкові."), ["Kharkiv"]);
        // і/є alternate in the stem: Миколаїв, у Миколаєві.
        assert_eq!(places("Загинули у Миколаєві."), ["Mykolaiv"]);
        assert_eq!(places("Атака на Миколаїв."), ["Mykolaiv"]);
        // A lower-case adjective is no town: `українських` is not Українськ.
        assert!(places("Під контролем українських підрозділів.").is_empty());
        assert!(places("Українська сторона не коментувала.").is_empty());
        assert_eq!(
            places("На межі Донецької та Запорізької областей."),
            ["Donetsk Oblast", "Zaporizhzhia Oblast"]
        );
    }
}
