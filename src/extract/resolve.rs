//! After every sentence has given its events: the type and place an event's own sentence
//! left open, from the rest of the article. A city's attack is typed by the weapon named
//! first; casualties with no weapon and no place join the strike they follow; an event with
//! no place takes the city `the city` points back to, the region of a regional military
//! administration, or the one region the whole article is about.

use super::gazetteer::Gazetteer;
use super::text::{Sentence, Token};
use super::{Entity, Event, Extraction, Place};

/// The strike type of one word that names a weapon (`drones` → drone_strike).
fn weapon_type(w: &str) -> Option<&'static str> {
    if w.starts_with("drone")
        || w.starts_with("shahed")
        || w.starts_with("дрон")
        || w.starts_with("безпілот")
        || w.starts_with("бпла")
        || w.starts_with("шахед")
    {
        Some("drone_strike")
    } else if w.starts_with("missile")
        || w.starts_with("ракет")
        || w.starts_with("iskander")
        || w.starts_with("kinzhal")
        || w.starts_with("kalibr")
        || w == "ballistic"
    {
        Some("missile_strike")
    } else if w == "glide"
        || (w.starts_with("bomb") && !w.starts_with("bomber"))
        || w == "kab"
        || w == "kabs"
    {
        Some("guided_bomb_strike")
    } else if w.starts_with("shell") || w == "artillery" || w.starts_with("обстріл") {
        Some("shelling")
    } else {
        None
    }
}

/// The strike type of the weapon a run of tokens names first: a local attack with several
/// weapons takes its type from the first (`pounded Kiev with missiles and drones` is a
/// missile strike).
pub(super) fn first_weapon(tokens: &[Token<'_>]) -> Option<&'static str> {
    // "components for missile guidance systems", "drone production": the weapon as a
    // modifier of something else is not one used.
    let modifies = |k: usize| {
        tokens.get(k + 1).is_some_and(|n| {
            matches!(
                n.lower().as_str(),
                "guidance"
                    | "production"
                    | "components"
                    | "factory"
                    | "factories"
                    | "plant"
                    | "carriers"
                    | "launchers"
                    | "alert"
                    | "alerts"
                    | "warning"
                    | "warnings"
                    | "threat"
            )
        })
    };
    tokens
        .iter()
        .enumerate()
        .filter(|&(k, _)| !modifies(k))
        .find_map(|(_, t)| weapon_type(&t.lower()))
}

/// Types and places the sentences left open; see the module's head.
pub(super) fn types_and_places(x: &mut Extraction, sentences: &[Sentence<'_>], g: &Gazetteer) {
    drop_air_defence_parts(&mut x.events);
    type_untyped(&mut x.events, sentences);
    join_same_strikes(&mut x.events);
    place_placeless(x, sentences, g, false);
    join_national_casualties(&mut x.events);
    place_placeless(x, sentences, g, true);
    // A swap happens at a border: the city a sentence names is where it was agreed or where
    // the freed were taken (`agreed in Istanbul`).
    for e in &mut x.events {
        if e.event_type == "prisoner_exchange" {
            e.place = None;
        }
    }
    districts_to_cities(x, g);
    join_figureless_strikes(&mut x.events, g);
    join_same_events(&mut x.events);
}

/// A strike reported with no count, on the day of a counted strike of the same type in the
/// same place, in the region it lies in, or on a site of that region, is a detail of it:
/// the governor's `The missile hit near a playground` after the toll in Kryvyi Rih, a
/// village in a regional summary (`In the village of Razumnoye, a drone attacked a
/// house`).
fn join_figureless_strikes(events: &mut Vec<Event>, g: &Gazetteer) {
    let region = |p: &Place| {
        p.entry
            .map(|e| &g.entries[e])
            .filter(|e| !e.region.is_empty())
            .and_then(|e| g.lookup(&e.region, Some("place")))
    };
    let is_region = |p: &Place| {
        p.entry.is_some_and(|e| {
            matches!(
                g.entries[e].subkind.as_str(),
                "oblast" | "region" | "krai" | "republic"
            )
        })
    };
    let related = |a: &Place, b: &Place| {
        a == b
            || (a.entry.is_some() && region(a) == b.entry)
            || (b.entry.is_some() && region(b) == a.entry)
            || (a.entry.is_some_and(|e| g.entries[e].subkind == "landmark")
                && region(a).is_some()
                && region(a) == region(b))
            || (a.entry.is_none() && is_region(b))
    };
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        let detail = e.figures.is_empty()
            && e.evidence.rule.ends_with("-without-figures")
            && is_local_strike(e);
        let counted = detail
            && events.iter().any(|o| {
                !o.figures.is_empty()
                    && o.date == e.date
                    && o.event_type == e.event_type
                    && o.place
                        .as_ref()
                        .zip(e.place.as_ref())
                        .is_some_and(|(op, ep)| related(ep, op))
            });
        if counted {
            events.remove(i);
            continue;
        }
        i += 1;
    }
}

/// A city's district, named by its adjective (`the Osnovianskyi district`, unlike the
/// oblast's `Kupiansk district`), is in the city the article named before it: the event is
/// the city's.
fn districts_to_cities(x: &mut Extraction, g: &Gazetteer) {
    for e in &mut x.events {
        let Some(place) = &e.place else { continue };
        let city_district = place.entry.is_none()
            && place
                .name
                .strip_suffix(" district")
                .is_some_and(|n| n.ends_with("yi") || n.ends_with("yi'"));
        if !city_district {
            continue;
        }
        let at = e.evidence.sentence;
        let city = last_place_before(&x.entities, g, at, &["city", "capital"]);
        if let Some(city) = city {
            e.place = Some(Place::listed(city, g));
        }
    }
}

/// The gazetteer place of one of `subkinds` the article named last, up to sentence `at`.
fn last_place_before(
    entities: &[Entity],
    g: &Gazetteer,
    at: usize,
    subkinds: &[&str],
) -> Option<usize> {
    entities
        .iter()
        .rev()
        .filter(|n| n.evidence.sentence <= at)
        .filter_map(|n| n.entry)
        .find(|&n| {
            g.entries[n].kind == "place" && subkinds.contains(&g.entries[n].subkind.as_str())
        })
}

/// Events the passes above made alike (same day, precision, type and place, and no two
/// attackers) are one.
fn join_same_events(events: &mut Vec<Event>) {
    let mut i = 0;
    while i < events.len() {
        let same = (0..i).find(|&j| {
            let (a, b) = (&events[j], &events[i]);
            a.date == b.date
                && a.precision == b.precision
                && a.event_type == b.event_type
                && a.place == b.place
                && (a.actor == b.actor || a.actor.is_none() || b.actor.is_none())
                && (a.event_type != "air_attack" || a.actor == b.actor)
        });
        match same {
            Some(j) => {
                if events[j].actor.is_none() {
                    events[j].actor = events[i].actor;
                }
                join(events, i, j);
            }
            None => i += 1,
        }
    }
}

/// Drones and missiles a mayor or governor counts over one city or region are part of the
/// national tally of the same night and side when that tally is larger, wherever they
/// stand in the article (`Sobyanin said 19 drones were shot down approaching the city`
/// before `the ministry said 105 drones were destroyed over ten regions`). An event left
/// with nothing but such parts was only the tally's part, and goes.
fn drop_air_defence_parts(events: &mut Vec<Event>) {
    let weapons = |kind: &str| kind.starts_with("drones_") || kind.starts_with("missiles_");
    let tallies: Vec<(chrono::NaiveDate, String, Option<&'static str>, i64)> = events
        .iter()
        .filter(|e| e.event_type == "air_attack")
        .flat_map(|e| {
            e.figures
                .iter()
                .filter(|f| weapons(&f.kind))
                .filter_map(move |f| Some((e.date, f.kind.clone(), f.side, f.value?)))
        })
        .collect();
    events.retain_mut(|e| {
        if e.event_type == "air_attack" || e.figures.is_empty() {
            return true;
        }
        let before = e.figures.len();
        e.figures.retain(|f| {
            !weapons(&f.kind)
                || !tallies.iter().any(|(date, kind, side, total)| {
                    *date == e.date
                        && *kind == f.kind
                        && (side.is_none() || f.side.is_none() || *side == f.side)
                        && f.value.is_none_or(|v| v < *total)
                })
        });
        !(e.figures.is_empty() && before > 0)
    });
}

/// A local strike: a strike or shelling with a place.
fn is_local_strike(e: &Event) -> bool {
    e.place.is_some() && (e.event_type.ends_with("_strike") || e.event_type == "shelling")
}

/// The strike of `event`'s day it belongs to when it names no place: the nearest earlier
/// one (`At least 134 people were injured across the city` after the strike on Kyiv), or the
/// day's only one, among those `accepts`.
fn strike_for(events: &[Event], i: usize, accepts: impl Fn(&Event) -> bool) -> Option<usize> {
    let at = events[i].evidence.sentence;
    let same_day: Vec<usize> = (0..events.len())
        .filter(|&j| j != i && events[j].date == events[i].date && accepts(&events[j]))
        .collect();
    let earlier = same_day
        .iter()
        .copied()
        .filter(|&j| events[j].evidence.sentence <= at)
        .max_by_key(|&j| events[j].evidence.sentence);
    earlier.or((same_day.len() == 1).then(|| same_day[0]))
}

/// Moves event `i`'s figures into event `j` and removes `i`; a count both give is one, and
/// a later count that says it rose (`The death toll has risen to six`, `41 people are now
/// known to have been injured`) replaces the earlier one, keeping its qualifier.
fn join(events: &mut Vec<Event>, i: usize, j: usize) {
    let moved = events.remove(i);
    let j = if j > i { j - 1 } else { j };
    let text = moved.evidence.text.to_lowercase();
    let update = [
        " risen ",
        " rose ",
        " now ",
        " climbed ",
        "зросла",
        "зросло",
    ]
    .iter()
    .any(|w| text.contains(w));
    for f in moved.figures {
        let target = &mut events[j].figures;
        if target
            .iter()
            .any(|o| o.kind == f.kind && o.value.is_some() && o.value == f.value)
        {
            continue;
        }
        let superseded = target.iter().position(|o| {
            o.kind == f.kind && o.value.zip(f.value).is_some_and(|(old, new)| old < new)
        });
        match superseded {
            Some(k) if update && matches!(f.kind.as_str(), "killed" | "injured" | "missing") => {
                let qualifier = target[k].qualifier;
                target[k] = f;
                target[k].qualifier = qualifier;
            }
            _ => target.push(f),
        }
    }
}

/// Casualties whose sentence names no weapon: with a place, or with no strike to join, they
/// take the type of the weapon named nearest to them (see [`weapon_near`]); without a place,
/// they join the strike they follow.
fn type_untyped(events: &mut Vec<Event>, sentences: &[Sentence<'_>]) {
    for e in events.iter_mut() {
        if e.event_type == "attack"
            && e.place.is_some()
            && let Some(etype) = weapon_near(sentences, e.evidence.sentence)
        {
            e.event_type = etype;
        }
    }
    let mut i = 0;
    while i < events.len() {
        if events[i].event_type != "attack" || events[i].place.is_some() {
            i += 1;
            continue;
        }
        if let Some(j) = strike_for(events, i, is_local_strike) {
            join(events, i, j);
            continue;
        }
        if let Some(etype) = weapon_near(sentences, events[i].evidence.sentence) {
            events[i].event_type = etype;
        }
        i += 1;
    }
}

/// A strike with no place on the day of a strike of the same type with one is that strike
/// (`Russia had fired two Iskander missiles at the city`).
fn join_same_strikes(events: &mut Vec<Event>) {
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        let etype = e.event_type;
        let strike = etype.ends_with("_strike") || etype == "shelling";
        if e.place.is_none()
            && strike
            && let Some(j) = strike_for(events, i, |o| is_local_strike(o) && o.event_type == etype)
        {
            join(events, i, j);
            continue;
        }
        i += 1;
    }
}

/// Casualties with no place on the day of a national air attack and of no local strike are
/// that attack's (`Тоді загинули щонайменше семеро людей`).
fn join_national_casualties(events: &mut Vec<Event>) {
    let mut i = 0;
    while i < events.len() {
        let e = &events[i];
        let casualties_only = !e.figures.is_empty()
            && e.figures
                .iter()
                .all(|f| matches!(f.kind.as_str(), "killed" | "injured" | "missing"));
        let no_local = !events
            .iter()
            .any(|o| o.date == e.date && is_local_strike(o));
        if e.place.is_none()
            && casualties_only
            && no_local
            && e.event_type != "air_attack"
            && let Some(j) = strike_for(events, i, |o| {
                o.event_type == "air_attack" && o.place.is_none()
            })
        {
            join(events, i, j);
            continue;
        }
        i += 1;
    }
}

/// Words that point back to a settlement named before (`injured in the city`).
fn points_back(tokens: &[Token<'_>]) -> bool {
    tokens.windows(2).any(|w| {
        w[0].lower() == "the" && matches!(w[1].lower().as_str(), "city" | "town" | "village")
    }) || tokens
        .iter()
        .any(|t| matches!(t.lower().as_str(), "місті" | "селищі" | "селі"))
}

/// A place for a local event whose sentence named none: the settlement `the city` points
/// back to, or the region of a regional military administration the sentence names; and,
/// when `lead` is set, the region of the first place the article names.
fn place_placeless(x: &mut Extraction, sentences: &[Sentence<'_>], g: &Gazetteer, lead: bool) {
    // The region of a listed place, or of a regional military administration.
    let region_of = |entry: usize| -> Option<usize> {
        let e = &g.entries[entry];
        match e.kind {
            "place"
                if matches!(
                    e.subkind.as_str(),
                    "oblast" | "region" | "krai" | "republic"
                ) =>
            {
                Some(entry)
            }
            "place" if !e.region.is_empty() && e.subkind != "capital" => {
                g.lookup(&e.region, Some("place"))
            }
            "organisation" => e
                .name
                .strip_suffix(" Regional Military Administration")
                .and_then(|r| g.lookup(&format!("{r} Oblast"), Some("place"))),
            _ => None,
        }
    };
    let article_region = x
        .entities
        .iter()
        .filter_map(|e| e.entry)
        .filter(|&e| g.entries[e].kind == "place" && g.entries[e].subkind != "country")
        .find_map(region_of)
        .filter(|_| lead);
    for e in &mut x.events {
        if e.place.is_some()
            || matches!(
                e.event_type,
                "air_attack" | "talks" | "prisoner_exchange" | "other"
            )
        {
            continue;
        }
        let at = e.evidence.sentence;
        let Some(sentence) = sentences.iter().find(|s| s.index == at) else {
            continue;
        };
        let named_before =
            || last_place_before(&x.entities, g, at, &["city", "town", "village", "capital"]);
        let administration = || {
            x.entities
                .iter()
                .filter(|n| n.evidence.sentence == at && n.kind == "organisation")
                .filter_map(|n| n.entry)
                .find_map(region_of)
        };
        let entry = points_back(&sentence.tokens)
            .then(named_before)
            .flatten()
            .or_else(administration)
            .or(article_region);
        if let Some(entry) = entry {
            e.place = Some(Place::listed(entry, g));
        }
    }
}

/// The strike type of the weapon named nearest to sentence `at`: in it, then earlier in its
/// paragraph, then later in it (a live blog's headline `Poltava toll rises to 14` before
/// `a Russian missile struck`), then the first the article names.
fn weapon_near(sentences: &[Sentence<'_>], at: usize) -> Option<&'static str> {
    let here = sentences.iter().position(|s| s.index == at)?;
    let paragraph = sentences[here].paragraph;
    let in_paragraph = |s: &&Sentence<'_>| s.paragraph == paragraph;
    first_weapon(&sentences[here].tokens)
        .or_else(|| {
            sentences[..here]
                .iter()
                .rev()
                .filter(in_paragraph)
                .find_map(|s| first_weapon(&s.tokens))
        })
        .or_else(|| {
            sentences[here + 1..]
                .iter()
                .filter(in_paragraph)
                .find_map(|s| first_weapon(&s.tokens))
        })
        .or_else(|| sentences.iter().find_map(|s| first_weapon(&s.tokens)))
}

/// An event dated only by the publication day (`Ukraine and Russia have each freed 150
/// prisoners`) is the dated event of the same type and place that a later sentence reports
/// (`the ministry said on Wednesday the 150 servicemen …`), when there is exactly one.
pub(super) fn join_undated(events: &mut Vec<Event>) {
    let mut i = 0;
    while i < events.len() {
        let undated = &events[i];
        let same: Vec<usize> = (0..events.len())
            .filter(|&j| {
                j != i
                    && events[j].date_rule != "publication"
                    && events[j].event_type == undated.event_type
                    && (undated.place.is_none() || events[j].place == undated.place)
                    && (undated.actor.is_none() || events[j].actor == undated.actor)
                    && (0..=7).contains(&(undated.date - events[j].date).num_days())
            })
            .collect();
        if undated.date_rule == "publication" && same.len() == 1 {
            let moved = events.remove(i);
            let target = if same[0] > i { same[0] - 1 } else { same[0] };
            events[target].figures.extend(moved.figures);
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::{Article, extract};
    use super::*;

    /// (type, date, place, figure kinds) of each event, in order.
    fn events(body: &str) -> Vec<String> {
        let g = Gazetteer::bundled();
        let published = NaiveDate::from_ymd_opt(2025, 6, 17).unwrap_or_default();
        let mut out: Vec<String> = extract(&Article { body, published }, &g)
            .events
            .iter()
            .map(|e| {
                let mut kinds: Vec<&str> = e.figures.iter().map(|f| f.kind.as_str()).collect();
                kinds.sort_unstable();
                format!(
                    "{} {} {} [{}]",
                    e.event_type,
                    e.date,
                    e.place.as_ref().map_or("-", |p| p.name.as_str()),
                    kinds.join(" ")
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_city_attack_is_typed_by_the_weapon_named_first() {
        assert_eq!(
            events(
                "Russia pounded Kyiv with missiles and drones overnight, killing at least 12 people."
            ),
            ["missile_strike 2025-06-17 Kyiv [killed]"]
        );
        // No weapon in the sentence: the nearest one in its paragraph.
        assert_eq!(
            events("Two people were injured in Lutsk on Tuesday. Drones hit a warehouse there."),
            ["drone_strike 2025-06-17 Lutsk [injured]"]
        );
    }

    #[test]
    fn casualties_without_a_place_join_the_strike_they_follow() {
        assert_eq!(
            events(
                "A missile hit a block of flats in Kyiv on Tuesday, killing 28 people. \
                 At least 134 people were injured across the capital, officials said."
            ),
            ["missile_strike 2025-06-17 Kyiv [injured killed]"]
        );
        // The same weapon, the place said once.
        assert_eq!(
            events(
                "A strike on Kramatorsk on Tuesday killed 11 people. \
                 The military said Russia had fired two Iskander missiles at the city."
            ),
            ["missile_strike 2025-06-17 Kramatorsk [killed missiles_launched]"]
        );
    }

    #[test]
    fn an_event_without_a_place_takes_one_from_the_article() {
        // `the city` points back to the last settlement named.
        assert_eq!(
            events(
                "Russia launched 728 drones and 13 missiles overnight, the air force said. \
                 Drones hit Lutsk. Two people were injured in the city, officials said."
            ),
            [
                "air_attack 2025-06-17 - [drones_launched missiles_launched]",
                "drone_strike 2025-06-17 Lutsk [injured]"
            ]
        );
        // A regional military administration gives its region.
        assert_eq!(
            events(
                "On Tuesday 56 people were evacuated, the Sumy Regional Military Administration said."
            ),
            ["evacuation 2025-06-17 Sumy Oblast [evacuated]"]
        );
        // Casualties with nothing local beside a national tally are the tally's.
        assert_eq!(
            events(
                "Russia launched 90 drones and 12 missiles at Ukraine overnight, the air force said. \
                 At least seven people were killed."
            ),
            ["air_attack 2025-06-17 - [drones_launched killed missiles_launched]"]
        );
    }

    #[test]
    fn a_city_district_is_the_citys_and_alike_events_are_one() {
        assert_eq!(
            events(
                "Russian forces attacked Kharkiv with drones on Tuesday, injuring 60. \
                 The mayor said drones had struck the Osnovianskyi district, injuring 60."
            ),
            ["drone_strike 2025-06-17 Kharkiv [injured]"]
        );
    }

    #[test]
    fn a_swap_has_no_place() {
        assert_eq!(
            events(
                "On Tuesday Russia and Ukraine each freed 390 prisoners, as agreed in Istanbul."
            ),
            ["prisoner_exchange 2025-06-17 - [prisoners_exchanged]"]
        );
    }

    #[test]
    fn a_strike_without_a_count_is_an_event_unless_it_details_a_counted_one() {
        assert_eq!(
            events(
                "On Tuesday, drones struck the Lukoil refinery in Volgograd, the governor said. \
                 Its general staff said drones had hit a depot near Engels, which supplies \
                 the bombers Russia uses to fire cruise missiles."
            ),
            [
                "drone_strike 2025-06-17 Engels []",
                "drone_strike 2025-06-17 Volgograd []"
            ]
        );
        // A strike spoken of, with a place in another clause, is no strike there.
        assert!(
            events(
                "Sybiha said on Tuesday that the missile strike on an army training unit told \
                 the world more than the memorandum Russia had promised to bring to Istanbul."
            )
            .is_empty()
        );
        // The governor's detail of the strike he counted is the same strike.
        assert_eq!(
            events(
                "A Russian missile strike on Kryvyi Rih on Tuesday killed 18 people. \
                 The missile hit near a playground, Dnipropetrovsk regional governor Serhii Lysak said."
            ),
            ["missile_strike 2025-06-17 Kryvyi Rih [killed]"]
        );
    }

    #[test]
    fn a_mayors_count_before_the_national_tally_is_part_of_it() {
        assert_eq!(
            events(
                "Ukrainian drones targeted Moscow overnight. Mayor Sergei Sobyanin said air \
                 defences had shot down 19 drones approaching the city. The Defence Ministry said 105 Ukrainian drones had been destroyed \
                 overnight over ten regions. In Kyiv, a Russian drone attack overnight killed two people."
            ),
            [
                "air_attack 2025-06-17 - [drones_destroyed]",
                "drone_strike 2025-06-17 Kyiv [killed]"
            ]
        );
    }
}
