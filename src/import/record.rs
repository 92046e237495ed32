//! Typed records built from input rows: every value parsed and checked, every failure a
//! [`RowError`] that names the line, column and value.

use std::fmt;

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::fields::{Field, FieldMap, Resolved, figure_kind_name};
use super::row::{JsonRow, Row, json_text};
use super::value::{
    self, DateOrder, Figure, NumberContext, Precision, Qualifier, SlashOrderDetector,
};
use crate::cli::RecordKind;

/// Why one row cannot be imported.
#[derive(Debug, Clone)]
pub struct RowError {
    pub line: u64,
    /// Index of the element in a JSON array, when the row is one.
    pub element: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
    /// Set when a slash date was ambiguous and the column's order is not known yet: the
    /// importer may look at the whole column and try again.
    pub needs_order: Option<Field>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.element {
            Some(element) => write!(f, "element {element}")?,
            None => write!(f, "line {}", self.line)?,
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(value) = &self.value {
            let shown: String = value.chars().take(80).collect();
            let ellipsis = if shown.len() < value.len() { "…" } else { "" };
            write!(f, ", value {shown:?}{ellipsis}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for RowError {}

/// Settings that shape how values are read.
pub struct BuildContext<'a> {
    pub maps: &'a Maps,
    pub dataset: &'a str,
    pub date_order: Option<DateOrder>,
    /// Day/month order per date field, decided from the file's own values.
    pub decided: &'a RefCell<HashMap<Field, SlashOrderDetector>>,
    pub numbers: NumberContext,
    /// Element index of the current top-level JSON row, for messages.
    pub element: Option<u64>,
}

/// Field maps for every kind, built once per file.
pub struct Maps {
    pub articles: FieldMap,
    pub events: FieldMap,
    pub entities: FieldMap,
}

impl Maps {
    pub fn new(figure_kinds: &[String]) -> Maps {
        Maps {
            articles: FieldMap::new(RecordKind::Articles, figure_kinds),
            events: FieldMap::new(RecordKind::Events, figure_kinds),
            entities: FieldMap::new(RecordKind::Entities, figure_kinds),
        }
    }

    pub fn for_kind(&self, kind: RecordKind) -> &FieldMap {
        match kind {
            RecordKind::Articles => &self.articles,
            RecordKind::Events => &self.events,
            RecordKind::Entities => &self.entities,
        }
    }
}

/// A figure an event reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRecord {
    pub kind: String,
    pub value: Option<i64>,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: &'static str,
    pub weapon: Option<String>,
    /// The range does not hold the value, or low is above high (kept as reported).
    #[serde(skip)]
    pub inconsistent: bool,
}

impl FigureRecord {
    fn new(kind: String, figure: Figure, weapon: Option<String>) -> FigureRecord {
        FigureRecord {
            kind,
            value: figure.value,
            low: figure.low,
            high: figure.high,
            qualifier: figure.qualifier.as_str(),
            weapon,
            inconsistent: match (figure.low, figure.high) {
                (Some(low), Some(high)) => {
                    low > high || figure.value.is_some_and(|v| v < low || v > high)
                }
                _ => false,
            },
        }
    }
}

/// A reference from an event or article to an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRef {
    pub name: String,
    pub kind: Option<String>,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventRecord {
    pub dataset: String,
    pub external_id: Option<String>,
    /// A content key given back by `export` (`#…`) for an event with no external id.
    #[serde(skip)]
    pub given_key: Option<String>,
    pub date: String,
    pub end_date: Option<String>,
    pub precision: &'static str,
    pub time_start: Option<String>,
    pub time_end: Option<String>,
    pub event_type: Option<String>,
    pub subtype: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub source: Option<String>,
    pub notes: Option<String>,
    #[serde(skip)]
    pub version: Option<i64>,
    /// Source columns kept as they were (JSON object text).
    pub extra: Option<String>,
    /// Links by role; a role is listed only when the row has its column (then the
    /// row's set replaces the event's links of that role).
    pub links: Vec<(String, Vec<EntityRef>)>,
    pub article_urls: Vec<String>,
    /// Articles the row cites without a url (keyed by a stand-in url).
    #[serde(skip)]
    pub cited: Vec<ArticleRecord>,
    pub figures: Vec<FigureRecord>,
    /// The row gives a `figures` list: with its figure columns, the event's whole set of
    /// figures (others are removed).
    #[serde(skip)]
    pub figures_complete: bool,
    /// Figures present but empty, as (kind, weapon): they become unknown (removed).
    /// Not part of the content key: an empty column says nothing about the event.
    #[serde(skip)]
    pub cleared: Vec<(String, Option<String>)>,
    /// Figure kinds the row names that the archive does not know yet.
    #[serde(skip)]
    pub new_kinds: Vec<String>,
    /// Columns the row does not give (absent from the file): an update leaves them be.
    #[serde(skip)]
    pub absent: Vec<&'static str>,
    #[serde(skip)]
    pub line: u64,
}

impl EventRecord {
    /// The natural key: the external id, or a hash of the content when there is none.
    pub fn key(&self) -> String {
        match (&self.external_id, &self.given_key) {
            (Some(id), _) => id.clone(),
            (None, Some(key)) => key.clone(),
            (None, None) => {
                use sha2::{Digest, Sha256};
                // The order of columns and of list items says nothing about the event.
                let mut canonical = self.clone();
                canonical
                    .figures
                    .sort_by(|a, b| (&a.kind, &a.weapon).cmp(&(&b.kind, &b.weapon)));
                canonical.links.sort_by(|a, b| a.0.cmp(&b.0));
                for (_, refs) in &mut canonical.links {
                    refs.sort_by(|a, b| a.name.cmp(&b.name));
                }
                canonical.article_urls.sort();
                let json = serde_json::to_vec(&canonical).unwrap_or_default();
                let digest = Sha256::digest(&json);
                let mut key = String::from("#");
                for b in digest.iter().take(12) {
                    key.push_str(&format!("{b:02x}"));
                }
                key
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct ArticleRecord {
    pub url: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub body: Option<String>,
    pub extra: Option<String>,
    /// Columns the row does not give: an update leaves them be.
    pub absent: Vec<&'static str>,
    /// Links to entities; when given, they replace the article's links.
    pub entities: Option<Vec<EntityRef>>,
    pub events: Vec<EventRecord>,
    pub line: u64,
}

impl ArticleRecord {
    /// True when the row gives nothing but the url.
    pub fn is_placeholder(&self) -> bool {
        self.title.is_none()
            && self.published.is_none()
            && self.source.is_none()
            && self.author.is_none()
            && self.language.is_none()
            && self.body.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct EntityRecord {
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub class: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub description: Option<String>,
    /// Columns the row does not give: an update leaves them be.
    pub absent: Vec<&'static str>,
    pub line: u64,
}

impl BuildContext<'_> {
    fn error(
        &self,
        row: &dyn Row,
        field: Option<&Field>,
        value: Option<&str>,
        reason: impl Into<String>,
    ) -> RowError {
        RowError {
            line: row.line(),
            element: self.element,
            column: field.map(|f| row.column(f)),
            value: value.map(str::to_string),
            reason: reason.into(),
            needs_order: None,
        }
    }

    fn text(row: &dyn Row, field: &Field) -> Option<String> {
        row.text(field).map(|s| s.into_owned())
    }

    fn date(&self, row: &dyn Row, field: &Field) -> Result<Option<value::ParsedDate>, RowError> {
        let Some(text) = row.text(field) else {
            return Ok(None);
        };
        let learned = || -> Result<Option<DateOrder>, String> {
            match self.decided.borrow().get(field) {
                Some(detector) => detector.decided(),
                None => Ok(None),
            }
        };
        let order = match self.date_order {
            Some(order) => Some(order),
            None => {
                learned().map_err(|conflict| self.error(row, Some(field), Some(&text), conflict))?
            }
        };
        match value::parse_date(&text, order) {
            Ok(parsed) => {
                if self.date_order.is_none() {
                    let mut decided = self.decided.borrow_mut();
                    let detector = decided.entry(field.clone()).or_default();
                    detector.observe(&text);
                    if let Err(conflict) = detector.decided() {
                        return Err(self.error(row, Some(field), Some(&text), conflict));
                    }
                }
                Ok(parsed)
            }
            Err(value::DateError::Ambiguous) => {
                let mut err = self.error(
                    row,
                    Some(field),
                    Some(&text),
                    "ambiguous date: every slash date in this column could be day/month or \
                     month/day; say which with --date-order dmy or --date-order mdy",
                );
                if self.date_order.is_none() {
                    err.needs_order = Some(field.clone());
                }
                Err(err)
            }
            Err(other) => {
                // A value impossible in the order the column's own values showed: name the
                // contradiction rather than the impossible reading.
                if self.date_order.is_none()
                    && order.is_some()
                    && let Some(mut detector) = self.decided.borrow().get(field).cloned()
                {
                    detector.observe(&text);
                    if let Err(conflict) = detector.decided() {
                        return Err(self.error(row, Some(field), Some(&text), conflict));
                    }
                }
                Err(self.error(row, Some(field), Some(&text), other.to_string()))
            }
        }
    }

    /// Lets the whole column's values decide a field's day/month order.
    pub fn learn_order(&self, field: &Field, detector: SlashOrderDetector) {
        self.decided.borrow_mut().insert(field.clone(), detector);
    }

    fn coordinate(
        &self,
        row: &dyn Row,
        field: &Field,
        limit: f64,
    ) -> Result<Option<f64>, RowError> {
        let Some(text) = row.text(field) else {
            return Ok(None);
        };
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Ok(Some(v)),
            Ok(_) => Err(self.error(
                row,
                Some(field),
                Some(&text),
                format!("must be between -{limit} and {limit}"),
            )),
            Err(_) => Err(self.error(row, Some(field), Some(&text), "not a number")),
        }
    }

    fn figure(&self, row: &dyn Row, field: &Field, text: &str) -> Result<Option<Figure>, RowError> {
        value::parse_figure(text, self.numbers)
            .map_err(|err| self.error(row, Some(field), Some(text), err.to_string()))
    }

    /// Refuses a row holding a list or object where one value belongs.
    fn check_shape(&self, row: &dyn Row) -> Result<(), RowError> {
        match row.invalid() {
            None => Ok(()),
            Some((column, value)) => Err(RowError {
                line: row.line(),
                element: self.element,
                column: Some(column),
                value: Some(value),
                reason: "expected a single value (text or a number), not a list or an object"
                    .to_string(),
                needs_order: None,
            }),
        }
    }

    /// Builds an event from a row.
    pub fn event(&self, row: &dyn Row) -> Result<EventRecord, RowError> {
        self.check_shape(row)?;
        let date_field = Field::Date;
        let parsed = self
            .date(row, &date_field)?
            .ok_or_else(|| self.error(row, Some(&date_field), None, "an event needs a date"))?;
        let precision = match row.text(&Field::DatePrecision) {
            None => parsed.precision,
            Some(text) => {
                let explicit = Precision::parse(&text).ok_or_else(|| {
                    self.error(
                        row,
                        Some(&Field::DatePrecision),
                        Some(&text),
                        "expected day, week, month or year",
                    )
                })?;
                if rank(explicit) < rank(parsed.precision) {
                    return Err(self.error(
                        row,
                        Some(&Field::DatePrecision),
                        Some(&text),
                        format!(
                            "the date is only known to the {}",
                            parsed.precision.as_str()
                        ),
                    ));
                }
                explicit
            }
        };
        let end_date = self.date(row, &Field::EndDate)?.map(|d| d.iso_date());
        if let Some(end) = &end_date
            && end.as_str() < parsed.iso_date().as_str()
        {
            return Err(self.error(
                row,
                Some(&Field::EndDate),
                Some(end),
                "ends before the event's date",
            ));
        }
        let moment = |field: &Field| -> Result<Option<String>, RowError> {
            Ok(self
                .date(row, field)?
                .map(|d| d.iso_datetime().unwrap_or_else(|| d.iso_date())))
        };
        // A date cell's time of day becomes the start time, unless it is a bare midnight
        // without a zone: that is how spreadsheets write a plain date (`01/06/2025 00:00:00`).
        let time_of_date = parsed
            .iso_datetime()
            .filter(|_| parsed.offset.is_some() || parsed.time != Some(chrono::NaiveTime::MIN));
        let date_has_time = time_of_date.is_some();
        let time_start = moment(&Field::TimeStart)?.or(time_of_date);
        let time_end = moment(&Field::TimeEnd)?;

        let mut links = Vec::new();
        for (field, role) in [
            (Field::Actors, "actor"),
            (Field::Targets, "target"),
            (Field::Weapon, "weapon"),
        ] {
            if let Some(names) = row.list(&field) {
                let refs: Vec<EntityRef> = names
                    .into_iter()
                    .map(|name| EntityRef {
                        name,
                        kind: None,
                        role: role.to_string(),
                    })
                    .collect();
                links.push((role.to_string(), refs));
            }
        }
        if row.has(&Field::Location) {
            let refs = Self::text(row, &Field::Location)
                .map(|name| EntityRef {
                    name,
                    kind: Some("place".into()),
                    role: "location".into(),
                })
                .into_iter()
                .collect();
            links.push(("location".to_string(), refs));
        }
        if let Some(value) = self.json_field(row, &Field::Entities)? {
            let refs = self.entity_refs(row, &value)?;
            let mut by_role: Vec<(String, Vec<EntityRef>)> = Vec::new();
            for r in refs {
                match by_role.iter_mut().find(|(role, _)| *role == r.role) {
                    Some((_, list)) => list.push(r),
                    None => by_role.push((r.role.clone(), vec![r])),
                }
            }
            for (role, refs) in by_role {
                match links.iter_mut().find(|(r, _)| *r == role) {
                    Some((_, list)) => list.extend(refs),
                    None => links.push((role, refs)),
                }
            }
        }

        let mut figures = Vec::new();
        let mut cleared = Vec::new();
        let mut new_kinds = Vec::new();
        for field in row.figures() {
            let Field::Figure(kind) = field else { continue };
            let detail = row.figure_detail(field);
            let weapon = detail.weapon.as_deref().map(|w| w.trim().to_string());
            let mut figure = match row.text(field) {
                Some(text) => self.figure(row, field, &text)?,
                None => None,
            };
            for (bound, is_low) in [(&detail.low, true), (&detail.high, false)] {
                let Some(text) = bound else { continue };
                let value = self.figure(row, field, text)?.and_then(|f| f.value);
                let fig = figure.get_or_insert(Figure {
                    value: None,
                    low: None,
                    high: None,
                    qualifier: Qualifier::Exact,
                });
                if is_low {
                    fig.low = value;
                } else {
                    fig.high = value;
                }
            }
            match figure {
                Some(fig)
                    if fig.value.is_some()
                        || fig.low.is_some()
                        || fig.qualifier != Qualifier::Exact =>
                {
                    figures.push(FigureRecord::new(kind.clone(), fig, weapon))
                }
                _ => cleared.push((kind.clone(), weapon)),
            }
        }
        if let Some(value) = self.json_field(row, &Field::Figures)? {
            self.nested_figures(row, &value, &mut figures, &mut cleared, &mut new_kinds)?;
        }
        // A figure the row gives is not cleared by an empty cell of the same kind.
        cleared.retain(|(kind, weapon)| {
            !figures
                .iter()
                .any(|f| f.kind == *kind && f.weapon == *weapon)
        });
        for (i, f) in figures.iter().enumerate() {
            if figures
                .iter()
                .skip(i + 1)
                .any(|g| g.kind == f.kind && g.weapon == f.weapon)
            {
                return Err(self.error(
                    row,
                    Some(&Field::Figures),
                    None,
                    format!(
                        "the figure {}{} is given twice",
                        f.kind,
                        f.weapon
                            .as_deref()
                            .map(|w| format!(" for {w}"))
                            .unwrap_or_default()
                    ),
                ));
            }
        }

        let event_id = Self::text(row, &Field::EventId);
        let mut absent = absent_columns(
            row,
            &[
                (Field::EndDate, "end_date"),
                (Field::TimeEnd, "time_end"),
                (Field::Type, "type"),
                (Field::Subtype, "subtype"),
                (Field::Country, "country"),
                (Field::Region, "region"),
                (Field::Location, "location"),
                (Field::Latitude, "latitude"),
                (Field::Longitude, "longitude"),
                (Field::Source, "source_id"),
                (Field::Notes, "notes"),
                (Field::Version, "version"),
                (Field::Extra, "extra"),
            ],
        );
        if !row.has(&Field::DatePrecision) && parsed.precision == Precision::Day {
            absent.push("date_precision");
        }
        if !row.has(&Field::TimeStart) && !date_has_time {
            absent.push("time_start");
        }
        Ok(EventRecord {
            figures_complete: row.has(&Field::Figures),
            absent,
            dataset: Self::text(row, &Field::Dataset).unwrap_or_else(|| self.dataset.to_string()),
            external_id: event_id.clone().filter(|id| !id.starts_with('#')),
            given_key: event_id.filter(|id| id.starts_with('#')),
            date: parsed.iso_date(),
            end_date,
            precision: precision.as_str(),
            time_start,
            time_end,
            event_type: Self::text(row, &Field::Type),
            subtype: Self::text(row, &Field::Subtype),
            country: Self::text(row, &Field::Country),
            region: Self::text(row, &Field::Region),
            location: Self::text(row, &Field::Location),
            latitude: self.coordinate(row, &Field::Latitude, 90.0)?,
            longitude: self.coordinate(row, &Field::Longitude, 180.0)?,
            source: Self::text(row, &Field::Source),
            notes: Self::text(row, &Field::Notes),
            version: self.version(row)?,
            extra: self.extra(row)?,
            links,
            article_urls: row.list(&Field::ArticleUrl).unwrap_or_default(),
            cited: self.cited(row)?,
            figures,
            cleared,
            new_kinds,
            line: row.line(),
        })
    }

    /// The articles a row cites by description, as article records.
    fn cited(&self, row: &dyn Row) -> Result<Vec<ArticleRecord>, RowError> {
        let dataset = Self::text(row, &Field::Dataset).unwrap_or_else(|| self.dataset.to_string());
        let mut out = Vec::new();
        for cited in row.cited_articles() {
            let published = match &cited.published {
                Some(text) => match value::parse_date(text, self.date_order) {
                    Ok(d) => d.map(|d| d.iso_datetime().unwrap_or_else(|| d.iso_date())),
                    Err(e) => {
                        return Err(self.error(
                            row,
                            None,
                            Some(text),
                            format!("cited article date: {e}"),
                        ));
                    }
                },
                None => None,
            };
            out.push(ArticleRecord {
                url: cited.key(if dataset.is_empty() {
                    "cited"
                } else {
                    &dataset
                }),
                title: Some(cited.title.clone()),
                published,
                source: cited.source.clone(),
                author: None,
                language: None,
                body: None,
                extra: None,
                absent: vec!["author", "language", "body", "extra"],
                entities: None,
                events: Vec::new(),
                line: row.line(),
            });
        }
        Ok(out)
    }

    /// A row's version: an integer, or a date-time read as Unix seconds.
    fn version(&self, row: &dyn Row) -> Result<Option<i64>, RowError> {
        let Some(text) = row.text(&Field::Version) else {
            return Ok(None);
        };
        if let Ok(v) = text.parse::<i64>() {
            return Ok(Some(v));
        }
        match value::parse_date(&text, self.date_order) {
            Ok(Some(d)) => {
                let time = d.time.unwrap_or_default();
                let local = d.date.and_time(time);
                let offset = d.offset.map_or(0, |o| i64::from(o.local_minus_utc()));
                Ok(Some(local.and_utc().timestamp() - offset))
            }
            _ => Err(self.error(
                row,
                Some(&Field::Version),
                Some(&text),
                "expected a version number or a date-time",
            )),
        }
    }

    /// The `extra` object, as canonical JSON text.
    fn extra(&self, row: &dyn Row) -> Result<Option<String>, RowError> {
        match self.json_field(row, &Field::Extra)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(obj)) if obj.is_empty() => Ok(None),
            Some(value @ Value::Object(_)) => Ok(Some(value.to_string())),
            Some(other) => Err(self.error(
                row,
                Some(&Field::Extra),
                Some(&other.to_string()),
                "expected a JSON object",
            )),
        }
    }

    /// A nested field (`figures`, `entities`): a JSON value, or a CSV cell holding JSON.
    fn json_field(&self, row: &dyn Row, field: &Field) -> Result<Option<Value>, RowError> {
        if let Some(value) = row.json(field) {
            return Ok(Some(value.clone()));
        }
        match row.text(field) {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                self.error(
                    row,
                    Some(field),
                    Some(&text),
                    format!("expected a JSON array: {e}"),
                )
            }),
        }
    }

    fn nested_figures(
        &self,
        row: &dyn Row,
        value: &Value,
        figures: &mut Vec<FigureRecord>,
        cleared: &mut Vec<(String, Option<String>)>,
        new_kinds: &mut Vec<String>,
    ) -> Result<(), RowError> {
        let field = Field::Figures;
        let bad = |reason: String| self.error(row, Some(&field), Some(&value.to_string()), reason);
        let Value::Array(items) = value else {
            if value.is_null() {
                return Ok(());
            }
            return Err(bad("expected an array of figures".into()));
        };
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let Value::Object(obj) = item else {
                return Err(bad(format!(
                    "figure {n}: expected an object with kind and value"
                )));
            };
            let raw_kind = obj
                .get("kind")
                .and_then(json_text)
                .ok_or_else(|| bad(format!("figure {n}: no kind")))?;
            let kind = match self.maps.events.resolve(&raw_kind) {
                Resolved::Field(Field::Figure(kind)) => kind,
                _ => {
                    let name = figure_kind_name(&raw_kind);
                    if name.is_empty() {
                        return Err(bad(format!("figure {n}: kind {raw_kind:?} is not a name")));
                    }
                    if !new_kinds.contains(&name) {
                        new_kinds.push(name.clone());
                    }
                    name
                }
            };
            let text = obj.get("value").and_then(json_text);
            let mut figure = match &text {
                Some(text) => value::parse_figure(text, self.numbers)
                    .map_err(|e| bad(format!("figure {n} ({kind}): {e}")))?,
                None => None,
            };
            if let Some(q) = obj.get("qualifier").and_then(json_text) {
                let qualifier = Qualifier::parse(&q)
                    .ok_or_else(|| bad(format!("figure {n}: unknown qualifier {q:?}")))?;
                let fig = figure.get_or_insert(Figure {
                    value: None,
                    low: None,
                    high: None,
                    qualifier,
                });
                fig.qualifier = qualifier;
            }
            for (key, slot) in [("low", 0), ("high", 1)] {
                if let Some(t) = obj.get(key).and_then(json_text) {
                    let bound = value::parse_figure(&t, self.numbers)
                        .map_err(|e| bad(format!("figure {n} ({kind}) {key}: {e}")))?
                        .and_then(|f| f.value);
                    let fig = figure.get_or_insert(Figure {
                        value: None,
                        low: None,
                        high: None,
                        qualifier: Qualifier::Exact,
                    });
                    if slot == 0 {
                        fig.low = bound
                    } else {
                        fig.high = bound
                    }
                }
            }
            let weapon = obj
                .get("weapon")
                .and_then(json_text)
                .map(|s| s.trim().to_string());
            // An empty value makes the figure unknown: it is removed like an empty cell.
            let known = figure.as_ref().is_some_and(|f| {
                f.value.is_some() || f.low.is_some() || f.qualifier != Qualifier::Exact
            });
            let Some(figure) = figure.filter(|_| known) else {
                cleared.push((kind, weapon));
                continue;
            };
            figures.push(FigureRecord::new(kind, figure, weapon));
        }
        Ok(())
    }

    fn entity_refs(&self, row: &dyn Row, value: &Value) -> Result<Vec<EntityRef>, RowError> {
        let field = Field::Entities;
        let bad = |reason: String| self.error(row, Some(&field), Some(&value.to_string()), reason);
        let Value::Array(items) = value else {
            return if value.is_null() {
                Ok(Vec::new())
            } else {
                Err(bad("expected an array of entities".into()))
            };
        };
        let mut refs = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let (name, kind, role) = match item {
                Value::String(s) => (s.trim().to_string(), None, None),
                Value::Object(obj) => (
                    obj.get("name")
                        .and_then(json_text)
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default(),
                    obj.get("kind").and_then(json_text).map(|s| s.into_owned()),
                    obj.get("role").and_then(json_text).map(|s| s.into_owned()),
                ),
                _ => return Err(bad(format!("entity {n}: expected a name or an object"))),
            };
            if name.is_empty() {
                return Err(bad(format!("entity {n}: no name")));
            }
            let kind = match kind {
                Some(k) => Some(
                    normalise_kind(&k)
                        .ok_or_else(|| bad(format!("entity {n}: {}", unknown_kind(&k))))?,
                ),
                None => None,
            };
            let role = match role {
                Some(r) => normalise_role(&r).ok_or_else(|| {
                    bad(format!("entity {n}: unknown role {r:?} (expected actor, target, location, weapon, mentioned or quoted)"))
                })?,
                None => "mentioned",
            };
            refs.push(EntityRef {
                name,
                kind: kind.map(str::to_string),
                role: role.to_string(),
            });
        }
        Ok(refs)
    }

    /// Builds an article (and its nested events) from a row.
    pub fn article(&self, row: &dyn Row) -> Result<ArticleRecord, RowError> {
        self.check_shape(row)?;
        let url = Self::text(row, &Field::Url)
            .ok_or_else(|| self.error(row, Some(&Field::Url), None, "an article needs a url"))?;
        let published = self
            .date(row, &Field::Published)?
            .map(|d| d.iso_datetime().unwrap_or_else(|| d.iso_date()));
        let entities = match self.json_field(row, &Field::Entities)? {
            Some(value) => Some(self.entity_refs(row, &value)?),
            None => None,
        };
        let mut events = Vec::new();
        if let Some(value) = row.json(&Field::Events) {
            let Value::Array(items) = value else {
                return Err(self.error(
                    row,
                    Some(&Field::Events),
                    None,
                    "expected an array of events",
                ));
            };
            for (i, item) in items.iter().enumerate() {
                let Value::Object(obj) = item else {
                    return Err(self.error(
                        row,
                        Some(&Field::Events),
                        None,
                        format!("event {}: expected an object", i + 1),
                    ));
                };
                let nested = json_row(&self.maps.events, obj, row.line(), &mut Vec::new());
                let mut event = self.event(&nested).map_err(|mut e| {
                    e.reason = format!("in event {}: {}", i + 1, e.reason);
                    e
                })?;
                if !event.article_urls.contains(&url) {
                    event.article_urls.push(url.clone());
                }
                events.push(event);
            }
        }
        Ok(ArticleRecord {
            url,
            title: Self::text(row, &Field::Title),
            published,
            source: Self::text(row, &Field::Source),
            author: Self::text(row, &Field::Author),
            language: Self::text(row, &Field::Language),
            body: row.text(&Field::Body).map(|s| s.into_owned()),
            extra: self.extra(row)?,
            absent: absent_columns(
                row,
                &[
                    (Field::Title, "title"),
                    (Field::Published, "published"),
                    (Field::Source, "source_id"),
                    (Field::Author, "author"),
                    (Field::Language, "language"),
                    (Field::Body, "body"),
                    (Field::Extra, "extra"),
                ],
            ),
            entities,
            events,
            line: row.line(),
        })
    }

    /// Builds an entity from a row.
    pub fn entity(&self, row: &dyn Row) -> Result<EntityRecord, RowError> {
        self.check_shape(row)?;
        let name = Self::text(row, &Field::Name)
            .ok_or_else(|| self.error(row, Some(&Field::Name), None, "an entity needs a name"))?;
        let raw_kind = Self::text(row, &Field::EntityKind).ok_or_else(|| {
            self.error(
                row,
                Some(&Field::EntityKind),
                None,
                "an entity needs a kind",
            )
        })?;
        let kind = normalise_kind(&raw_kind).ok_or_else(|| {
            self.error(
                row,
                Some(&Field::EntityKind),
                Some(&raw_kind),
                unknown_kind(&raw_kind),
            )
        })?;
        let class = match Self::text(row, &Field::Class) {
            None => None,
            Some(raw) => {
                if kind != "weapon" {
                    return Err(self.error(
                        row,
                        Some(&Field::Class),
                        Some(&raw),
                        "only weapons have a class",
                    ));
                }
                Some(normalise_class(&raw).ok_or_else(|| {
                    self.error(
                        row,
                        Some(&Field::Class),
                        Some(&raw),
                        format!(
                            "unknown weapon class; expected one of {}",
                            WEAPON_CLASSES.join(", ")
                        ),
                    )
                })?)
            }
        };
        Ok(EntityRecord {
            aliases: row.list(&Field::Aliases).unwrap_or_default(),
            name,
            kind: kind.to_string(),
            class: class.map(str::to_string),
            country: Self::text(row, &Field::Country),
            latitude: self.coordinate(row, &Field::Latitude, 90.0)?,
            longitude: self.coordinate(row, &Field::Longitude, 180.0)?,
            description: Self::text(row, &Field::Description),
            absent: absent_columns(
                row,
                &[
                    (Field::Class, "class"),
                    (Field::Country, "country"),
                    (Field::Latitude, "latitude"),
                    (Field::Longitude, "longitude"),
                    (Field::Description, "description"),
                ],
            ),
            line: row.line(),
        })
    }
}

/// The columns of `fields` the row does not have.
fn absent_columns(row: &dyn Row, fields: &[(Field, &'static str)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(field, _)| !row.has(field))
        .map(|(_, column)| *column)
        .collect()
}

fn rank(p: Precision) -> u8 {
    match p {
        Precision::Day => 0,
        Precision::Week => 1,
        Precision::Month => 2,
        Precision::Year => 3,
    }
}

/// Resolves a JSON object's keys into a row; unknown keys are pushed to `unknown`.
pub fn json_row<'a>(
    map: &FieldMap,
    object: &'a serde_json::Map<String, Value>,
    line: u64,
    unknown: &mut Vec<String>,
) -> JsonRow<'a> {
    let mut fields = Vec::with_capacity(object.len());
    for (key, value) in object {
        match map.resolve(key) {
            Resolved::Field(field) => {
                if !fields.iter().any(|(f, _, _)| *f == field) {
                    fields.push((field, key.as_str(), value));
                }
            }
            Resolved::NewFigure(kind) => {
                if !unknown.contains(key) {
                    unknown.push(format!("{key} (new figure kind {kind})"));
                }
                fields.push((Field::Figure(kind), key.as_str(), value));
            }
            Resolved::Unknown => {
                if !unknown.contains(key) {
                    unknown.push(key.clone());
                }
            }
        }
    }
    JsonRow { fields, line }
}

/// The entity kinds sitrep knows.
pub const ENTITY_KINDS: &[&str] = &["person", "organisation", "place", "military_unit", "weapon"];

/// The weapon classes of a fresh archive.
pub const WEAPON_CLASSES: &[&str] = &[
    "drone",
    "cruise_missile",
    "ballistic_missile",
    "air_to_surface_missile",
    "anti_ship_missile",
    "surface_to_air_missile",
    "guided_bomb",
    "artillery",
    "other",
];

fn unknown_kind(raw: &str) -> String {
    format!(
        "unknown entity kind {raw:?}; expected one of {}",
        ENTITY_KINDS.join(", ")
    )
}

fn squash(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(|c| {
            if c == '-' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// An entity kind in its canonical spelling (`organization` → `organisation`).
pub fn normalise_kind(raw: &str) -> Option<&'static str> {
    Some(match squash(raw).as_str() {
        "person" | "people" | "individual" => "person",
        "organisation" | "organization" | "org" | "group" | "actor" => "organisation",
        "place" | "location" | "settlement" | "gpe" => "place",
        "military_unit" | "unit" | "militaryunit" | "formation" => "military_unit",
        "weapon" | "weapon_system" | "weapons" => "weapon",
        _ => return None,
    })
}

/// A link role in its canonical spelling.
pub fn normalise_role(raw: &str) -> Option<&'static str> {
    Some(match squash(raw).as_str() {
        "actor" | "actors" | "perpetrator" => "actor",
        "target" | "targets" | "victim" => "target",
        "location" | "place" => "location",
        "weapon" | "weapons" => "weapon",
        "mentioned" | "mention" | "subject" => "mentioned",
        "quoted" | "quote" | "speaker" => "quoted",
        _ => return None,
    })
}

/// A weapon class in its canonical spelling (`UAV`, `cruise missile` → `drone`, `cruise_missile`).
pub fn normalise_class(raw: &str) -> Option<&'static str> {
    let s = squash(raw);
    Some(match s.as_str() {
        "drone" | "uav" | "ucav" | "loitering_munition" | "attack_drone" | "kamikaze_drone"
        | "shahed" => "drone",
        "cruise_missile" | "cruise" => "cruise_missile",
        "ballistic_missile" | "ballistic" => "ballistic_missile",
        "air_to_surface_missile" | "guided_missile" | "air_launched_missile" => {
            "air_to_surface_missile"
        }
        "anti_ship_missile" => "anti_ship_missile",
        "surface_to_air_missile" | "sam" | "surface_to_air_and_ballistic" => {
            "surface_to_air_missile"
        }
        "guided_bomb" | "glide_bomb" | "guided_aerial_bomb" | "kab" => "guided_bomb",
        "artillery" | "rocket_artillery" | "mlrs" => "artillery",
        "other" => "other",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_roles_and_classes_normalise() {
        assert_eq!(normalise_kind("Organization"), Some("organisation"));
        assert_eq!(normalise_kind("military unit"), Some("military_unit"));
        assert_eq!(normalise_kind("tank"), None);
        assert_eq!(normalise_role("Target"), Some("target"));
        assert_eq!(normalise_class("UAV"), Some("drone"));
        assert_eq!(normalise_class("cruise missile"), Some("cruise_missile"));
        assert_eq!(
            normalise_class("surface-to-air and ballistic"),
            Some("surface_to_air_missile")
        );
        assert_eq!(normalise_class("spear"), None);
    }

    #[test]
    fn row_error_names_line_column_and_value() {
        let err = RowError {
            needs_order: None,
            line: 7,
            element: None,
            column: Some("killed (column 5)".into()),
            value: Some("-3".into()),
            reason: "a count cannot be negative".into(),
        };
        assert_eq!(
            err.to_string(),
            "line 7, column killed (column 5), value \"-3\": a count cannot be negative"
        );
    }
}
