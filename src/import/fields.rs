//! The canonical fields of each record kind, the header names (and synonyms) that map to
//! them, and the resolution of a file's columns or JSON keys to fields.

use std::collections::HashMap;

use crate::cli::RecordKind;
use crate::names::header_key;

/// A field sitrep understands. Figures are named by their kind (`killed`, `drones_launched`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    // articles
    Url,
    Title,
    Published,
    Author,
    Language,
    Body,
    /// Nested entities (JSON only), in articles and events.
    Entities,
    /// Nested events (JSON articles only).
    Events,
    // events
    EventId,
    Dataset,
    Date,
    EndDate,
    DatePrecision,
    TimeStart,
    TimeEnd,
    Type,
    Subtype,
    Region,
    Location,
    Actors,
    Targets,
    Weapon,
    ArticleUrl,
    Notes,
    /// Figures with weapons: a JSON array (or, in CSV, a cell holding one).
    Figures,
    /// A figure column: the figure kind's name.
    Figure(String),
    /// A dataset's version of a row (newer replaces older, never the reverse).
    Version,
    /// Source columns kept as a JSON object.
    Extra,
    // shared
    Source,
    Country,
    Latitude,
    Longitude,
    // entities
    Name,
    EntityKind,
    Aliases,
    Class,
    Description,
}

impl Field {
    /// The canonical column name, as `export` writes it.
    pub fn canonical(&self) -> &str {
        match self {
            Field::Url => "url",
            Field::Title => "title",
            Field::Published => "published",
            Field::Author => "author",
            Field::Language => "language",
            Field::Body => "body",
            Field::Entities => "entities",
            Field::Events => "events",
            Field::EventId => "event_id",
            Field::Dataset => "dataset",
            Field::Date => "date",
            Field::EndDate => "end_date",
            Field::DatePrecision => "date_precision",
            Field::TimeStart => "time_start",
            Field::TimeEnd => "time_end",
            Field::Type => "type",
            Field::Subtype => "subtype",
            Field::Region => "region",
            Field::Location => "location",
            Field::Actors => "actors",
            Field::Targets => "targets",
            Field::Weapon => "weapon",
            Field::ArticleUrl => "article_url",
            Field::Notes => "notes",
            Field::Figures => "figures",
            Field::Figure(kind) => kind,
            Field::Version => "version",
            Field::Extra => "extra",
            Field::Source => "source",
            Field::Country => "country",
            Field::Latitude => "latitude",
            Field::Longitude => "longitude",
            Field::Name => "name",
            Field::EntityKind => "kind",
            Field::Aliases => "aliases",
            Field::Class => "class",
            Field::Description => "description",
        }
    }
}

/// Header names accepted for each field of a kind: the canonical name first, then synonyms.
fn table(kind: RecordKind) -> &'static [(Field, &'static [&'static str])] {
    const ARTICLES: &[(Field, &[&str])] = &[
        (Field::Url, &["url", "link", "href", "article_url"]),
        (Field::Title, &["title", "headline"]),
        (
            Field::Published,
            &[
                "published",
                "published_at",
                "publication_date",
                "pubdate",
                "date",
            ],
        ),
        (Field::Source, &["source", "outlet", "publisher"]),
        (Field::Author, &["author", "authors", "byline"]),
        (Field::Language, &["language", "lang"]),
        (Field::Body, &["body", "text", "content", "article_body"]),
        (Field::Entities, &["entities"]),
        (Field::Events, &["events"]),
        (Field::Extra, &["extra"]),
    ];
    const EVENTS: &[(Field, &[&str])] = &[
        (Field::EventId, &["event_id", "id", "external_id"]),
        (Field::Dataset, &["dataset"]),
        (Field::Date, &["date", "event_date", "day"]),
        (Field::EndDate, &["end_date", "date_end"]),
        (
            Field::DatePrecision,
            &["date_precision", "precision", "time_precision"],
        ),
        (Field::TimeStart, &["time_start", "start_time", "starts_at"]),
        (Field::TimeEnd, &["time_end", "end_time", "ends_at"]),
        (Field::Type, &["type", "event_type"]),
        (
            Field::Subtype,
            &["subtype", "sub_event_type", "event_subtype"],
        ),
        (Field::Country, &["country"]),
        (Field::Region, &["region", "admin1", "oblast", "province"]),
        (Field::Location, &["location", "place", "locality", "city"]),
        (Field::Latitude, &["latitude", "lat"]),
        (Field::Longitude, &["longitude", "lon", "lng", "long"]),
        (Field::Actors, &["actors", "actor"]),
        (Field::Targets, &["targets", "target"]),
        (Field::Weapon, &["weapon", "weapons"]),
        (
            Field::ArticleUrl,
            &["article_url", "article_urls", "url", "article", "link"],
        ),
        (Field::Source, &["source"]),
        (Field::Notes, &["notes", "note", "summary"]),
        (Field::Figures, &["figures"]),
        (Field::Entities, &["entities"]),
        (Field::Version, &["version"]),
        (Field::Extra, &["extra"]),
    ];
    const ENTITIES: &[(Field, &[&str])] = &[
        (Field::Name, &["name", "canonical_name", "entity"]),
        (Field::EntityKind, &["kind", "entity_kind", "entity_type"]),
        (Field::Aliases, &["aliases", "alias", "also_known_as"]),
        (Field::Class, &["class", "weapon_class"]),
        (Field::Country, &["country"]),
        (Field::Latitude, &["latitude", "lat"]),
        (Field::Longitude, &["longitude", "lon", "lng", "long"]),
        (Field::Description, &["description", "notes"]),
    ];
    match kind {
        RecordKind::Articles => ARTICLES,
        RecordKind::Events => EVENTS,
        RecordKind::Entities => ENTITIES,
    }
}

/// Resolves header names to fields for one kind of record.
pub struct FieldMap {
    by_key: HashMap<String, Field>,
}

/// What a header resolved to.
pub enum Resolved {
    Field(Field),
    /// A `figure:NAME` column naming a figure kind the archive does not have yet.
    NewFigure(String),
    Unknown,
}

impl FieldMap {
    /// `figure_kinds` are the figure kinds the archive knows (events only).
    pub fn new(kind: RecordKind, figure_kinds: &[String]) -> FieldMap {
        let mut by_key = HashMap::new();
        for (field, names) in table(kind) {
            for name in *names {
                by_key
                    .entry(header_key(name))
                    .or_insert_with(|| field.clone());
            }
        }
        if kind == RecordKind::Events {
            for figure in figure_kinds {
                by_key
                    .entry(header_key(figure))
                    .or_insert_with(|| Field::Figure(figure.clone()));
            }
        }
        FieldMap { by_key }
    }

    /// The field a header names.
    pub fn resolve(&self, header: &str) -> Resolved {
        let trimmed = header.trim().trim_start_matches('\u{feff}');
        if let Some(rest) = trimmed
            .strip_prefix("figure:")
            .or_else(|| trimmed.strip_prefix("figure."))
        {
            let name = figure_kind_name(rest);
            return match self.by_key.get(&header_key(&name)) {
                Some(field @ Field::Figure(_)) => Resolved::Field(field.clone()),
                _ if name.is_empty() => Resolved::Unknown,
                _ => Resolved::NewFigure(name),
            };
        }
        match self.by_key.get(&header_key(trimmed)) {
            Some(field) => Resolved::Field(field.clone()),
            None => Resolved::Unknown,
        }
    }
}

/// A figure kind's name as stored: lower case, words joined by `_`.
pub fn figure_kind_name(raw: &str) -> String {
    let mut name = String::new();
    for c in raw.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.ends_with('_') && !name.is_empty() {
            name.push('_');
        }
    }
    while name.ends_with('_') {
        name.pop();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "n_");
    }
    name
}

/// Guesses what a file holds from its headers, when `--kind` is not given.
pub fn guess_kind<'a>(headers: impl IntoIterator<Item = &'a str>) -> Option<RecordKind> {
    let keys: Vec<String> = headers.into_iter().map(header_key).collect();
    let has = |name: &str| keys.iter().any(|k| k == name);
    if has("name") && (has("kind") || has("aliases")) {
        Some(RecordKind::Entities)
    } else if has("eventid") || has("eventdate") || (has("date") && !has("title") && !has("body")) {
        Some(RecordKind::Events)
    } else if has("url") || has("link") {
        Some(RecordKind::Articles)
    } else if has("date") {
        Some(RecordKind::Events)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_ignoring_case_spaces_and_separators() {
        let map = FieldMap::new(RecordKind::Events, &["drones_launched".to_string()]);
        assert!(matches!(
            map.resolve("Event ID"),
            Resolved::Field(Field::EventId)
        ));
        assert!(matches!(
            map.resolve("ADMIN1"),
            Resolved::Field(Field::Region)
        ));
        assert!(matches!(
            map.resolve("Drones Launched"),
            Resolved::Field(Field::Figure(k)) if k == "drones_launched"
        ));
        assert!(matches!(map.resolve("colour"), Resolved::Unknown));
    }

    #[test]
    fn figure_prefix_names_new_kinds() {
        let map = FieldMap::new(RecordKind::Events, &["killed".to_string()]);
        assert!(matches!(
            map.resolve("figure:Tanks Destroyed"),
            Resolved::NewFigure(k) if k == "tanks_destroyed"
        ));
        assert!(matches!(
            map.resolve("figure:killed"),
            Resolved::Field(Field::Figure(k)) if k == "killed"
        ));
    }

    #[test]
    fn kind_is_guessed_from_headers() {
        assert_eq!(
            guess_kind(["name", "kind", "aliases"]),
            Some(RecordKind::Entities)
        );
        assert_eq!(guess_kind(["event_id", "date"]), Some(RecordKind::Events));
        assert_eq!(
            guess_kind(["url", "title", "published"]),
            Some(RecordKind::Articles)
        );
        assert_eq!(guess_kind(["colour"]), None);
    }

    #[test]
    fn figure_kind_names_are_normalised() {
        assert_eq!(figure_kind_name(" Tanks  destroyed "), "tanks_destroyed");
        assert_eq!(figure_kind_name("2S19-lost"), "n_2s19_lost");
    }
}
