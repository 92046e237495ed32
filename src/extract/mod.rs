//! `sitrep extract`'s engine: from an article's body and publication date to the events,
//! figures, dates and entities it reports, each with the rule that found it and the
//! sentence and span it came from. Pure: no archive is touched here (see [`store`]).
//!
//! The rules, in order: split the body into sentences ([`text`]); find counts
//! ([`numbers`]) and give each a kind from the noun it counts and the verb nearest to it
//! (launched, shot down, jammed, killed, wounded, evacuated, captured, freed); resolve each
//! sentence's date ([`dates`]), else the paragraph's, else the article's lead date, else
//! the publication day at week precision; find places, organisations, people and weapons
//! from the gazetteer ([`gazetteer`]) and people from titles and first names ([`people`]);
//! group figures by date and event type into events.

pub mod dates;
pub mod evaluate;
pub mod gazetteer;
pub mod numbers;
pub mod people;
pub mod places;
mod resolve;
pub mod romanise;
pub mod store;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;

use gazetteer::Gazetteer;
use numbers::Amount;
use text::{Sentence, Token};

/// Where an extracted item came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub rule: String,
    pub sentence: usize,
    /// Byte span in the body.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub kind: String,
    pub value: Option<i64>,
    pub qualifier: &'static str,
    /// The side that launched or suffered: `russia` or `ukraine`.
    pub side: Option<&'static str>,
    pub weapon: Option<String>,
    pub evidence: Evidence,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub event_type: &'static str,
    pub date: NaiveDate,
    pub precision: &'static str,
    pub date_rule: String,
    pub place: Option<Place>,
    /// The side a sentence of the event names as the attacker (see [`attacker`]); the side
    /// that launched is on the figures.
    pub actor: Option<&'static str>,
    pub figures: Vec<Figure>,
    pub evidence: Evidence,
}

/// Where an event happened: a gazetteer entry, or a place the sentence introduced
/// (`the village of Kalynove`) that the gazetteer does not list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub entry: Option<usize>,
    pub name: String,
}

impl Place {
    fn listed(entry: usize, g: &Gazetteer) -> Place {
        Place {
            entry: Some(entry),
            name: g.entries[entry].name.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    /// person, organisation, place, military_unit or weapon.
    pub kind: &'static str,
    /// The gazetteer entry, when it came from there.
    pub entry: Option<usize>,
    pub evidence: Evidence,
}

/// What one article yields.
#[derive(Debug, Default)]
pub struct Extraction {
    pub events: Vec<Event>,
    pub entities: Vec<Entity>,
}

/// An article as the extractor reads it.
pub struct Article<'a> {
    pub body: &'a str,
    pub published: NaiveDate,
}

/// What a count counts, from the noun after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Drone,
    Missile,
    Person,
    Aircraft,
    Settlement,
    Prisoner,
}

fn counted_by(word: &str) -> Option<Counted> {
    let w = word.trim_end_matches("'s");
    let starts = |p: &[&str]| p.iter().any(|s| w.starts_with(s));
    if starts(&[
        "drone",
        "uav",
        "shahed",
        "geran",
        "дрон",
        "безпілотн",
        "бпла",
        "ударних",
        "ударними",
        "decoy",
        "lancet",
        // "five uncrewed boats": sea drones.
        "uncrewed",
        "unmanned",
    ]) {
        return Some(Counted::Drone);
    }
    if starts(&[
        "missile",
        "ракет",
        "kinzhal",
        "kalibr",
        "iskander",
        "іскандер",
    ]) {
        return Some(Counted::Missile);
    }
    if starts(&[
        "aircraft",
        "plane",
        "jet",
        "bomber",
        "helicopter",
        "warplane",
        "літак",
    ]) {
        return Some(Counted::Aircraft);
    }
    if starts(&[
        "settlement",
        "village",
        "town",
        "communit",
        "hromad",
        "населен",
        "сіл",
        "сел",
    ]) {
        return Some(Counted::Settlement);
    }
    if starts(&["prisoner", "pow", "captive", "полонен"]) {
        return Some(Counted::Prisoner);
    }
    if starts(&[
        "people",
        "person",
        "civilian",
        "resident",
        "child",
        "soldier",
        "servicem",
        "servicewom",
        "troop",
        "men",
        "women",
        "man",
        "woman",
        "victim",
        "pensioner",
        "worker",
        "rescuer",
        "medic",
        "local",
        "adult",
        "teen",
        "girl",
        "boy",
        "infant",
        "baby",
        "police",
        "officer",
        "employee",
        "passenger",
        "firefighter",
        "journalist",
        "volunteer",
        "miner",
        "others",
        "ukrainians",
        "russians",
        "citizens",
        "defenders",
        "hostages",
        "людей",
        "людин",
        "осіб",
        "особи",
        "цивільн",
        "діт",
        "дитин",
        "мешкан",
        "військов",
        "жінк",
        "чоловік",
    ]) || w == "member"
        || w == "members"
    {
        return Some(Counted::Person);
    }
    None
}

/// A verb or phrase that says what happened to what was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    Launched,
    Destroyed,
    Suppressed,
    Killed,
    Injured,
    Missing,
    Evacuated,
    Captured,
    Damaged,
    Freed,
}

fn measure_of(tokens: &[Token<'_>], i: usize) -> Option<(Measure, &'static str)> {
    let w = tokens.get(i)?.lower();
    let next = tokens.get(i + 1).map(|t| t.lower()).unwrap_or_default();
    let prev = if i > 0 {
        tokens[i - 1].lower()
    } else {
        String::new()
    };
    let s = w.as_str();
    let starts = |p: &[&str]| p.iter().any(|x| s.starts_with(x));
    Some(match s {
        "shot" | "shooting" | "knocked" | "brought" | "bringing" | "took" | "taken" | "taking"
            if next == "down" =>
        {
            (Measure::Destroyed, "shot-down")
        }
        "downed" | "intercepted" | "intercepting" | "destroyed" | "destroying" | "neutralised"
        | "neutralized" | "repelled" => (Measure::Destroyed, "shot-down"),
        "jammed" | "suppressed" | "vanished" => (Measure::Suppressed, "jammed"),
        "lost"
            if matches!(next.as_str(), "from" | "to" | "locally" | "on" | "\"" | "”")
                || matches!(prev.as_str(), "locationally" | "\"" | "“") =>
        {
            (Measure::Suppressed, "jammed")
        }
        "electronic" if next == "warfare" => (Measure::Suppressed, "jammed"),
        "reach" | "reached" if matches!(prev.as_str(), "not" | "failed" | "to") => {
            (Measure::Suppressed, "jammed")
        }
        "launched" | "launching" | "launch" | "fired" | "firing" | "sent" | "sending"
        | "attacked" | "deployed" | "unleashed" | "targeted" | "barrage" => {
            (Measure::Launched, "launched")
        }
        "killed" | "killing" | "dead" | "died" | "deaths" | "death" | "lives" => {
            (Measure::Killed, "killed")
        }
        // "Up to 40 servicemen were eliminated" (of people; drones are `destroyed`).
        "eliminated" => (Measure::Killed, "killed"),
        "injured" | "injuring" | "wounded" | "wounding" | "hurt" | "injuries" | "hospitalised"
        | "hospitalized" => (Measure::Injured, "injured"),
        "missing" => (Measure::Missing, "missing"),
        "evacuated" | "evacuation" | "evacuate" | "evacuating" => (Measure::Evacuated, "evacuated"),
        // "ordered families with children to leave 27 settlements".
        "leave" if prev == "to" => (Measure::Evacuated, "ordered-to-leave"),
        "captured" | "capturing" | "seized" | "took" | "taken" | "liberated" | "occupied"
        | "retaken" | "retook" | "recaptured" => (Measure::Captured, "captured"),
        "damaged" | "damaging" | "hit" | "hitting" | "struck" => (Measure::Damaged, "hit"),
        "freed" | "released" | "swapped" | "exchanged" | "returned" | "exchange" | "swap"
        | "repatriated" => (Measure::Freed, "freed"),
        "home"
            if matches!(
                prev.as_str(),
                "came" | "come" | "coming" | "brought" | "returned"
            ) =>
        {
            (Measure::Freed, "freed")
        }
        // "carried about 8,000 people out of the Donetsk region".
        "out"
            if next == "of"
                && tokens[i.saturating_sub(6)..i].iter().any(|t| {
                    matches!(
                        t.lower().as_str(),
                        "carried"
                            | "ferried"
                            | "bused"
                            | "bussed"
                            | "moved"
                            | "brought"
                            | "took"
                            | "taken"
                    )
                }) =>
        {
            (Measure::Evacuated, "evacuated")
        }
        _ if starts(&["захопи", "захопл", "окупува"]) => {
            (Measure::Captured, "captured")
        }
        _ if starts(&["збил", "збит", "збива", "знешкодж", "знищ", "перехопл"]) => {
            (Measure::Destroyed, "shot-down")
        }
        // "Ще 22 людини вважаються зниклими безвісти": missing people, not lost drones.
        _ if starts(&["зникл"])
            && tokens
                .get(i + 1)
                .is_some_and(|t| t.lower().starts_with("безвіст")) =>
        {
            (Measure::Missing, "missing")
        }
        _ if starts(&["подавл", "зникл", "локаційно", "долетіл"]) => {
            (Measure::Suppressed, "jammed")
        }
        _ if starts(&[
            "атакува",
            "випусти",
            "запусти",
            "застосува",
            "атак",
            "зафіксова",
        ]) =>
        {
            (Measure::Launched, "launched")
        }
        _ if starts(&["загину", "загибл", "вбит", "вбив"]) => {
            (Measure::Killed, "killed")
        }
        _ if starts(&["поранен", "травмов", "постражд"]) => {
            (Measure::Injured, "injured")
        }
        _ if starts(&["евакуй", "евакуац"]) => (Measure::Evacuated, "evacuated"),
        _ if starts(&["поверну", "обмін", "звільн"]) => (Measure::Freed, "freed"),
        _ => return None,
    })
}

fn kind_for(counted: Counted, measure: Measure) -> Option<&'static str> {
    use Counted::*;
    use Measure::*;
    Some(match (counted, measure) {
        (Drone, Launched) => "drones_launched",
        (Drone, Destroyed) => "drones_destroyed",
        (Drone, Suppressed) => "drones_suppressed",
        (Missile, Launched) => "missiles_launched",
        (Missile, Destroyed) => "missiles_destroyed",
        (Person, Killed) => "killed",
        (Person, Injured) => "injured",
        (Person, Missing) => "missing",
        (Person, Evacuated) => "evacuated",
        (Person | Prisoner, Freed) => "prisoners_exchanged",
        (Aircraft, Destroyed) => "aircraft_destroyed",
        (Aircraft, Damaged) => "aircraft_damaged",
        (Drone | Missile, Damaged) => match counted {
            Drone => "drones_launched",
            _ => "missiles_launched",
        },
        (Settlement, Captured) => "settlements_captured",
        (Settlement, Evacuated) => "settlements_evacuated",
        _ => return None,
    })
}

/// The noun a count counts: the first noun-like word within six tokens after it that says
/// what it is, not crossing punctuation other than hyphens (`472 Shahed-type attack
/// drones`, `three Iskander-M or KN-23 ballistic missiles`).
fn counted_after(tokens: &[Token<'_>], last: usize) -> Option<(Counted, usize)> {
    let end = (last + 8).min(tokens.len());
    for (k, t) in tokens.iter().enumerate().take(end).skip(last + 1) {
        if t.kind == text::TokenKind::Punct && !matches!(t.text, "-" | "/") {
            return None;
        }
        let w = t.lower();
        // "14 aircraft-type UAVs" are drones (but "Shahed-type" ones are drones too).
        let aircraft_type = w.ends_with("-type") && counted_by(&w) == Some(Counted::Aircraft);
        if let Some(c) = counted_by(&w).filter(|_| !aircraft_type) {
            return Some((c, k));
        }
        // "13 cruise and ballistic missiles": `and` between two kinds of weapon.
        let kind_word = |k: usize| {
            tokens.get(k).is_some_and(|t| {
                matches!(
                    t.lower().as_str(),
                    "cruise"
                        | "ballistic"
                        | "hypersonic"
                        | "guided"
                        | "anti-aircraft"
                        | "air-launched"
                        | "attack"
                        | "decoy"
                        | "крилатих"
                        | "балістичних"
                        | "керованих"
                )
            })
        };
        if matches!(w.as_str(), "and" | "or" | "та" | "і" | "й")
            && kind_word(k - 1)
            && kind_word(k + 1)
        {
            continue;
        }
        // A verb or preposition ends the noun phrase.
        if matches!(
            w.as_str(),
            "were"
                | "was"
                | "had"
                | "have"
                | "in"
                | "on"
                | "at"
                | "from"
                | "and"
                | "but"
                | "that"
                | "who"
                | "which"
                | "with"
                | "to"
                | "by"
                | "за"
                | "та"
                | "і"
                | "й"
                | "when"
                | "after"
                | "as"
                | "while"
                | "because"
                | "внаслідок"
                | "дістали"
                | "отримали"
                | "зазнали"
        ) && k > last + 1
        {
            // "of the four cruise missiles" is handled by the caller; "and" may join two
            // adjectives only rarely.
            return None;
        }
    }
    None
}

/// The measure nearest to token `at` in the sentence (the clause first, then across `;`).
///
/// After `ще`/`another`, a measure before the count that another count stands between
/// governs that one (`загинула одна людина, ще дев’ятеро … дістали поранення`), so it comes
/// second to a measure after the count.
fn nearest_measure(
    tokens: &[Token<'_>],
    at: usize,
    after: usize,
    counts: &[usize],
    counted: Option<Counted>,
) -> Option<(Measure, &'static str, usize)> {
    // "17 were injured", "drones were shot down": a passive verb after the count is its own.
    let passive = tokens.get(after + 1).is_some_and(|t| {
        matches!(
            t.lower().as_str(),
            "were" | "was" | "have" | "has" | "had" | "are" | "is" | "got"
        )
    });
    let another = at > 0 && matches!(tokens[at - 1].lower().as_str(), "ще" | "another");
    let mut best: Option<(Measure, &'static str, usize, usize)> = None;
    for k in 0..tokens.len() {
        if k >= at && k <= after {
            continue;
        }
        if let Some((m, rule)) = measure_of(tokens, k) {
            // "17 people … slammed into": a verb that cannot measure the counted noun is
            // not its verb.
            if counted.is_some_and(|c| kind_for(c, m).is_none()) {
                continue;
            }
            let crosses = {
                let (a, b) = if k < at { (k, at) } else { (after, k) };
                tokens[a..b].iter().any(|t| t.text == ";")
            };
            let distance = if k < at {
                2 * (at - k) + 1
            } else if passive {
                (k - after).saturating_sub(1)
            } else {
                2 * (k - after)
            } + if crosses { 100 } else { 0 }
                + if k < at && another && counts.iter().any(|&c| k < c && c < at) {
                    20
                } else {
                    0
                }
                // "54 of the drones, while another 52 drones were lost": a later count
                // stands between, and the verb after it is that count's ("37 missiles and
                // 55 drones were destroyed" share theirs).
                + if k > after
                    && counts.iter().any(|&c| {
                        after < c
                            && c < k
                            && !tokens[after + 1..c]
                                .iter()
                                .all(|t| t.is("and") || t.is("or") || t.text == ",")
                    })
                {
                    20
                } else {
                    0
                };
            if best.is_none_or(|b| distance < b.3) {
                best = Some((m, rule, k, distance));
            }
        }
    }
    best.map(|(m, r, k, _)| (m, r, k))
}

/// The clause holding token `at`: from the punctuation before it to the punctuation after
/// it (commas, semicolons, colons, dashes and brackets end clauses).
fn clause(tokens: &[Token<'_>], at: usize) -> (usize, usize) {
    let ends = |t: &Token<'_>| matches!(t.text, "," | ";" | ":" | "–" | "—" | "(" | ")");
    let start = tokens[..at].iter().rposition(ends).map_or(0, |p| p + 1);
    let end = tokens[at..]
        .iter()
        .position(ends)
        .map_or(tokens.len(), |p| at + p);
    (start, end)
}

/// A count that is background, not a report of an event: an earlier record, a running
/// total, a tally over a period, an average, a need or a plan. Decided on the count's own
/// clause, so that `the deadliest attack since the summer` elsewhere in the sentence does
/// not hide the toll.
fn is_background(tokens: &[Token<'_>], amount: &Amount) -> bool {
    let (start, end) = clause(tokens, amount.number);
    let words: Vec<String> = tokens[start..end].iter().map(|t| t.lower()).collect();
    let all: Vec<String> = tokens.iter().map(|t| t.lower()).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let superlative = |i: usize| {
        words[i.saturating_sub(7)..i]
            .iter()
            .any(|w| w.ends_with("est") || w == "most" || w == "biggest" || w == "record")
    };
    // "the previous record, 728 drones, was set …": the count after an earlier record, or in
    // its clause; a count before it is the new one ("472 drones …, eclipsing the previous
    // record of 355").
    let earlier = |w: &String| matches!(w.as_str(), "previous" | "earlier" | "former" | "old");
    let record = (words.iter().any(|w| w == "record") && words.iter().any(earlier))
        || all.iter().enumerate().any(|(r, w)| {
            w == "record" && r < amount.first && all[r.saturating_sub(3)..r].iter().any(earlier)
        });
    // "the village, home to about 330 people before the strike": a population.
    // "Shebekino, a town of about 40,000 people": likewise.
    let population = all[amount.first.saturating_sub(3)..amount.first]
        .windows(2)
        .any(|w| {
            w == ["home", "to"]
                || (matches!(w[0].as_str(), "town" | "city" | "village") && w[1] == "of")
        })
        || has("population")
        || has("inhabitants");
    // "Since 24 February 2022, the UN has verified …", "So far, …": the whole sentence is a
    // running total.
    let opening = all.first().is_some_and(|w| w == "since")
        // "In total, 661 aircraft … have been destroyed since …".
        || all.starts_with(&["in".to_string(), "total".to_string()])
        || all
            .first()
            .is_some_and(|w| matches!(w.as_str(), "overall" | "altogether"))
        || (all.starts_with(&["so".to_string(), "far".to_string()])
            // "So far on Thursday, 56 people have been evacuated": that day's count.
            && !all
                .get(2)
                .is_some_and(|w| matches!(w.as_str(), "on" | "today" | "this")))
        || all.starts_with(&["to".to_string(), "date".to_string()]);
    let since = opening
        || words
            .iter()
            .enumerate()
            .any(|(i, w)| w == "since" && !superlative(i))
        // "З початку тижня", "від початку вторгнення": since the start of …
        || words
            .windows(2)
            .any(|w| matches!(w[0].as_str(), "з" | "від") && w[1] == "початку");
    let so_far = words
        .windows(2)
        .enumerate()
        .any(|(i, w)| (w == ["so", "far"] || w == ["to", "date"]) && !superlative(i));
    let past_period = words.windows(2).any(|w| {
        matches!(w[0].as_str(), "previous" | "past" | "preceding")
            && matches!(
                w[1].as_str(),
                "week" | "month" | "year" | "weeks" | "months" | "fortnight"
            )
    });
    let span = |w: &String| matches!(w.as_str(), "week" | "month" | "year" | "weeks" | "months");
    let opens = |w: &String| {
        matches!(
            w.as_str(),
            "in" | "over" | "during" | "this" | "last" | "past" | "per" | "a"
        )
    };
    // "за минулий тиждень", "за місяць" (but "за минулу добу" is the day's report).
    let uk_span = |w: &String| {
        [
            "тиждень",
            "тижні",
            "тижня",
            "тижнів",
            "місяць",
            "місяці",
            "місяця",
            "місяців",
            "рік",
            "роки",
            "року",
        ]
        .contains(&w.as_str())
    };
    // The week may open the sentence, before the clause of the count: `лише за минулий
    // тиждень противник випустив …, майже 870 … та понад 80 ракет`.
    let uk_period = words
        .iter()
        .chain(all[..amount.first.min(all.len())].iter())
        .collect::<Vec<_>>()
        .windows(3)
        .any(|w| {
            matches!(w[0].as_str(), "за" | "протягом" | "впродовж" | "упродовж")
                && (uk_span(w[1]) || uk_span(w[2]))
        });
    // `in a week`, `this month` (also at the clause's end), `over the past week`; but in
    // "claimed last week that its forces had captured four villages" the week is the
    // claim's.
    let claim = (start..amount.first)
        .rev()
        .find(|&k| tokens[k].is("that"))
        .map_or(0, |k| k + 1 - start);
    let scope = &words[claim.min(words.len())..];
    // "up to 100 missiles a night", "50 drones per day": a rate, not a count.
    let rate = all
        .iter()
        .skip(amount.last + 1)
        .take(4)
        .collect::<Vec<_>>()
        .windows(2)
        .any(|w| {
            matches!(w[0].as_str(), "a" | "per" | "each" | "every")
                && matches!(w[1].as_str(), "night" | "day" | "week" | "month")
        });
    // "Over the week, our air defence destroyed 61 drones": a period that opens the
    // sentence covers every count in it (a sentence opening "Last week," dates one event).
    let opening_period = all
        .first()
        .is_some_and(|w| matches!(w.as_str(), "over" | "during" | "in" | "throughout" | "for"))
        && all.iter().skip(1).take(3).any(span);
    let period = past_period
        || opening_period
        || rate
        || uk_period
        || scope.windows(2).any(|w| opens(&w[0]) && span(&w[1]))
        || scope.windows(3).any(|w| opens(&w[0]) && span(&w[2]));
    // "among them two children", "among those returned were 270 soldiers": parts.
    // "Those freed were 224 servicemen and six civilians": the make-up of a count.
    let make_up = all.first().is_some_and(|w| w == "those")
        && all[..amount.first]
            .iter()
            .any(|w| w == "were" || w == "included");
    let among = make_up
        || words.first().is_some_and(|w| w == "among")
        || all[amount.first.saturating_sub(4)..amount.first]
            .iter()
            .any(|w| w == "among" || w == "серед");
    let near: Vec<&String> = all.iter().skip(amount.last + 1).take(10).collect();
    let still = near.iter().any(|w| *w == "still")
        && near
            .iter()
            .any(|w| w.starts_with("live") || w.starts_with("remain"));
    let in_month = words.windows(2).any(|w| {
        matches!(w[0].as_str(), "in" | "during" | "throughout") && numbers::is_month(&w[1])
    });
    let running = among
        || still
        || in_month
        || (has("bringing") && has("to"))
        || (has("now") && (has("under") || has("total")))
        // "4,131 Ukrainians have now been returned": a running total.
        || words
            .windows(2)
            .any(|w| matches!(w[0].as_str(), "have" | "has") && w[1] == "now")
        || has("altogether")
        || has("cumulative")
        || has("average")
        || words.windows(2).any(|w| w == ["in", "all"]);
    let plan = words[..amount.first.saturating_sub(start).min(words.len())]
        .iter()
        .chain(all[amount.first.saturating_sub(10)..amount.first].iter())
        .any(|w| {
            matches!(
                w.as_str(),
                "would"
                    | "hoped"
                    | "hopes"
                    | "hope"
                    | "aims"
                    | "will"
                    | "could"
                    | "might"
                    | "plans"
                    | "planned"
                    | "promised"
                    | "pledged"
                    | "needs"
                    | "need"
                    | "requested"
                    | "expected"
                    | "proposal"
                    | "proposed"
                    | "offered"
            )
        });
    // "Officials first reported two workers dead", "had initially reported five dead": a
    // count the article goes on to correct.
    let superseded = all[..amount.first].windows(2).any(|w| {
        matches!(w[0].as_str(), "first" | "initially" | "originally")
            && matches!(w[1].as_str(), "reported" | "said" | "put" | "gave")
    }) || (all.first().is_some_and(|w| w == "раніше")
        && all[..amount.first]
            .iter()
            .any(|w| w.starts_with("повідомля")));
    // "received the bodies of 757 soldiers killed in fighting": the dead returned are
    // not the dead of an event.
    let bodies = all[amount.first.saturating_sub(3)..amount.first]
        .windows(2)
        .any(|w| matches!(w[0].as_str(), "bodies" | "remains") && w[1] == "of");
    // "the freed Ukrainians included soldiers, border guards and two civilians": the
    // make-up of people already counted.
    let included = all[start.saturating_sub(4).min(amount.first)..amount.first]
        .iter()
        .any(|w| matches!(w.as_str(), "included" | "include" | "includes"));
    record
        || population
        || since
        || so_far
        || period
        || running
        || plan
        || superseded
        || included
        || bodies
}

/// Which side a sentence says launched or suffered.
fn side_of(
    tokens: &[Token<'_>],
    g: &Gazetteer,
    places: &[usize],
    measure: Measure,
) -> Option<&'static str> {
    let words: Vec<String> = tokens.iter().map(|t| t.lower()).collect();
    let russian = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "russia"
                | "russian"
                | "russia's"
                | "moscow"
                | "enemy"
                | "ворог"
                | "противник"
                | "росія"
                | "росії"
                | "російські"
                | "російських"
        )
    });
    let ukrainian = words
        .iter()
        .any(|w| matches!(w.as_str(), "ukrainian" | "ukraine's" | "kyiv's"));
    // Drones downed over a Russian place are Ukraine's (`Moscow's mayor said several drones
    // had been destroyed`).
    let over_russia = places
        .iter()
        .any(|&p| g.entries[p].country == "Russia" && g.entries[p].subkind != "country");
    // "Ukrainian forces shot down 55 drones", "Russian air defence destroyed …": the side
    // that defends; the drones are the other side's.
    let defender = |nation: &[&str]| {
        words.iter().enumerate().any(|(i, w)| {
            nation.contains(&w.as_str())
                && words[i + 1..].iter().take(2).any(|n| {
                    matches!(
                        n.as_str(),
                        "forces"
                            | "air"
                            | "defence"
                            | "defences"
                            | "defense"
                            | "defenses"
                            | "units"
                            | "troops"
                            | "military"
                            | "army"
                            | "electronic"
                    )
                })
        })
    };
    let defends_ukraine = defender(&["ukrainian", "ukraine's"]);
    let defends_russia = defender(&["russian", "russia's"]);
    match measure {
        Measure::Destroyed | Measure::Suppressed if defends_ukraine != defends_russia => {
            Some(if defends_ukraine { "russia" } else { "ukraine" })
        }
        Measure::Destroyed | Measure::Suppressed if over_russia && !ukrainian => Some("ukraine"),
        Measure::Launched | Measure::Destroyed | Measure::Suppressed => {
            if russian {
                Some("russia")
            } else if ukrainian {
                Some("ukraine")
            } else {
                None
            }
        }
        Measure::Killed
        | Measure::Injured
        | Measure::Missing
        | Measure::Evacuated
        | Measure::Damaged => places
            .iter()
            .find_map(|&p| match g.entries[p].country.as_str() {
                "Ukraine" => Some("ukraine"),
                "Russia" => Some("russia"),
                _ => None,
            }),
        Measure::Captured => russian
            .then_some("russia")
            .or(ukrainian.then_some("ukraine")),
        Measure::Freed => None,
    }
}

/// The type of event a sentence reports, from its words and the kinds of its figures.
fn event_type(tokens: &[Token<'_>], kinds: &[&str]) -> &'static str {
    let words: Vec<String> = tokens.iter().map(|t| t.lower()).collect();
    let has = |p: &str| words.iter().any(|w| w.starts_with(p));
    if kinds.contains(&"prisoners_exchanged")
        || (has("prisoner") && (has("swap") || has("exchange")))
    {
        return "prisoner_exchange";
    }
    if kinds
        .iter()
        .any(|k| k.starts_with("settlements_evacuated") || *k == "evacuated")
        || has("evacuat")
        || has("евакуа")
    {
        return "evacuation";
    }
    if kinds.contains(&"settlements_captured")
        || has("captur")
        || has("liberat")
        || (has("took") && has("control"))
    {
        return "territorial_change";
    }
    let drones = kinds.iter().any(|k| k.starts_with("drones"));
    let missiles = kinds.iter().any(|k| k.starts_with("missiles"));
    // A national tally: both weapons, an air force's or a defence ministry's count, or a
    // count over several regions (`destroyed 337 Ukrainian drones over ten regions`).
    let national = has("air") && has("force")
        || has("повітрян")
        || has("ministry")
        || words.iter().any(|w| w == "regions" || w == "областями");
    if drones && missiles || (drones || missiles) && national {
        return "air_attack";
    }
    if has("talks") || has("negotiat") || has("delegation") || has("peace") || has("summit") {
        return "talks";
    }
    if kinds.contains(&"aircraft_destroyed") {
        return "drone_strike";
    }
    if has("glide") || has("guided") && has("bomb") || has("kab") {
        return "guided_bomb_strike";
    }
    if has("shelling") || has("shelled") || has("artillery") || has("обстріл") {
        return "shelling";
    }
    if has("missile") || has("ракет") || has("iskander") || has("ballistic") {
        return if has("drone") {
            "air_attack"
        } else {
            "missile_strike"
        };
    }
    if has("drone") || has("дрон") || has("безпілот") || has("shahed") {
        return "drone_strike";
    }
    if has("sabotage") || has("explosive") {
        return "sabotage";
    }
    "attack"
}

/// A line of a list: it starts with a dash or a bullet.
fn is_bullet(tokens: &[Token<'_>]) -> bool {
    tokens
        .first()
        .is_some_and(|t| matches!(t.text, "–" | "-" | "—" | "•" | "*"))
}

/// The verb of a sentence that opens a list of parts (`противник атакував … засобами, з
/// них:`, `… shot down 79 targets, of them:`), for the bullets below it.
fn list_lead(tokens: &[Token<'_>]) -> Option<(Measure, &'static str)> {
    let n = tokens.len();
    let opens = n >= 3
        && tokens[n - 1].text == ":"
        && matches!(
            tokens[n - 2].lower().as_str(),
            "них" | "яких" | "them" | "which" | "including"
        );
    if !opens {
        return None;
    }
    (0..n).find_map(|i| measure_of(tokens, i))
}

/// The figures of one sentence.
fn sentence_figures(
    s: &Sentence<'_>,
    body: &str,
    g: &Gazetteer,
    places: &[usize],
    last_counted: &mut Option<Counted>,
    list_measure: Option<(Measure, &'static str)>,
) -> Vec<Figure> {
    let toks = &s.tokens;
    let bullet = is_bullet(toks);
    let mut out = Vec::new();
    let amounts = numbers::amounts(toks);
    let count_starts: Vec<usize> = amounts.iter().map(|a| a.first).collect();
    // "three of the four cruise missiles": the second number is a back-reference.
    let mut skip = Vec::new();
    for (a, b) in amounts.iter().zip(amounts.iter().skip(1)) {
        let between: Vec<String> = toks[a.last + 1..b.first]
            .iter()
            .map(|t| t.lower())
            .collect();
        if between == ["of", "the"] || between == ["of"] || between == ["з"] {
            skip.push(b.number);
        }
    }
    // "killed one of our colleagues": one of several is no count.
    let one_of = |a: &Amount| {
        a.number == a.last
            && toks[a.number].is("one")
            && toks.get(a.last + 1).is_some_and(|t| t.is("of"))
    };
    let mut found: Vec<(Amount, Option<(Counted, usize)>)> = amounts
        .into_iter()
        .filter(|a| !skip.contains(&a.number) && !one_of(a))
        .map(|a| {
            let mut counted = counted_after(toks, a.last);
            if counted.is_none() {
                // "three of the four cruise missiles"
                let of = toks
                    .get(a.last + 1)
                    .is_some_and(|t| t.is("of") || t.text == "з");
                if of {
                    counted =
                        counted_after(toks, a.last + 1).or_else(|| counted_after(toks, a.last + 2));
                }
            }
            (a, counted)
        })
        .collect();
    // "none of the ballistic missiles was [intercepted]", "Жодну з ракет": zero.
    for (i, t) in toks.iter().enumerate() {
        let w = t.lower();
        if (w == "none" && toks.get(i + 1).is_some_and(|n| n.is("of"))) || w.starts_with("жодн")
        {
            let counted = counted_after(toks, i + 1).or_else(|| counted_after(toks, i + 2));
            if let Some(c) = counted.filter(|c| matches!(c.0, Counted::Drone | Counted::Missile)) {
                found.push((
                    Amount {
                        value: Some(0),
                        qualifier: "exact",
                        first: i,
                        number: i,
                        last: i,
                        rule: "none-of",
                    },
                    Some(c),
                ));
            }
        }
    }
    for (amount, counted) in found {
        if is_background(toks, &amount) {
            continue;
        }
        // "32 of them in Kyiv", "one of the dead": a part of a count already given.
        let after = |k: usize| {
            toks.get(amount.last + k)
                .map(|t| t.lower())
                .unwrap_or_default()
        };
        // … but "Thirty-eight of them were shot down" counts the drones just named.
        let weapons_downed = matches!(*last_counted, Some(Counted::Drone | Counted::Missile))
            && counted.is_none()
            && matches!(
                nearest_measure(toks, amount.first, amount.last + 2, &count_starts, None),
                Some((Measure::Destroyed | Measure::Suppressed, _, _))
            );
        if after(1) == "of"
            && !weapons_downed
            && (matches!(
                after(2).as_str(),
                "them" | "those" | "whom" | "these" | "which"
            ) || (after(2) == "the"
                && matches!(
                    after(3).as_str(),
                    "dead" | "injured" | "wounded" | "victims" | "killed"
                )))
        {
            continue;
        }
        // Elliptical counts take the noun of the count before ("Another 172 were jammed").
        let others = toks
            .get(amount.last + 1)
            .is_some_and(|t| matches!(t.lower().as_str(), "others" | "more"));
        let noun_at = counted.map_or(if others { amount.last + 1 } else { amount.last }, |c| c.1);
        let (cs, ce) = clause(toks, amount.number);
        // "the death toll from Friday's strike …, had risen to fifty-two".
        let risen_to = amount.first >= 2
            && matches!(toks[amount.first - 1].lower().as_str(), "to" | "at" | "до")
            && matches!(
                toks[amount.first - 2].lower().as_str(),
                "зросла"
                    | "зросло"
                    | "зріс"
                    | "сягнула"
                    | "сягнуло"
                    | "збільшилася"
                    | "збільшилась"
                    | "risen"
                    | "rose"
                    | "climbed"
                    | "reached"
                    | "increased"
                    | "jumped"
                    | "stood"
                    | "stands"
                    | "grew"
                    | "gone"
                    | "went"
            );
        // "Кількість загиблих … зросла до 26": the number of the dead.
        let uk_toll = |k: usize| {
            matches!(toks[k].lower().as_str(), "кількість" | "число")
                && toks
                    .get(k + 1)
                    .is_some_and(|t| t.lower().starts_with("загибл") || t.lower() == "жертв")
        };
        // "The number of people evacuated … has risen to 1,894": the participle's count.
        // "Кількість поранених зросла до 19" likewise.
        let number_of = || {
            let k = (0..amount.first.saturating_sub(1)).find_map(|k| {
                if toks[k].is("number") && toks[k + 1].is("of") {
                    Some(k + 2)
                } else {
                    matches!(toks[k].lower().as_str(), "кількість" | "число").then_some(k + 1)
                }
            })?;
            (k..(k + 4).min(amount.first)).find_map(|j| measure_of(toks, j).map(|m| (m, j)))
        };
        let number_risen = if risen_to { number_of() } else { None };
        let toll = toks[cs..ce].iter().any(|t| t.is("toll"))
            || (risen_to
                && (toks[..amount.first].iter().any(|t| t.is("toll"))
                    || (0..amount.first).any(uk_toll)));
        let counted = match counted {
            Some(c) => Some(c.0),
            None if toks.get(amount.last + 1).is_some_and(|t| {
                matches!(
                    t.lower().as_str(),
                    "were" | "was" | "more" | "others" | "have" | "had"
                )
            }) || (after(1) == "of"
                && matches!(after(2).as_str(), "them" | "those" | "these" | "which"))
                // "81 ударний БпЛА, з яких 46 збили".
                || (amount.first >= 2
                    && matches!(toks[amount.first - 2].lower().as_str(), "з" | "із")
                    && matches!(toks[amount.first - 1].lower().as_str(), "яких" | "них"))
                || toks
                    .get(amount.first.wrapping_sub(1))
                    .is_some_and(|t| t.is("another") || t.is("ще")) =>
            {
                *last_counted
            }
            None if toll || number_risen.is_some() => Some(Counted::Person),
            // "two people had been killed and twenty-three wounded", "103 drones had been
            // downed and 67 lost from radar": a participle right after a joined count.
            // "… загинули та понад 40 дістали поранення".
            None if (measure_of(toks, amount.last + 1).is_some()
                || (toks.get(amount.last + 1).is_some_and(|t| {
                    matches!(t.lower().as_str(), "дістали" | "отримали" | "зазнали")
                }) && measure_of(toks, amount.last + 2).is_some()))
                && amount.first > 0
                && matches!(
                    toks[amount.first - 1].lower().as_str(),
                    "and" | "," | "while" | "та" | "і" | "й" | "а"
                ) =>
            {
                *last_counted
            }
            None => {
                // "killing 3 and wounding 10": the verb right before counts people.
                let before = amount
                    .first
                    .checked_sub(1)
                    .and_then(|k| measure_of(toks, k));
                match before {
                    Some((Measure::Killed | Measure::Injured, _)) => Some(Counted::Person),
                    _ => None,
                }
            }
        };
        let Some(counted) = counted else { continue };
        // "The death toll … has risen to 20": a toll counts the killed.
        let toll_only = toll
            && counted == Counted::Person
            && !(cs..ce).any(|k| measure_of(toks, k).is_some_and(|m| m.0 != Measure::Killed));
        let found_measure = if toll_only {
            Some((Measure::Killed, "death-toll", amount.number))
        } else if let Some(((measure, _), at)) = number_risen {
            Some((measure, "number-risen-to", at))
        } else {
            // `others` may be the drones just counted (below), so any verb may fit.
            let fits = Some(counted).filter(|_| !toks.get(noun_at).is_some_and(|t| t.is("others")));
            nearest_measure(toks, amount.first, noun_at, &count_starts, fits).or_else(|| {
                // A bullet under `… 122 засобами, з них:` takes the lead's verb.
                list_measure
                    .filter(|_| bullet)
                    .map(|(m, _)| (m, "list-part", amount.number))
            })
        };
        let Some((measure, rule, at)) = found_measure else {
            continue;
        };
        // "killed and wounded" together, and troops "lost", are losses of no one kind.
        let combined = measure == Measure::Killed
            && toks.get(at + 1).is_some_and(|t| t.is("and") || t.is("or"))
            && measure_of(toks, at + 2).is_some_and(|m| m.0 == Measure::Injured);
        let lost = counted == Counted::Person
            && amount.first > 0
            && matches!(
                toks[amount.first - 1].lower().as_str(),
                "lost" | "losing" | "loses"
            );
        if combined || lost {
            continue;
        }
        // "waiting to be evacuated", "due to be freed": not done.
        if at >= 2 && toks[at - 1].is("be") && toks[at - 2].is("to") {
            continue;
        }
        // "an agreement to exchange 1,000 prisoners", "plans to evacuate 300 children": an
        // infinitive is not done yet ("were forced to evacuate 300" is).
        // An order to leave settlements is the evacuation of those settlements, though.
        let ordered = counted == Counted::Settlement
            && toks[cs.min(at)..at]
                .iter()
                .any(|t| t.is("ordered") || t.is("told"));
        if at >= 2
            && at < amount.first
            && toks[at - 1].is("to")
            && !ordered
            && !matches!(
                toks[at - 2].lower().as_str(),
                "forced" | "had" | "managed" | "able" | "began" | "started"
            )
        {
            continue;
        }
        // "119 others were lost from radar": `others` are the drones just counted.
        let (counted, kind) = match kind_for(counted, measure) {
            Some(kind) => (counted, kind),
            None if toks.get(noun_at).is_some_and(|t| t.is("others")) => {
                match last_counted.and_then(|c| kind_for(c, measure).map(|k| (c, k))) {
                    Some(pair) => pair,
                    None => continue,
                }
            }
            None => continue,
        };
        *last_counted = Some(counted);
        let lo = amount.first.min(at);
        let hi = amount.last.max(at);
        let (start, end) = (toks[lo].start, toks[hi].end);
        out.push(Figure {
            kind: kind.to_string(),
            value: amount.value,
            qualifier: amount.qualifier,
            side: if matches!(
                measure,
                Measure::Freed | Measure::Launched | Measure::Destroyed | Measure::Suppressed
            ) && let Some(side) = toks[amount.first..=noun_at.max(amount.last)]
                .iter()
                .find_map(|t| {
                    let w = t.lower();
                    if w.starts_with("ukrain") {
                        Some("ukraine")
                    } else if w.starts_with("russia") {
                        Some("russia")
                    } else {
                        None
                    }
                }) {
                // The side named in the count's own words: `230 Ukrainians`, `248 Russian
                // servicemen`, `13 Ukrainian drones` (in a sentence about Russian air
                // defence).
                Some(side)
            } else if measure == Measure::Freed {
                None
            } else {
                side_of(toks, g, places, measure)
            },
            weapon: None,
            evidence: Evidence {
                rule: format!("{}+{}", amount.rule, rule),
                sentence: s.index,
                start,
                end,
                text: body[start..end].to_string(),
            },
        });
    }
    out
}

/// Within one event, figures of the same kind: a total and its parts keep the total; the
/// same count twice is one; otherwise the largest (a toll revised upwards). Prisoners freed
/// by each side of an uneven swap are two counts.
fn merge_figures(figures: Vec<Figure>) -> Vec<Figure> {
    let mut by_kind: BTreeMap<(String, Option<&'static str>), Vec<Figure>> = BTreeMap::new();
    for f in figures {
        let side = (f.kind == "prisoners_exchanged")
            .then_some(f.side)
            .flatten();
        by_kind.entry((f.kind.clone(), side)).or_default().push(f);
    }
    let mut out = Vec::new();
    for (_, mut list) in by_kind {
        // Bullets under `з них:` with no total of their kind: each part is a count
        // (`двома балістичними ракетами`, `однією керованою ракетою`).
        if list.len() == 1 || list.iter().all(|f| f.evidence.rule.ends_with("list-part")) {
            out.extend(list);
            continue;
        }
        let valued: Vec<&Figure> = list.iter().filter(|f| f.value.is_some()).collect();
        let total = valued.iter().find(|f| {
            let rest: i64 = valued
                .iter()
                .filter(|o| !std::ptr::eq(**o, **f))
                .filter_map(|o| o.value)
                .sum();
            f.value == Some(rest) && valued.len() > 2
        });
        if let Some(total) = total {
            out.push((*total).clone());
            continue;
        }
        list.sort_by_key(|f| std::cmp::Reverse(f.value.unwrap_or(-1)));
        out.push(list.remove(0));
    }
    // An even swap ("84 Ukrainians … 84 Russian soldiers") is one count, of neither side.
    let swaps: Vec<usize> = (0..out.len())
        .filter(|&i| out[i].kind == "prisoners_exchanged")
        .collect();
    if swaps.len() > 1 && swaps.iter().all(|&i| out[i].value == out[swaps[0]].value) {
        for &i in swaps[1..].iter().rev() {
            out.remove(i);
        }
        out[swaps[0]].side = None;
    }
    out
}

/// A sentence's figures with its date, type and place, before they are grouped into events.
/// The type and place of an event a sentence reports without a number: talks held in a
/// place, a place captured or retaken, people evacuated from a place. Denials and negated
/// sentences report nothing; captures and evacuations need a settlement (not a country
/// or region), talks any place but a country.
fn figureless_event(
    tokens: &[Token<'_>],
    places: &[Located],
) -> Option<(&'static str, Option<Place>)> {
    let words: Vec<String> = tokens.iter().map(Token::lower).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    let starts = |prefix: &str| words.iter().any(|x| x.starts_with(prefix));
    let negator = |w: &String| {
        matches!(
            w.as_str(),
            "not" | "no" | "never" | "denied" | "denies" | "deny" | "rejected" | "не"
        ) || w.ends_with("n't")
    };
    // Talks happened even when they `made no progress`; only `no talks` or `did not meet`
    // (a negation shortly before the word) says they did not.
    let talk_word = words.iter().position(|w| {
        matches!(
            w.as_str(),
            "talks" | "negotiations" | "met" | "meeting" | "meet"
        ) || w.starts_with("переговор")
    });
    let talks_negated =
        talk_word.is_some_and(|at| words[at.saturating_sub(4)..at].iter().any(negator));
    let negated = words.iter().any(negator);
    let settlement = || {
        places
            .iter()
            .find(|p| p.settlement)
            .map(|p| p.place.clone())
    };
    let talks = has("talks")
        || has("negotiations")
        || starts("переговор")
        || ((has("met") || has("meeting")) && (has("delegation") || has("delegations")));
    if talks && !talks_negated {
        // Talks are held in a city (`in Riyadh`), not in a sea or a region they are about.
        return Some(("talks", Some(settlement()?)));
    }
    if negated {
        return None;
    }
    let captured = [
        "captured",
        "recaptured",
        "seized",
        "liberated",
        "retook",
        "retaken",
    ]
    .iter()
    .any(|w| has(w))
        || (has("control") && (has("took") || has("taken") || has("seized")))
        || starts("захопи")
        || starts("звільни");
    if captured {
        return Some(("territorial_change", Some(settlement()?)));
    }
    if starts("evacuat") || starts("евакуац") || starts("евакуйов") {
        return Some(("evacuation", Some(settlement()?)));
    }
    // "Ukraine received the bodies of 757 soldiers": the dead handed back are an event of
    // their own, at no one place.
    let bodies = (has("bodies") || has("remains") || starts("тіл"))
        && [
            "received",
            "returned",
            "repatriated",
            "handed",
            "transferred",
            "повернуто",
        ]
        .iter()
        .any(|w| has(w))
        && !["will", "would", "agreed", "plans"].iter().any(|w| has(w));
    if bodies {
        return Some(("other", None));
    }
    // A weapon that struck a named place is a strike even when nothing is counted (`drones
    // struck the Lukoil refinery in Volgograd`, `a drone strike on an industrial site in the
    // Oryol region`): at the settlement it names, or else its first place.
    // The weapon comes before the verb or shortly after it (`hit the depot with drones`),
    // not in a clause about something else (`… bombers Russia uses to fire missiles`).
    let struck = words.iter().enumerate().find(|(i, w)| {
        matches!(
            w.as_str(),
            "struck" | "hit" | "attacked" | "damaged" | "damaging" | "hitting" | "striking"
        ) || (matches!(w.as_str(), "strike" | "attack" | "strikes" | "attacks")
            && words.get(i + 1).is_some_and(|n| n == "on"))
    });
    let weapon = struck.and_then(|(at, _)| {
        let etype = resolve::first_weapon(&tokens[..(at + 7).min(tokens.len())])?;
        Some((etype, at))
    });
    if let Some((etype, at)) = weapon {
        // The place the strike hit is named near its verb, not after another verb (`… told
        // the world more than the memorandum it had promised to bring to Istanbul`), nor in
        // a dateline.
        let verb_between = |to: usize| {
            words[at + 1..to.min(words.len())].iter().any(|w| {
                matches!(
                    w.as_str(),
                    "told"
                        | "said"
                        | "says"
                        | "had"
                        | "has"
                        | "have"
                        | "was"
                        | "were"
                        | "is"
                        | "are"
                        | "would"
                        | "will"
                        | "promised"
                )
            })
        };
        let near: Vec<&Located> = places
            .iter()
            .filter(|p| {
                !p.country
                    && !tokens[p.first].is_shouted()
                    && p.first + 20 >= at
                    && (p.first <= at || !verb_between(p.first))
            })
            .collect();
        let place = near
            .iter()
            .find(|p| p.settlement)
            .or_else(|| near.first())?;
        return Some((etype, Some(place.place.clone())));
    }
    None
}

/// The side that carried out the attack a sentence reports, when the sentence names it as
/// the attacker: `Russian forces struck …`, `a Russian missile strike on …`, `Russia
/// launched …`, `Ukrainian drones hit …`, `Ukraine's military attacked …`. A side that
/// only suffered (`Ukrainian soldiers were killed`) is not an attacker, so the word must
/// come before an attacker noun or an attack verb in the active voice.
fn attacker(tokens: &[Token<'_>]) -> Option<&'static str> {
    let words: Vec<String> = tokens.iter().map(Token::lower).collect();
    const NOUNS: &[&str] = &[
        "forces", "troops", "army", "military", "drones", "drone", "missiles", "missile", "strike",
        "strikes", "attack", "attacks", "shelling", "bombs", "bombing", "aircraft", "jets",
    ];
    const VERBS: &[&str] = &[
        "launched", "struck", "attacked", "fired", "hit", "shelled", "bombed", "targeted",
        "pounded",
    ];
    for (i, w) in words.iter().enumerate() {
        let side = match w.as_str() {
            "russian" | "russia's" | "russia" | "moscow's" | "російські" | "російська" => {
                "russia"
            }
            "ukrainian" | "ukraine's" | "ukraine" | "kyiv's" | "українські" => "ukraine",
            _ => continue,
        };
        // The attacker's word, then within three words an attacker noun or a verb.
        let next: Vec<&str> = words[i + 1..].iter().take(3).map(String::as_str).collect();
        let noun_first = next.iter().take(2).any(|n| NOUNS.contains(n));
        let acts = next.iter().any(|n| VERBS.contains(n))
            && !next
                .iter()
                .any(|n| matches!(*n, "was" | "were" | "been" | "by"));
        // "on Russia", "against Ukraine", "in Ukraine": the target, not the attacker.
        let target = i > 0
            && matches!(
                words[i - 1].as_str(),
                "on" | "against" | "in" | "at" | "into" | "across" | "of" | "over"
            );
        if (noun_first || acts) && !target {
            return Some(side);
        }
    }
    None
}

/// A place a sentence names, at token `first`, as an event's place can be.
struct Located {
    first: usize,
    place: Place,
    /// A village, town or city, so something that can be captured or evacuated.
    settlement: bool,
    country: bool,
}

impl Located {
    /// The sentence's first place that is not a country.
    fn first_local(places: &[Located]) -> Option<Place> {
        places.iter().find(|p| !p.country).map(|p| p.place.clone())
    }
}

struct Pending {
    date: NaiveDate,
    precision: &'static str,
    date_rule: String,
    etype: &'static str,
    place: Option<Place>,
    sentence: usize,
    figures: Vec<Figure>,
    /// The side the sentence names as the attacker.
    actor: Option<&'static str>,
}

/// Casualties of one day given place by place after a larger total for that day are parts
/// of it (`killing at least 43 people … In Kryvyi Rih, the strikes killed ten`), unless
/// the sentence speaks of a separate attack.
fn drop_casualty_parts(events: &mut [Event], sentences: &[Sentence<'_>]) {
    drop_weapon_parts(events);
    for kind in ["killed", "injured", "missing"] {
        // Keyed by day and the side that suffered: a toll in Russia is no part of one in
        // Ukraine.
        type Day = (NaiveDate, Option<&'static str>);
        let mut totals: BTreeMap<Day, (i64, usize, String)> = BTreeMap::new();
        for e in events.iter() {
            for f in e.figures.iter().filter(|f| f.kind == kind) {
                let v = f.value.unwrap_or(0);
                let slot = totals.entry((e.date, f.side)).or_insert((
                    v,
                    f.evidence.sentence,
                    e.date_rule.clone(),
                ));
                if v > slot.0 {
                    *slot = (v, f.evidence.sentence, e.date_rule.clone());
                }
            }
        }
        for e in events.iter_mut() {
            let date = e.date;
            let rule = e.date_rule.clone();
            e.figures.retain(|f| {
                if f.kind != kind {
                    return true;
                }
                // The largest count of the day on this side, or of no side said.
                let Some((total, at, total_rule)) = totals
                    .iter()
                    .filter(|((d, side), _)| {
                        *d == date && (side.is_none() || f.side.is_none() || *side == f.side)
                    })
                    .map(|(_, t)| t)
                    .max_by_key(|t| t.0)
                    .cloned()
                else {
                    return true;
                };
                // Dated otherwise (`Минулої доби` after `Уночі`): a count of its own.
                if rule != total_rule
                    || f.evidence.sentence == at
                    || f.value.is_none_or(|v| v >= total)
                {
                    return true;
                }
                // "In a separate attack", "Elsewhere", "Two more people were killed in …".
                let separate = sentences.get(f.evidence.sentence).is_some_and(|s| {
                    s.tokens.iter().enumerate().any(|(k, t)| {
                        [
                            "separate",
                            "another",
                            "also",
                            "elsewhere",
                            "additional",
                            "further",
                        ]
                        .iter()
                        .any(|w| t.is(w))
                            || (t.is("more")
                                && !s.tokens.get(k + 1).is_some_and(|n| n.is("than"))
                                && k > 0
                                && s.tokens[k - 1].start >= f.evidence.start)
                    })
                });
                separate || f.evidence.sentence < at
            });
        }
    }
}

/// "The ministry said 46 of the drones were downed over the Kursk region": a part of a
/// larger count of the same kind given earlier that day is not a count of its own.
fn drop_weapon_parts(events: &mut [Event]) {
    type Count = (NaiveDate, Option<&'static str>, String, i64, usize);
    let mut earlier: Vec<Count> = Vec::new();
    for e in events.iter() {
        for f in &e.figures {
            if let Some(v) = f.value {
                earlier.push((e.date, f.side, f.kind.clone(), v, f.evidence.sentence));
            }
        }
    }
    for e in events.iter_mut() {
        let date = e.date;
        e.figures.retain(|f| {
            let back_reference =
                f.evidence.text.contains(" of the ") || f.evidence.text.contains(" of them ");
            let weapon = f.kind.starts_with("drones") || f.kind.starts_with("missiles");
            // "dozens of drones had been shot down" beside a number: no count of its own.
            let vague_beside_number = weapon
                && f.value.is_none()
                && earlier.iter().any(|(d, side, k, _, _)| {
                    *d == date && (*side == f.side || f.side.is_none()) && *k == f.kind
                });
            let part_of_earlier = weapon
                && back_reference
                && earlier.iter().any(|(d, side, k, v, s)| {
                    *d == date
                        && *side == f.side
                        && *k == f.kind
                        && f.value.is_some_and(|x| x < *v)
                        && *s < f.evidence.sentence
                });
            !vague_beside_number && !part_of_earlier
        });
    }
}

/// Countries and capitals stand for governments and armies as often as for places
/// (`Russia launched`, `Moscow said`, `pressure on Moscow`): they are kept as places only
/// where the sentence puts them on the map — after a preposition of place (`across
/// Ukraine`, `an attack on Kyiv`, `the border with Poland`, `eastern Ukraine`), before a place
/// of their own (`Ukraine's Donetsk region`, `Moscow Mayor`), in a list of places or a
/// dateline (`Jeddah, Saudi Arabia`; `KYIV, Ukraine —`), or as the place hit (`Kyiv was
/// hit`).
fn places_as_places(
    mut found: Vec<gazetteer::Found>,
    toks: &[Token<'_>],
    g: &Gazetteer,
) -> Vec<gazetteer::Found> {
    const LOCATIVE: &[&str] = &[
        "in",
        "across",
        "into",
        "inside",
        "from",
        "over",
        "throughout",
        "within",
        "to",
        "at",
        "around",
        "near",
        "of",
        "towards",
        "toward",
        "through",
        "visited",
        "visiting",
        "в",
        "у",
        "по",
        "на",
        "з",
        "із",
        "до",
        "над",
        "від",
        "біля",
    ];
    // "Dnipropetrovsk governor", "the Poltava and Kharkiv regions": the region, not the city.
    for i in 0..found.len() {
        let e = &g.entries[found[i].entry];
        if e.kind != "place" || !matches!(e.subkind.as_str(), "city" | "town" | "capital") {
            continue;
        }
        let after = |k: usize| {
            toks.get(found[i].last + k)
                .map(|t| t.lower())
                .unwrap_or_default()
        };
        // `Kursk, Bryansk and Belgorod regions`: follow the list to its noun.
        let mut k = i;
        while found.get(k + 1).is_some_and(|n| {
            n.first == found[k].last + 2
                && toks
                    .get(found[k].last + 1)
                    .is_some_and(|t| t.text == "," || t.is("and"))
        }) {
            k += 1;
        }
        let list_noun = toks
            .get(found[k].last + 1)
            .map(|t| t.lower())
            .unwrap_or_default();
        // `Kharkiv regional Gov. Oleh Syniehubov` too.
        let regional = matches!(after(1).as_str(), "governor" | "governor's")
            || (after(1) == "regional"
                && matches!(
                    after(2).as_str(),
                    "governor" | "governor's" | "gov" | "head" | "authorities" | "officials"
                ))
            || (k > i && matches!(list_noun.as_str(), "regions" | "oblasts" | "provinces"))
            || matches!(after(1).as_str(), "regions" | "oblasts" | "provinces");
        if regional
            && let Some(region) = g.lookup(
                &format!("{} region", toks[found[i].first].text),
                Some("place"),
            )
        {
            found[i].entry = region;
        }
    }
    let next_is_place = |i: usize| {
        found
            .get(i + 1)
            .is_some_and(|n| g.entries[n.entry].kind == "place" && n.first == found[i].last + 1)
    };
    // A neighbour in a list of places (`Kyiv, Kharkiv and Odesa`, `Jeddah, Saudi Arabia`)
    // that is itself plainly a place, not a country or capital.
    let plain_place = |f: &gazetteer::Found| {
        let e = &g.entries[f.entry];
        e.kind == "place" && e.subkind != "country" && !is_stand_in_capital(&e.name)
    };
    let listed_with_place = |i: usize| {
        let f = &found[i];
        let joined = |k: usize| toks.get(k).is_some_and(|t| t.text == "," || t.is("and"));
        let before = i
            .checked_sub(1)
            .and_then(|k| found.get(k))
            .is_some_and(|b| b.last + 2 == f.first && joined(b.last + 1) && plain_place(b));
        let after = found
            .get(i + 1)
            .is_some_and(|n| f.last + 2 == n.first && joined(f.last + 1) && plain_place(n));
        before || after
    };
    found
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            let e = &g.entries[f.entry];
            if e.kind != "place" {
                return true;
            }
            let word = |k: Option<usize>| {
                k.and_then(|k| toks.get(k))
                    .map(|t| t.lower())
                    .unwrap_or_default()
            };
            let prev = word(f.first.checked_sub(1));
            let prev2 = word(f.first.checked_sub(2));
            let next = word(Some(f.last + 1));
            let next2 = word(Some(f.last + 2));
            let country = e.subkind == "country";
            if !country && !is_stand_in_capital(&e.name) {
                return true;
            }
            if toks[f.last].lower().ends_with("'s") {
                return next_is_place(*i);
            }
            // A dateline (`KYIV, Ukraine —`) names where the story was filed.
            let dateline = (f.first == 0 && toks[0].is_shouted())
                || (prev == "," && f.first >= 2 && {
                    let t = &toks[f.first - 2];
                    t.is_shouted()
                });
            let locative = LOCATIVE.contains(&prev.as_str())
                || (prev == "on" && ASSAULTS.contains(&prev2.as_str()))
                || (prev == "with" && matches!(prev2.as_str(), "border" | "borders" | "frontier"))
                || STRUCK.contains(&prev.as_str())
                || COMPASS.contains(&prev.as_str());
            // A place's own nouns and titles (`Moscow region`, `Kyiv Mayor`), or the place
            // as the thing hit (`Kyiv was hit`, `Kyiv came under attack`).
            let own_noun = matches!(
                next.as_str(),
                "region"
                    | "oblast"
                    | "mayor"
                    | "mayor's"
                    | "governor"
                    | "city"
                    | "residents"
                    | "airport"
                    | "suburbs"
                    | "metro"
            ) || next == "came"
                || (matches!(next.as_str(), "was" | "were" | "is")
                    && STRUCK.contains(&next2.as_str()));
            // `in Granada, Spain`: a town the gazetteer does not know, then its country.
            let after_town = prev == ","
                && f.first >= 3
                && toks[f.first - 2].is_capitalised()
                && dates::weekday(&toks[f.first - 2].lower()).is_none()
                && dates::month_number(&toks[f.first - 2].lower()).is_none()
                && !found.iter().any(|o| o.last == f.first - 2)
                && LOCATIVE.contains(&word(Some(f.first - 3)).as_str());
            locative || dateline || own_noun || after_town || listed_with_place(*i)
        })
        .map(|(_, f)| f.clone())
        .collect()
}

/// Capitals that news copy uses for their governments (`Moscow said`, `Kyiv denies`).
fn is_stand_in_capital(name: &str) -> bool {
    matches!(
        name,
        "Kyiv"
            | "Moscow"
            | "Washington"
            | "Minsk"
            | "Beijing"
            | "London"
            | "Paris"
            | "Berlin"
            | "Brussels"
            | "Tehran"
            | "Pyongyang"
            | "Ankara"
            | "Warsaw"
            | "Budapest"
    )
}

/// Nouns of attack before `on` (`an attack on Kyiv`, not `pressure on Moscow`).
const ASSAULTS: &[&str] = &[
    "attack",
    "attacks",
    "strike",
    "strikes",
    "assault",
    "raid",
    "raids",
    "bombardment",
    "barrage",
    "offensive",
    "advance",
    "march",
    "fire",
    "drones",
    "missiles",
    "shelling",
];

/// Verbs and participles whose object is a place hit (`pounded Kyiv`).
const STRUCK: &[&str] = &[
    "pounded",
    "struck",
    "hit",
    "attacked",
    "targeted",
    "shelled",
    "bombarded",
    "shook",
    "rocked",
    "battered",
    "hammered",
    "pummelled",
    "pummeled",
];

/// Words placing a country on the map (`eastern Ukraine`, `occupied Crimea`).
const COMPASS: &[&str] = &[
    "eastern",
    "western",
    "southern",
    "northern",
    "central",
    "south-eastern",
    "southeastern",
    "north-eastern",
    "northeastern",
    "south-western",
    "southwestern",
    "north-western",
    "northwestern",
    "occupied",
    "all",
    "whole",
    "всій",
    "всю",
];

/// Extracts what one article reports.
pub fn extract(article: &Article<'_>, g: &Gazetteer) -> Extraction {
    let sentences = text::sentences(article.body);
    let mut result = Extraction::default();
    let mut people_state = people::People::default();
    let mut lead_date: Option<dates::Dated> = None;
    let mut paragraph_date: Option<(usize, dates::Dated)> = None;
    // The day the last sentence that gave one named, for `The same day, …`.
    let mut last_date: Option<dates::Dated> = None;
    let mut place_dates: HashMap<usize, dates::Dated> = HashMap::new();
    let mut last_counted = None;
    let mut list_measure = None;
    let mut pending: Vec<Pending> = Vec::new();
    let mut plain: Vec<Pending> = Vec::new();
    for s in &sentences {
        // Entities.
        let found = places_as_places(g.find(&s.tokens), &s.tokens, g);
        let named = people_state.find(&s.tokens, &found, g);
        let unlisted: Vec<_> = places::unlisted(&s.tokens, &found, g)
            .into_iter()
            .filter(|u| !named.iter().any(|n| n.2 <= u.last && u.first <= n.3))
            .collect();
        // The places the sentence names, for the side it speaks of (`the Belgorod district`
        // is Russian, like Belgorod).
        let places: Vec<usize> = found
            .iter()
            .filter(|f| g.entries[f.entry].kind == "place")
            .map(|f| f.entry)
            .collect();
        // `the Obukhiv district`: the district is the place mentioned, not the town it is
        // named after.
        let found: Vec<_> = found
            .into_iter()
            .filter(|f| {
                !unlisted
                    .iter()
                    .any(|u| u.first <= f.first && f.last <= u.last)
            })
            .collect();
        for f in &found {
            let entry = &g.entries[f.entry];
            let (start, end) = (s.tokens[f.first].start, s.tokens[f.last].end);
            result.entities.push(Entity {
                name: entry.name.clone(),
                kind: entry.kind,
                entry: Some(f.entry),
                evidence: Evidence {
                    rule: format!("gazetteer-{}", entry.kind),
                    sentence: s.index,
                    start,
                    end,
                    text: article.body[start..end].to_string(),
                },
            });
        }

        let mut located: Vec<Located> = found
            .iter()
            .filter(|f| g.entries[f.entry].kind == "place")
            .map(|f| {
                let subkind = g.entries[f.entry].subkind.as_str();
                Located {
                    first: f.first,
                    place: Place::listed(f.entry, g),
                    settlement: matches!(subkind, "city" | "town" | "village" | "capital"),
                    country: subkind == "country",
                }
            })
            .collect();
        located.extend(unlisted.iter().map(|u| Located {
            first: u.first,
            place: Place {
                entry: None,
                name: u.name.clone(),
            },
            settlement: u.is_settlement(),
            country: false,
        }));
        located.sort_by_key(|p| p.first);
        let named: Vec<_> = named
            .into_iter()
            .chain(
                unlisted
                    .into_iter()
                    .map(|u| (u.name, "place", u.first, u.last, u.rule)),
            )
            .collect();
        for (name, kind, first, last, rule) in named {
            let (start, end) = (s.tokens[first].start, s.tokens[last].end);
            result.entities.push(Entity {
                name,
                kind,
                entry: None,
                evidence: Evidence {
                    rule: rule.to_string(),
                    sentence: s.index,
                    start,
                    end,
                    text: article.body[start..end].to_string(),
                },
            });
        }
        // Date.
        let reference = lead_date.as_ref().map(|d| d.date);
        let in_sentence = dates::dates_in(&s.tokens, article.published, reference);
        // "Russia launched 112 drones overnight, …, a day after a strike on Dobropillia
        // killed 11 people": what comes after `a day after` has a date of its own.
        let day_after = in_sentence.iter().find(|d| d.rule == "day-after").cloned();
        let (own, later) = match &day_after {
            Some(split) => {
                let before: Vec<dates::Dated> = in_sentence
                    .iter()
                    .filter(|d| d.last < split.first)
                    .cloned()
                    .collect();
                (
                    dates::sentence_date(&s.tokens, &before),
                    dates::sentence_date(&s.tokens, &in_sentence),
                )
            }
            None => (dates::sentence_date(&s.tokens, &in_sentence), None),
        };
        let split_at = day_after.map(|d| s.tokens[d.last].end);
        if let Some(d) = own.as_ref().or(later.as_ref()) {
            if lead_date.is_none() {
                lead_date = Some(d.clone());
            }
            paragraph_date = Some((s.paragraph, d.clone()));
        }
        // Settlements named with a date: a later sentence that names one again without a
        // date of its own speaks of that day (`the Dobropillia attack had …`).
        let settlements: Vec<(usize, usize)> = found
            .iter()
            .filter(|f| {
                let e = &g.entries[f.entry];
                e.kind == "place" && matches!(e.subkind.as_str(), "city" | "town" | "village")
            })
            .map(|f| (f.entry, s.tokens[f.first].start))
            .collect();
        for &(entry, at) in &settlements {
            let dated = match (split_at, &later) {
                (Some(split), Some(l)) if at >= split => Some(l.clone()),
                _ => own.clone(),
            };
            if let Some(d) = dated {
                place_dates.insert(entry, d);
            }
        }
        let remembered = || {
            settlements
                .iter()
                .find_map(|(entry, _)| place_dates.get(entry).cloned())
        };
        let same_day = s
            .tokens
            .windows(2)
            .any(|w| (w[0].is("same") || w[0].is("that")) && (w[1].is("day") || w[1].is("night")));
        let recalled = own.is_none().then(remembered).flatten();
        let recalled = if same_day && own.is_none() {
            last_date.clone()
        } else {
            recalled
        };
        if let Some(d) = &recalled {
            paragraph_date = Some((s.paragraph, d.clone()));
        }
        if let Some(d) = own.as_ref().or(later.as_ref()) {
            last_date = Some(d.clone());
        }
        let date = own
            .clone()
            .or(recalled)
            .or_else(|| {
                paragraph_date
                    .as_ref()
                    .filter(|(p, _)| *p == s.paragraph)
                    .map(|(_, d)| d.clone())
            })
            .or_else(|| lead_date.clone());
        // Figures.
        let mut figures =
            sentence_figures(s, article.body, g, &places, &mut last_counted, list_measure);
        list_measure = list_lead(&s.tokens).or(list_measure.filter(|_| is_bullet(&s.tokens)));
        let date_parts = |date: &Option<dates::Dated>| match date {
            Some(d) => (d.date, d.precision, d.rule.to_string()),
            None => (article.published, "week", "publication".to_string()),
        };
        let (date, precision, date_rule) = date_parts(&date);
        let later_figures: Vec<Figure> = match split_at {
            Some(at) if later.is_some() => {
                let (after, before): (Vec<Figure>, Vec<Figure>) =
                    figures.into_iter().partition(|f| f.evidence.start >= at);
                figures = before;
                after
            }
            _ => Vec::new(),
        };
        if !later_figures.is_empty() {
            let (date, precision, date_rule) = date_parts(&later);
            let kinds: Vec<&str> = later_figures.iter().map(|f| f.kind.as_str()).collect();
            pending.push(Pending {
                date,
                precision,
                date_rule,
                etype: event_type(&s.tokens, &kinds),
                place: Located::first_local(&located),
                sentence: s.index,
                figures: later_figures,
                actor: attacker(&s.tokens),
            });
            if figures.is_empty() {
                continue;
            }
        }
        if figures.is_empty() {
            // Talks, captures and evacuations are events without a number.
            if let Some((etype, place)) = figureless_event(&s.tokens, &located) {
                plain.push(Pending {
                    date,
                    precision,
                    date_rule,
                    etype,
                    place,
                    sentence: s.index,
                    figures: Vec::new(),
                    actor: (etype == "territorial_change")
                        .then(|| attacker(&s.tokens))
                        .flatten(),
                });
            }
            continue;
        }
        let kinds: Vec<&str> = figures.iter().map(|f| f.kind.as_str()).collect();
        let etype = event_type(&s.tokens, &kinds);
        let place = Located::first_local(&located);
        pending.push(Pending {
            date,
            precision,
            date_rule,
            etype,
            place,
            sentence: s.index,
            figures,
            actor: attacker(&s.tokens),
        });
    }
    // Drone and missile figures of one day are one attack when the article reports it as
    // an air attack (both kinds, or an air force report): `Russia launched 472 drones …
    // Seven missiles were fired … shot down 210 drones` is one event.
    let mut air_days = BTreeSet::new();
    for p in &pending {
        let weapons = p
            .figures
            .iter()
            .any(|f| f.kind.starts_with("drones") || f.kind.starts_with("missiles"));
        if weapons && p.etype == "air_attack" {
            air_days.insert(p.date);
        }
    }
    for day in pending.iter().map(|p| p.date).collect::<BTreeSet<_>>() {
        let on_day = pending
            .iter()
            .filter(|p| p.date == day)
            .flat_map(|p| p.figures.iter());
        let (mut drones, mut missiles) = (false, false);
        for f in on_day {
            drones |= f.kind.starts_with("drones");
            missiles |= f.kind.starts_with("missiles");
        }
        if drones && missiles {
            air_days.insert(day);
        }
    }
    // A day with drones or missiles launched by both sides (Russia's attack, and Moscow's
    // claim of Ukrainian drones downed) has two air attacks, one per launching side; a
    // casualty goes to the attack of the side that did not suffer it.
    let mut launchers: BTreeMap<NaiveDate, BTreeSet<&'static str>> = BTreeMap::new();
    for p in &pending {
        for f in &p.figures {
            if (f.kind.starts_with("drones") || f.kind.starts_with("missiles"))
                && let Some(side) = f.side
            {
                launchers.entry(p.date).or_default().insert(side);
            }
        }
    }
    type EventKey = (
        NaiveDate,
        &'static str,
        &'static str,
        Option<Place>,
        Option<&'static str>,
    );
    let mut events: BTreeMap<EventKey, Event> = BTreeMap::new();
    for p in pending {
        for f in p.figures {
            let weapon = f.kind.starts_with("drones") || f.kind.starts_with("missiles");
            let two_sided = launchers.get(&p.date).is_some_and(|s| s.len() > 1);
            let by = match (two_sided && air_days.contains(&p.date), weapon, f.side) {
                (true, true, side) => side,
                (true, false, Some("ukraine")) => Some("russia"),
                (true, false, Some("russia")) => Some("ukraine"),
                _ => None,
            };
            let (etype, place) = if weapon && air_days.contains(&p.date) {
                ("air_attack", None)
            } else if weapon && matches!(p.etype, "attack" | "air_attack") {
                (
                    if f.kind.starts_with("drones") {
                        "drone_strike"
                    } else {
                        "missile_strike"
                    },
                    p.place.clone(),
                )
            } else if p.place.is_some() && matches!(p.etype, "attack" | "air_attack") {
                // A city's attack is not a national tally: it is typed by its first weapon.
                let etype = resolve::first_weapon(&sentences[p.sentence].tokens).unwrap_or(p.etype);
                (etype, p.place.clone())
            } else {
                (p.etype, p.place.clone())
            };
            let sentence = &sentences[p.sentence];
            let by = by.filter(|_| etype == "air_attack");
            let event = events
                .entry((p.date, p.precision, etype, place.clone(), by))
                .or_insert_with(|| Event {
                    event_type: etype,
                    date: p.date,
                    precision: p.precision,
                    date_rule: p.date_rule.clone(),
                    place,
                    actor: by,
                    figures: Vec::new(),
                    evidence: Evidence {
                        rule: format!("event-{etype}"),
                        sentence: sentence.index,
                        start: sentence.start,
                        end: sentence.end,
                        text: sentence.text.to_string(),
                    },
                });
            if event.actor.is_none() {
                event.actor = p.actor;
            }
            event.figures.push(f);
        }
    }
    for p in plain {
        let sentence = &sentences[p.sentence];
        events
            .entry((p.date, p.precision, p.etype, p.place.clone(), None))
            .or_insert_with(|| Event {
                event_type: p.etype,
                date: p.date,
                precision: p.precision,
                date_rule: p.date_rule.clone(),
                place: p.place,
                actor: p.actor,
                figures: Vec::new(),
                evidence: Evidence {
                    rule: format!("event-{}-without-figures", p.etype),
                    sentence: sentence.index,
                    start: sentence.start,
                    end: sentence.end,
                    text: sentence.text.to_string(),
                },
            });
    }
    let mut events: Vec<Event> = events.into_values().collect();
    resolve::join_undated(&mut events);
    for mut event in events {
        event.figures = merge_figures(std::mem::take(&mut event.figures));
        result.events.push(event);
    }
    drop_casualty_parts(&mut result.events, &sentences);
    // An event whose every figure was a part of a larger count is no event of its own.
    result
        .events
        .retain(|e| !e.figures.is_empty() || e.evidence.rule.ends_with("-without-figures"));
    resolve::types_and_places(&mut result, &sentences, g);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str, published: &str) -> Extraction {
        let g = Gazetteer::bundled();
        let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").unwrap();
        extract(&Article { body, published }, &g)
    }

    fn figures_with_sides(x: &Extraction) -> Vec<(String, Option<i64>, Option<&'static str>)> {
        x.events
            .iter()
            .flat_map(|e| e.figures.iter().map(|f| (f.kind.clone(), f.value, f.side)))
            .collect()
    }

    fn figures(x: &Extraction) -> Vec<(String, String, Option<i64>, &'static str)> {
        let mut out: Vec<_> = x
            .events
            .iter()
            .flat_map(|e| {
                e.figures
                    .iter()
                    .map(move |f| (e.date.to_string(), f.kind.clone(), f.value, f.qualifier))
            })
            .collect();
        out.sort();
        out
    }

    /// `date kind=value` of each figure, -1 for a vague count.
    fn day_counts(text: &str, published: &str) -> Vec<String> {
        figures(&run(text, published))
            .into_iter()
            .map(|(d, k, v, _)| format!("{d} {k}={}", v.unwrap_or(-1)))
            .collect()
    }

    #[test]
    fn list_parts_rates_updates_and_one_of() {
        // 2025-03-09 is a Sunday.
        let f = |text: &str| day_counts(text, "2025-03-09");
        // Bullets under `з них:` take the lead's verb, and each part counts.
        assert_eq!(
            f(
                "У ніч на неділю противник атакував Україну 122 засобами повітряного нападу, з них:\n\
               – двома балістичними ракетами Іскандер-М;\n\
               – однією керованою авіаційною ракетою Х-59/69;\n\
               – 119 ударними БпЛА типу Shahed.\n\n\
               Лише за минулий тиждень противник випустив понад 1200 дронів, майже 870 авіабомб та понад 80 ракет."
            ),
            [
                "2025-03-09 drones_launched=119",
                "2025-03-09 missiles_launched=1",
                "2025-03-09 missiles_launched=2"
            ]
        );
        assert_eq!(
            f(
                "On Sunday Ukrainian forces struck the Belbek airfield, hitting three Russian aircraft."
            ),
            ["2025-03-09 aircraft_damaged=3"]
        );
        // A rate is no count; nor is `one of our colleagues`.
        assert!(
            f("In the winter of 2022-2023, Russia fired up to 100 missiles a night.").is_empty()
        );
        assert!(
            f("On Sunday a missile hit a substation and killed one of our colleagues.").is_empty()
        );
        // An update that says the toll rose replaces the lead's count.
        assert_eq!(
            f(
                "Russian forces struck Zaporizhzhia with guided bombs on Sunday, killing at least four people and injuring 33.\n\n\
                 Update: The death toll has risen to six, and 41 people are now known to have been injured."
            ),
            ["2025-03-09 injured=41", "2025-03-09 killed=6"]
        );
    }

    #[test]
    fn plans_running_totals_and_noun_phrases() {
        // 2025-06-02 is a Monday.
        let f = |text: &str| day_counts(text, "2025-06-02");
        assert!(
            f("The talks on Friday ended with an agreement to exchange 1,000 prisoners each.")
                .is_empty()
        );
        assert!(f("The headquarters says 4,131 Ukrainians have now been returned.").is_empty());
        assert!(
            f("In total, 661 aircraft have been destroyed since the beginning of the operation.")
                .is_empty()
        );
        // Losses of troops, and the killed and wounded together, are of no one kind.
        assert!(f("On Sunday Russia had lost 1,660 troops, the General Staff said.").is_empty());
        assert!(f("On Sunday the strikes left 470 servicemen killed and wounded.").is_empty());
        assert_eq!(
            f("On Sunday up to 40 servicemen were eliminated."),
            ["2025-06-01 killed=40"]
        );
        assert_eq!(
            f("On Sunday seven people were killed. Dozens more were injured across the country."),
            ["2025-06-01 injured=-1", "2025-06-01 killed=7"]
        );
        assert!(f("He hoped to bring home hundreds more in the coming weeks.").is_empty());
        assert!(
            f("On Sunday Kyiv rejected his proposal for an exchange of about 1,000 prisoners.")
                .is_empty()
        );
        // A number that rose is the count of the participle after `number of`.
        assert_eq!(
            f("On Sunday the number of people evacuated from the flooded area has risen to 1,894."),
            ["2025-06-01 evacuated=1894"]
        );
        // A toll in Russia is no part of a larger one in Ukraine the same day.
        assert_eq!(
            f(
                "On Sunday missiles hit Kharkiv, injuring at least six people. \
                 In Russia, a drone hit a shopping centre in Vladikavkaz on Sunday, injuring one person."
            ),
            ["2025-06-01 injured=1", "2025-06-01 injured=6"]
        );
        assert_eq!(
            f(
                "У ніч на 1 червня росіяни запустили 81 ударний БпЛА, з яких 46 збили, а 31 локаційно втратили."
            ),
            [
                "2025-06-01 drones_destroyed=46",
                "2025-06-01 drones_launched=81",
                "2025-06-01 drones_suppressed=31"
            ]
        );
        assert_eq!(
            f("On Sunday Russia sent 728 drones, along with 13 cruise and ballistic missiles."),
            [
                "2025-06-01 drones_launched=728",
                "2025-06-01 missiles_launched=13"
            ]
        );
        assert_eq!(
            f(
                "On Sunday at least 13 people were killed and more than 110 wounded when Russian warplanes dropped two bombs."
            ),
            ["2025-06-01 injured=110", "2025-06-01 killed=13"]
        );
        // `all four of the capital's airports` counts no people.
        assert_eq!(
            f(
                "The attack on Sunday killed at least three people and forced all four of the capital's airports to close."
            ),
            ["2025-06-01 killed=3"]
        );
        // The week is the claim's, not a weekly total.
        assert_eq!(
            f("The ministry claimed last week that its forces had captured four villages."),
            ["2025-05-26 settlements_captured=4"]
        );
        // An undated lead and a dated later sentence about one swap are one event.
        let x = run(
            "Ukraine and Russia have each freed 150 prisoners of war.\n\n\
             The ministry said on Sunday the 150 Russian servicemen released by Kyiv were in Belarus.",
            "2025-06-02",
        );
        assert_eq!(x.events.len(), 1);
        assert_eq!(
            figures(&x),
            [(
                "2025-06-01".to_string(),
                "prisoners_exchanged".to_string(),
                Some(150),
                "exact"
            )]
        );
        // A ministry's count over several regions is a national tally.
        let x = run(
            "The defence ministry said on Sunday it had destroyed 337 Ukrainian drones over ten regions.",
            "2025-06-02",
        );
        assert_eq!(x.events.first().map(|e| e.event_type), Some("air_attack"));
    }

    #[test]
    fn attackers_are_the_side_named_as_attacking_not_the_side_hit() {
        let side = |t: &str| attacker(&crate::extract::text::tokens(t, 0));
        assert_eq!(
            side("Russian forces struck Kharkiv overnight."),
            Some("russia")
        );
        assert_eq!(
            side("A Russian missile strike on Dnipro killed three."),
            Some("russia")
        );
        assert_eq!(
            side("Russia launched a ballistic missile at Sumy."),
            Some("russia")
        );
        assert_eq!(
            side("Ukrainian drones hit a refinery in Saratov."),
            Some("ukraine")
        );
        assert_eq!(
            side("Ukraine's military attacked the Engels air base."),
            Some("ukraine")
        );
        assert_eq!(side("Two Ukrainian soldiers were killed."), None);
        assert_eq!(
            side("A drone attack on Russia's Belgorod region injured two."),
            None
        );
        assert_eq!(side("Drones attacked Kyiv, the mayor said."), None);
        assert_eq!(
            side("The strike in Ukraine was the largest this year."),
            None
        );
    }

    #[test]
    fn talks_captures_and_evacuations_are_events_without_figures() {
        let x = run(
            "Russian and Ukrainian delegations held talks in Istanbul on Monday.\n\n\
             Russia's defence ministry said on Sunday that its forces had captured the village of Ocheretyne.\n\n\
             Authorities ordered the evacuation of families with children from Kostiantynivka on Friday.\n\n\
             Officials denied that Pokrovsk had been captured.\n\n\
             On Saturday Russian troops seized the village of Kalynove near Kostiantynivka.",
            "2025-06-03",
        );
        let mut events: Vec<(String, &str, String)> = x
            .events
            .iter()
            .map(|e| {
                (
                    e.date.to_string(),
                    e.event_type,
                    e.place.clone().map(|p| p.name).unwrap_or_default(),
                )
            })
            .collect();
        events.sort();
        assert_eq!(
            events,
            vec![
                (
                    "2025-05-30".to_string(),
                    "evacuation",
                    "Kostiantynivka".to_string()
                ),
                (
                    "2025-05-31".to_string(),
                    "territorial_change",
                    "Kalynove".to_string()
                ),
                (
                    "2025-06-01".to_string(),
                    "territorial_change",
                    "Ocheretyne".to_string()
                ),
                ("2025-06-02".to_string(), "talks", "Istanbul".to_string()),
            ]
        );
        assert!(x.events.iter().all(|e| e.figures.is_empty()));
        // A village the gazetteer does not list is the place of its own capture.
        let kalynove = x.events.iter().find(|e| e.date.to_string() == "2025-05-31");
        assert_eq!(
            kalynove.and_then(|e| e.place.as_ref()).map(|p| p.entry),
            Some(None)
        );
    }

    #[test]
    fn the_record_attack_article() {
        let x = run(
            "Russia sent 472 Shahed-type attack drones against Ukraine in an attack that began on Saturday evening and ran into Sunday afternoon. Seven missiles were fired alongside them.\n\n\
             The missiles were three Iskander-M or KN-23 ballistic missiles and four cruise missiles.\n\n\
             Air defence units shot down 210 drones. Another 172 were jammed by electronic warfare. Three of the four cruise missiles were intercepted; none of the ballistic missiles was.\n\n\
             The previous record of 355 drones was set less than a week earlier, on the night into 26 May.",
            "2025-06-01",
        );
        let day = "2025-06-01".to_string();
        assert_eq!(
            figures(&x),
            [
                (day.clone(), "drones_destroyed".into(), Some(210), "exact"),
                (day.clone(), "drones_launched".into(), Some(472), "exact"),
                (day.clone(), "drones_suppressed".into(), Some(172), "exact"),
                (day.clone(), "missiles_destroyed".into(), Some(3), "exact"),
                (day, "missiles_launched".into(), Some(7), "exact"),
            ]
        );
    }

    #[test]
    fn elided_counts_tolls_swaps_and_background() {
        let f = |text: &str| {
            figures(&run(text, "2025-06-03"))
                .into_iter()
                .map(|(_, k, v, _)| format!("{k}={}", v.unwrap_or(-1)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            f("The mayor said two people had been killed and twenty-three wounded in the city."),
            ["injured=23", "killed=2"]
        );
        assert_eq!(
            f("The air force said 103 drones had been downed and 67 lost from radar."),
            ["drones_destroyed=103", "drones_suppressed=67"]
        );
        assert_eq!(
            f(
                "Officials said the death toll from the strike on the station, where crowds waited, had risen to fifty-two."
            ),
            ["killed=52"]
        );
        assert_eq!(
            f("Russia launched 472 drones on Sunday, eclipsing the previous record of 355."),
            ["drones_launched=472"]
        );
        // The same in Ukrainian: a toll that rose, the missing, a second count after `та`,
        // a measure that another count stands between, parts and weekly totals.
        assert_eq!(
            f(
                "Кількість загиблих унаслідок удару по Тернополю зросла до 26, серед них троє дітей."
            ),
            ["killed=26"]
        );
        assert_eq!(
            f("Ще 22 людини вважаються зниклими безвісти."),
            ["missing=22"]
        );
        assert_eq!(
            f("Щонайменше десятеро людей загинули та понад 40 дістали поранення."),
            ["injured=40", "killed=10"]
        );
        assert_eq!(
            f(
                "Загинула одна людина, ще дев’ятеро людей, серед них 16-річний хлопець, дістали поранення."
            ),
            ["injured=9", "killed=1"]
        );
        assert!(f("З початку тижня евакуйовано 46 мешканців, серед них 9 дітей.").is_empty());
        assert!(f("Лише за минулий тиждень Росія випустила понад 140 ракет.").is_empty());
        assert_eq!(
            f("Air defences shot down 138 of the drones, while 119 others were lost from radar."),
            ["drones_destroyed=138", "drones_suppressed=119"]
        );
        // The side that defends is not the side that launched.
        let sides: Vec<_> = figures_with_sides(&run(
            "Ukrainian forces shot down 55 drones. Russian air defence destroyed 13 drones over the Kursk region on Sunday.",
            "2025-06-03",
        ));
        assert!(
            sides.contains(&("drones_destroyed".into(), Some(55), Some("russia"))),
            "{sides:?}"
        );
        assert!(
            sides.contains(&("drones_destroyed".into(), Some(13), Some("ukraine"))),
            "{sides:?}"
        );
        // A regional part of a total given before, and a vague count beside a number.
        assert_eq!(
            f(
                "Russia's defence ministry said it had destroyed 158 Ukrainian drones overnight. \
               It said 46 of the drones were downed over the Kursk region. \
               Moscow Mayor Sergei Sobyanin said dozens of drones had been shot down."
            ),
            ["drones_destroyed=158"]
        );
        // A smaller toll is a part of the day's larger one unless it says it is another.
        assert_eq!(
            f("A strike on Dnipro killed 20 people. Two more people were killed in Samarivka."),
            ["killed=2", "killed=20"]
        );
        // Parts, populations, what has not happened, and weekly totals are not counts.
        assert!(f("Those freed were 224 servicemen and six civilians.").is_empty());
        assert!(f("The village, home to about 330 people before the strike, was hit.").is_empty());
        assert!(f("Thousands of people were waiting to be evacuated.").is_empty());
        assert!(
            f("Russian forces captured no fewer than six villages over the previous week.")
                .is_empty()
        );
        assert!(f("Over the week, our air defence destroyed 61 Ukrainian drones.").is_empty());
        // A verb in an earlier clause than a settlement count (this once panicked).
        assert_eq!(
            f("Russian troops captured, after weeks of fighting, 27 settlements in the region."),
            ["settlements_captured=27"]
        );
        assert!(f("Ukraine received the bodies of 757 soldiers killed in fighting.").is_empty());
        assert!(
            f("Shebekino, a town of about 40,000 people, was evacuated in the summer.").is_empty()
        );
        assert!(f("Officials first reported two workers dead on Thursday.").is_empty());
        assert!(f("Раніше влада повідомляла про 16 загиблих: ще двоє людей померли.").is_empty());
        assert_eq!(
            f("Air defence forces destroyed 14 aircraft-type UAVs over the region."),
            ["drones_destroyed=14"]
        );
        // A later count stands between a count and the verb after it, unless joined.
        assert_eq!(
            f(
                "Air defences shot down 54 of the drones, while another 52 drones were lost to jamming."
            ),
            ["drones_destroyed=54", "drones_suppressed=52"]
        );
        assert_eq!(
            f("Of these, 37 missiles and 55 drones were destroyed."),
            ["drones_destroyed=55", "missiles_destroyed=37"]
        );
        // An uneven swap is a count per side; an even one is one count.
        let swap = run(
            "Two hundred and thirty Ukrainians came home on Monday in a prisoner exchange, and 248 Russian servicemen were returned.",
            "2025-06-03",
        );
        let sides: Vec<_> = swap.events[0]
            .figures
            .iter()
            .map(|f| (f.value, f.side))
            .collect();
        assert_eq!(sides.len(), 2, "{sides:?}");
        assert!(sides.contains(&(Some(230), Some("ukraine"))));
        assert!(sides.contains(&(Some(248), Some("russia"))));
        let even = run(
            "In a prisoner exchange on Monday, 84 Ukrainians were freed and 84 Russian soldiers returned.",
            "2025-06-03",
        );
        assert_eq!(figures(&even).len(), 1);
    }

    #[test]
    fn the_same_day_is_the_last_day_named_and_an_order_to_leave_evacuates() {
        let x = run(
            "On Monday, Russian groups were reported near Dobropillia. \
             On Tuesday, the ministry said its troops had captured two villages. \
             The same day, the governor ordered families to leave eleven settlements around Dobropillia.",
            "2025-08-13",
        );
        assert_eq!(
            figures(&x),
            [
                (
                    "2025-08-12".into(),
                    "settlements_captured".into(),
                    Some(2),
                    "exact"
                ),
                (
                    "2025-08-12".into(),
                    "settlements_evacuated".into(),
                    Some(11),
                    "exact"
                ),
            ]
        );
    }

    #[test]
    fn casualties_with_qualifiers() {
        let x = run(
            "A Russian missile hit a training unit on Sunday, killing at least 12 service members and wounding more than 60, the Ground Forces said.",
            "2025-06-01",
        );
        assert_eq!(
            figures(&x),
            [
                ("2025-06-01".into(), "injured".into(), Some(60), "more_than"),
                ("2025-06-01".into(), "killed".into(), Some(12), "at_least"),
            ]
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// No body panics the extractor, and every span it reports is the text it names.
        #[test]
        fn any_text_extracts_without_panic_and_spans_hold(
            words in prop::collection::vec(
                prop::sample::select(vec![
                    "hundred", "thousand", "dozen", "dozens", "of", "the", "at", "least", "472",
                    "1,200", "9:40", "drones", "missiles", "killed", "were", "shot", "down",
                    "Kyiv", "Kharkiv", "on", "Friday", "overnight", "into", "26", "May", "none",
                    "Mr.", "Sybiha", "чотирма", "ракетами", "збили", "у", "ніч", "на", "червня",
                    ",", ".", ";", "\n\n", "’s", "47th", "Brigade", "one", "twenty-five", "and",
                    "settlements", "captured", "evacuated", "ordered", "to", "leave", "others",
                    "63", "-", "тя", "бригада", "struck", "hit", "strike", "the", "same", "day",
                ]),
                0..80,
            ),
            noise in "\\PC{0,40}",
        ) {
            let body = format!("{} {noise}", words.join(" "));
            let g = Gazetteer::bundled();
            let published = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
            let x = extract(&Article { body: &body, published }, &g);
            for e in &x.events {
                for f in &e.figures {
                    prop_assert_eq!(&body[f.evidence.start..f.evidence.end], f.evidence.text.as_str());
                    prop_assert!(f.value.is_none_or(|v| v >= 0));
                }
            }
            for e in &x.entities {
                prop_assert_eq!(&body[e.evidence.start..e.evidence.end], e.evidence.text.as_str());
            }
        }
    }

    #[test]
    fn units_numbered_in_ukrainian_take_their_english_names() {
        let g = Gazetteer::bundled();
        let published = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
        let body = "Там стоїть 63-тя механізована бригада, а поруч бійці 47-ї окремої механізованої бригади.";
        let x = extract(&Article { body, published }, &g);
        let units: Vec<&str> = x
            .entities
            .iter()
            .filter(|e| e.kind == "military_unit")
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(
            units,
            ["63rd Mechanised Brigade", "47th Mechanised Brigade"]
        );
    }

    #[test]
    fn huge_spelled_numbers_are_not_counts() {
        let body = format!("Russia launched one {} drones.", "hundred ".repeat(40));
        let g = Gazetteer::bundled();
        let published = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let x = extract(
            &Article {
                body: &body,
                published,
            },
            &g,
        );
        let values: Vec<Option<i64>> = x
            .events
            .iter()
            .flat_map(|e| e.figures.iter().map(|f| f.value))
            .collect();
        assert_eq!(values, []);
        // Spelled counts within the limit still are counts.
        let body = "Russia launched two thousand drones.";
        let x = extract(&Article { body, published }, &g);
        let values: Vec<Option<i64>> = x
            .events
            .iter()
            .flat_map(|e| e.figures.iter().map(|f| f.value))
            .collect();
        assert_eq!(values, [Some(2000)]);
    }
}
