//! People and military units that the gazetteer does not list: names after a title or role
//! (`Foreign Minister Andrii Sybiha`, `regional governor Oleh Syniehubov`), names that start
//! with a known first name, and units by their number (`the 47th Mechanised Brigade`). A
//! person once named is found again by surname alone or after `Mr.`/`Ms.` in the same
//! article, and a gazetteer person's surname finds them too.

use std::collections::HashMap;

use super::gazetteer::{Found, Gazetteer, fold_token};
use super::text::{Token, TokenKind};

/// Words that introduce a person's name.
const TITLES: &[&str] = &[
    "president",
    "minister",
    "governor",
    "mayor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commander",
    "commander-in-chief",
    "chief",
    "head",
    "general",
    "gen",
    "colonel",
    "col",
    "lieutenant",
    "lt",
    "captain",
    "sergeant",
    "ambassador",
    "envoy",
    "aide",
    "adviser",
    "advisor",
    "secretary",
    "chancellor",
    "premier",
    "ombudsman",
    "prosecutor",
    "deputy",
    "senator",
    "official",
    "analyst",
    "mr",
    "mrs",
    "ms",
    "dr",
    "pope",
    "director",
    "chairman",
    "chairwoman",
    "leader",
    "representative",
    "administrator",
    "officer",
];

/// First names common in this reporting.
const FIRST_NAMES: &[&str] = &[
    "volodymyr",
    "oleksandr",
    "oleksii",
    "oleksiy",
    "andrii",
    "andriy",
    "oleh",
    "ihor",
    "serhii",
    "serhiy",
    "vitalii",
    "vitaliy",
    "vitali",
    "yurii",
    "yuriy",
    "dmytro",
    "mykola",
    "mykhailo",
    "vasyl",
    "petro",
    "pavlo",
    "taras",
    "roman",
    "maksym",
    "denys",
    "kyrylo",
    "rustem",
    "yulia",
    "olena",
    "iryna",
    "natalia",
    "tetiana",
    "anna",
    "maria",
    "viktoria",
    "svitlana",
    "ivan",
    "yevhen",
    "vadym",
    "artem",
    "bohdan",
    "yaroslav",
    "valerii",
    "anatolii",
    "heorhii",
    "ruslan",
    "fedir",
    "borys",
    "stepan",
    "illia",
    "nazar",
    "filip",
    "tymur",
    "vyacheslav",
    "volodymyr",
    "sergei",
    "sergey",
    "vladimir",
    "dmitry",
    "dmitri",
    "alexander",
    "alexei",
    "alexey",
    "andrei",
    "andrey",
    "valery",
    "yevgeny",
    "evgeny",
    "denis",
    "leonid",
    "igor",
    "mikhail",
    "nikolai",
    "kirill",
    "yuri",
    "viktor",
    "vasily",
    "veniamin",
    "gleb",
    "ramzan",
    "maria",
    "donald",
    "joe",
    "marco",
    "steve",
    "keith",
    "emmanuel",
    "keir",
    "friedrich",
    "olaf",
    "recep",
    "hakan",
    "rafael",
    "antonio",
    "mark",
    "ursula",
    "kaja",
    "giorgia",
    "jd",
    "antony",
    "lloyd",
    "jake",
    "boris",
    "rishi",
    "jens",
    "josep",
    "pete",
    "mike",
    "john",
    "james",
    "david",
    "robert",
    "michael",
    "kim",
    "xi",
    "alexander",
    "tom",
    "peter",
    "paul",
    "martin",
];

const UNIT_WORDS: &[&str] = &[
    "brigade",
    "regiment",
    "battalion",
    "division",
    "army",
    "corps",
    "fleet",
    "squadron",
    "group",
];

/// A unit numbered in Ukrainian (`63-тя механізована бригада`, `47-ї окремої
/// механізованої бригади`), in its English name, and the token it ends on.
fn ukrainian_unit(tokens: &[Token<'_>], k: usize) -> Option<(String, usize)> {
    let number = tokens.get(k).filter(|t| t.kind == TokenKind::Number)?;
    let n: u32 = number.text.parse().ok()?;
    let (dash, suffix) = (tokens.get(k + 1)?, tokens.get(k + 2)?);
    let ordinal = dash.text == "-"
        && dash.start == number.end
        && suffix.start == dash.end
        && matches!(
            suffix.text,
            "тя" | "та" | "й" | "ї" | "ої" | "у" | "ю" | "го"
        );
    if !ordinal {
        return None;
    }
    let english = |w: &str| -> Option<&'static str> {
        const WORDS: &[(&str, &str)] = &[
            ("механізован", "Mechanised"),
            ("десантно-штурмов", "Air Assault"),
            ("гірсько-штурмов", "Mountain Assault"),
            ("штурмов", "Assault"),
            ("танков", "Tank"),
            ("артилерійськ", "Artillery"),
            ("президентськ", "Presidential"),
        ];
        WORDS
            .iter()
            .find(|(stem, _)| w.starts_with(stem))
            .map(|(_, e)| *e)
    };
    let noun = |w: &str| -> Option<&'static str> {
        if w.starts_with("бригад") {
            Some("Brigade")
        } else if w.starts_with("полк") {
            Some("Regiment")
        } else if w.starts_with("батальйон") {
            Some("Battalion")
        } else {
            None
        }
    };
    let mut words = Vec::new();
    for (j, t) in tokens.iter().enumerate().take(k + 7).skip(k + 3) {
        let w = t.lower();
        if let Some(noun) = noun(&w) {
            let th = match (n % 100, n % 10) {
                (11..=13, _) => "th",
                (_, 1) => "st",
                (_, 2) => "nd",
                (_, 3) => "rd",
                _ => "th",
            };
            words.push(noun);
            return Some((format!("{n}{th} {}", words.join(" ")), j));
        }
        if w.starts_with("окрем") {
            continue;
        }
        words.push(english(&w)?);
    }
    None
}

#[derive(Default)]
pub struct People {
    /// Folded surname → full name, for later mentions.
    surnames: HashMap<String, String>,
}

fn is_title(t: &Token<'_>) -> bool {
    TITLES.contains(&t.lower().trim_end_matches('.'))
}

fn is_name_token(t: &Token<'_>) -> bool {
    t.kind == TokenKind::Word
        && t.is_capitalised()
        && t.text.chars().skip(1).any(char::is_lowercase)
        && !matches!(
            t.text,
            "The"
                | "A"
                | "An"
                | "On"
                | "In"
                | "At"
                | "He"
                | "She"
                | "It"
                | "They"
                | "His"
                | "Her"
                | "Their"
                | "This"
                | "That"
                | "But"
                | "And"
                | "Monday"
                | "Tuesday"
                | "Wednesday"
                | "Thursday"
                | "Friday"
                | "Saturday"
                | "Sunday"
                | "Ukraine"
                | "Russia"
                | "Ukrainian"
                | "Russian"
                | "Kyiv"
                | "Moscow"
                | "Air"
                | "Force"
                | "Regional"
                | "Military"
                | "Administration"
                | "Ministry"
                | "Defence"
                | "Defense"
                | "Foreign"
                | "General"
                | "Staff"
                | "Security"
                | "Service"
                | "Council"
                | "National"
        )
}

impl People {
    /// People and units in a sentence, not inside a gazetteer match: (name, kind, first
    /// token, last token, rule).
    pub fn find(
        &mut self,
        tokens: &[Token<'_>],
        gazetteer_hits: &[Found],
        g: &Gazetteer,
    ) -> Vec<(String, &'static str, usize, usize, &'static str)> {
        let covered = |k: usize| gazetteer_hits.iter().any(|f| f.first <= k && k <= f.last);
        // Gazetteer people teach their surnames.
        for f in gazetteer_hits {
            let e = &g.entries[f.entry];
            if e.kind == "person"
                && let Some(last) = e.name.split_whitespace().last()
            {
                self.surnames.insert(fold_token(last), e.name.clone());
            }
        }
        let mut out = Vec::new();
        let mut k = 0;
        while k < tokens.len() {
            if covered(k) {
                k += 1;
                continue;
            }
            let t = &tokens[k];
            // Units in Ukrainian: `63-тя механізована бригада` → 63rd Mechanised Brigade.
            if let Some((name, last)) = ukrainian_unit(tokens, k) {
                out.push((name, "military_unit", k, last, "unit-number"));
                k = last + 1;
                continue;
            }
            // Units: 47th Mechanised Brigade.
            if t.kind == TokenKind::Number
                && tokens.get(k + 1).is_some_and(|n| {
                    n.start == t.end && matches!(n.text, "th" | "st" | "nd" | "rd")
                })
            {
                let mut j = k + 2;
                while j < tokens.len() && j < k + 7 && tokens[j].is_capitalised() {
                    if UNIT_WORDS.contains(&tokens[j].lower().as_str()) {
                        let name: String =
                            std::iter::once(format!("{}{}", t.text, tokens[k + 1].text))
                                .chain(tokens[k + 2..=j].iter().map(|t| t.text.to_string()))
                                .collect::<Vec<_>>()
                                .join(" ");
                        out.push((name, "military_unit", k, j, "unit-number"));
                        k = j;
                        break;
                    }
                    j += 1;
                }
                k += 1;
                continue;
            }
            // A title written with a capital (`Energy Minister`, `Acting Mayor`) is not part
            // of the name that follows it.
            if is_name_token(t) && is_title(t) {
                k += 1;
                continue;
            }
            // A name: two or three name tokens.
            if is_name_token(t) {
                let mut j = k;
                while j + 1 < tokens.len()
                    && j < k + 2
                    && is_name_token(&tokens[j + 1])
                    && !is_title(&tokens[j + 1])
                    && !covered(j + 1)
                {
                    j += 1;
                }
                let words: Vec<&str> = tokens[k..=j].iter().map(|t| t.text).collect();
                let first = fold_token(words[0]);
                let titled = k > 0 && {
                    let before = tokens[k - 1].lower();
                    let before = before.trim_end_matches('.');
                    TITLES.contains(&before)
                        || (k > 1
                            && tokens[k - 1].text == "."
                            && TITLES.contains(&tokens[k - 2].lower().as_str()))
                };
                let full = words.len() >= 2 && (FIRST_NAMES.contains(&first.as_str()) || titled);
                if full {
                    let name = words.join(" ");
                    let surname = fold_token(words[words.len() - 1]);
                    let name = self.surnames.get(&surname).cloned().unwrap_or(name);
                    self.surnames.insert(surname, name.clone());
                    out.push((
                        name,
                        "person",
                        k,
                        j,
                        if titled {
                            "person-title"
                        } else {
                            "person-first-name"
                        },
                    ));
                    k = j + 1;
                    continue;
                }
                // A surname seen before (`Sybiha said`, `Mr. Sybiha`).
                if let Some(name) = self.surnames.get(&fold_token(t.text)) {
                    out.push((name.clone(), "person", k, k, "person-surname"));
                }
                k = j + 1;
                continue;
            }
            k += 1;
        }
        out
    }
}
