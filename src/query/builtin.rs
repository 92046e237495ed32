//! The built-in saved queries. Each binds `:from` and `:to` (NULL when not given) and may
//! take further named parameters, documented in its description.
//!
//! Each has two forms that give the same answer: `sql` scans the base tables, and
//! `rollup` reads the aggregates every import keeps (see [`crate::db::rollup`]). The rollup
//! form is used whenever it can serve the parameters; `--scan` forces the other.

use chrono::{Datelike, NaiveDate};

/// A query that ships with sitrep.
pub struct Builtin {
    pub name: &'static str,
    pub description: &'static str,
    /// The query over the base tables.
    pub sql: &'static str,
    /// The same query over the rollup tables.
    pub rollup: Option<Rollup>,
}

/// A built-in query's rollup form.
#[derive(Debug)]
pub struct Rollup {
    pub sql: &'static str,
    /// Whether it can answer for these `--from`/`--to` days (ISO, already normalised).
    pub serves: fn(Option<&str>, Option<&str>) -> bool,
}

fn any_days(_: Option<&str>, _: Option<&str>) -> bool {
    true
}

/// Whole months only: from the first of a month to the last day of a month.
fn whole_months(from: Option<&str>, to: Option<&str>) -> bool {
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let from_ok = from.is_none_or(|f| day(f).is_some_and(|d| d.day() == 1));
    let to_ok = to.is_none_or(|t| {
        day(t)
            .and_then(|d| d.succ_opt())
            .is_some_and(|next| next.day() == 1)
    });
    from_ok && to_ok
}

/// The rollup form of a daily series (see `daily_sql!`): a day whose figures all lack a
/// value shows no number, as the scan's `sum` of nothing but NULLs does.
macro_rules! daily_rollup_sql {
    ($counts:literal, $col1:literal, $measure1:literal, $col2:literal, $measure2:literal) => {
        concat!(
            "WITH figures AS (
    SELECT r.date AS date, k.measure AS measure, r.valued AS valued, r.total AS total
    FROM rollup_figures r
    JOIN figure_kinds k ON k.name = r.kind
    LEFT JOIN entities w ON w.id = r.weapon_id
    LEFT JOIN weapon_classes c ON c.name = w.class
    WHERE coalesce(k.counts, c.counts_as) = '",
            $counts,
            "'
      AND k.measure IN ('",
            $measure1,
            "', '",
            $measure2,
            "')
      AND (:from IS NULL OR r.date >= :from)
      AND (:to IS NULL OR r.date <= :to)
)
SELECT date,
       CASE WHEN sum(valued) FILTER (WHERE measure = '",
            $measure1,
            "') > 0
            THEN sum(total) FILTER (WHERE measure = '",
            $measure1,
            "') END AS ",
            $col1,
            ",
       CASE WHEN sum(valued) FILTER (WHERE measure = '",
            $measure2,
            "') > 0
            THEN sum(total) FILTER (WHERE measure = '",
            $measure2,
            "') END AS ",
            $col2,
            "
FROM figures
GROUP BY date
ORDER BY date"
        )
    };
}

/// A daily series of two measures of one class of thing (drone, missile, person), from
/// figures whose kind says what they count or, failing that, whose weapon's class does.
macro_rules! daily_sql {
    ($counts:literal, $col1:literal, $measure1:literal, $col2:literal, $measure2:literal) => {
        concat!(
            "WITH figures AS (
    SELECT e.date AS date, k.measure AS measure, q.value AS value
    FROM quantities q
    JOIN events e ON e.id = q.event_id
    JOIN figure_kinds k ON k.name = q.kind
    LEFT JOIN entities w ON w.id = q.weapon_id
    LEFT JOIN weapon_classes c ON c.name = w.class
    WHERE e.date_precision = 'day'
      AND coalesce(k.counts, c.counts_as) = '",
            $counts,
            "'
      AND k.measure IN ('",
            $measure1,
            "', '",
            $measure2,
            "')
      AND (:from IS NULL OR e.date >= :from)
      AND (:to IS NULL OR e.date <= :to)
)
SELECT date,
       sum(value) FILTER (WHERE measure = '",
            $measure1,
            "') AS ",
            $col1,
            ",
       sum(value) FILTER (WHERE measure = '",
            $measure2,
            "') AS ",
            $col2,
            "
FROM figures
GROUP BY date
ORDER BY date"
        )
    };
}

pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "daily-drones",
        description: "Drones launched and destroyed per day (day-precise events only; a \
                      figure counts drones when its kind says so or its weapon's class is drone).",
        sql: daily_sql!(
            "drone",
            "drones_launched",
            "launched",
            "drones_destroyed",
            "destroyed"
        ),
        rollup: Some(Rollup {
            sql: daily_rollup_sql!("drone", "drones_launched", "launched", "drones_destroyed", "destroyed"),
            serves: any_days,
        }),
    },
    Builtin {
        name: "daily-missiles",
        description: "Missiles launched and destroyed per day (cruise, ballistic, air-to-surface, \
                      anti-ship and surface-to-air missiles; day-precise events only).",
        sql: daily_sql!(
            "missile",
            "missiles_launched",
            "launched",
            "missiles_destroyed",
            "destroyed"
        ),
        rollup: Some(Rollup {
            sql: daily_rollup_sql!("missile", "missiles_launched", "launched", "missiles_destroyed", "destroyed"),
            serves: any_days,
        }),
    },
    Builtin {
        name: "daily-casualties",
        description: "People killed and injured per day (day-precise events only; \"at least 12\" \
                      counts as 12).",
        sql: daily_sql!("person", "killed", "killed", "injured", "injured"),
        rollup: Some(Rollup {
            sql: daily_rollup_sql!("person", "killed", "killed", "injured", "injured"),
            serves: any_days,
        }),
    },
    Builtin {
        name: "events-by-type",
        description: "Events per month and type (events known to the day, week or month).",
        sql: "SELECT substr(date, 1, 7) AS month, coalesce(type, '') AS type, count(*) AS events
FROM events
WHERE date_precision IN ('day', 'week', 'month')
  AND (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
GROUP BY 1, 2
ORDER BY month, events DESC, type",
        rollup: Some(Rollup {
            sql: "SELECT substr(date, 1, 7) AS month, type, sum(events) AS events
FROM rollup_event_types
WHERE precision IN ('day', 'week', 'month')
  AND (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
GROUP BY 1, 2
ORDER BY month, events DESC, type",
            serves: any_days,
        }),
    },
    Builtin {
        name: "events-by-region",
        description: "Events per country and region, with the first and last date.",
        sql: "SELECT coalesce(country, '') AS country, coalesce(region, '') AS region,
       count(*) AS events, min(date) AS first, max(date) AS last
FROM events
WHERE (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
GROUP BY 1, 2
ORDER BY events DESC, country, region",
        rollup: Some(Rollup {
            sql: "SELECT country, region, sum(events) AS events, min(date) AS first, max(date) AS last
FROM rollup_event_places
WHERE (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
GROUP BY 1, 2
ORDER BY events DESC, country, region",
            serves: any_days,
        }),
    },
    Builtin {
        name: "top-entities",
        description: "Entities linked to the most events. Parameters: -p kind=person|organisation|\
                      place|military_unit|weapon (default all), -p limit=N (default 20).",
        sql: "SELECT n.name AS name, n.kind AS kind, count(DISTINCT l.event_id) AS events,
       (SELECT count(DISTINCT a.article_id) FROM article_entities a WHERE a.entity_id = n.id) AS articles
FROM entities n
JOIN event_entities l ON l.entity_id = n.id
JOIN events e ON e.id = l.event_id
WHERE (:kind IS NULL OR n.kind = :kind)
  AND (:from IS NULL OR e.date >= :from)
  AND (:to IS NULL OR e.date <= :to)
GROUP BY n.id
ORDER BY events DESC, name, kind
LIMIT coalesce(:limit, 20)",
        rollup: Some(Rollup {
            sql: "WITH counts AS (
    SELECT entity_id, sum(events) AS events
    FROM rollup_entity_events
    WHERE (:from IS NULL OR month >= substr(:from, 1, 7))
      AND (:to IS NULL OR month <= substr(:to, 1, 7))
    GROUP BY entity_id
)
SELECT n.name AS name, n.kind AS kind, c.events AS events,
       (SELECT count(DISTINCT a.article_id) FROM article_entities a WHERE a.entity_id = n.id) AS articles
FROM counts c
JOIN entities n ON n.id = c.entity_id
WHERE (:kind IS NULL OR n.kind = :kind)
ORDER BY events DESC, name, kind
LIMIT coalesce(:limit, 20)",
            serves: whole_months,
        }),
    },
    Builtin {
        name: "articles-per-day",
        description: "Articles per day of publication (as dated by their source), placeholders \
                      left out.",
        sql: "SELECT published_day AS date, count(*) AS articles
FROM articles
WHERE placeholder = 0 AND published IS NOT NULL
  AND (:from IS NULL OR published_day >= :from)
  AND (:to IS NULL OR published_day <= :to)
GROUP BY published_day
ORDER BY published_day",
        rollup: Some(Rollup {
            sql: "SELECT date, articles
FROM rollup_articles
WHERE (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
ORDER BY date",
            serves: any_days,
        }),
    },
];

/// Finds a built-in query by name.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_months_are_first_to_last_days() {
        assert!(whole_months(None, None));
        assert!(whole_months(Some("2025-06-01"), Some("2025-06-30")));
        assert!(whole_months(Some("2024-02-01"), Some("2024-02-29")));
        assert!(!whole_months(Some("2025-06-02"), None));
        assert!(!whole_months(None, Some("2025-06-29")));
    }
}
