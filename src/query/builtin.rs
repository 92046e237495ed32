//! The built-in saved queries. Each binds `:from` and `:to` (NULL when not given) and may
//! take further named parameters, documented in its description.

/// A query that ships with sitrep.
pub struct Builtin {
    pub name: &'static str,
    pub description: &'static str,
    pub sql: &'static str,
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
    },
    Builtin {
        name: "daily-casualties",
        description: "People killed and injured per day (day-precise events only; \"at least 12\" \
                      counts as 12).",
        sql: daily_sql!("person", "killed", "killed", "injured", "injured"),
    },
    Builtin {
        name: "events-by-type",
        description: "Events per month and type (events known to the day, week or month).",
        sql: "SELECT substr(date, 1, 7) AS month, coalesce(type, '') AS type, count(*) AS events
FROM events
WHERE date_precision IN ('day', 'week', 'month')
  AND (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
GROUP BY month, type
ORDER BY month, events DESC, type",
    },
    Builtin {
        name: "events-by-region",
        description: "Events per country and region, with the first and last date.",
        sql: "SELECT coalesce(country, '') AS country, coalesce(region, '') AS region,
       count(*) AS events, min(date) AS first, max(date) AS last
FROM events
WHERE (:from IS NULL OR date >= :from)
  AND (:to IS NULL OR date <= :to)
GROUP BY country, region
ORDER BY events DESC, country, region",
    },
    Builtin {
        name: "top-entities",
        description: "Entities linked to the most events. Parameters: -p kind=person|organisation|\
                      place|military_unit|weapon (default all), -p limit=N (default 20).",
        sql: "SELECT n.name AS name, n.kind AS kind, count(DISTINCT l.event_id) AS events,
       (SELECT count(*) FROM article_entities a WHERE a.entity_id = n.id) AS articles
FROM entities n
JOIN event_entities l ON l.entity_id = n.id
JOIN events e ON e.id = l.event_id
WHERE (:kind IS NULL OR n.kind = :kind)
  AND (:from IS NULL OR e.date >= :from)
  AND (:to IS NULL OR e.date <= :to)
GROUP BY n.id
ORDER BY events DESC, name
LIMIT coalesce(:limit, 20)",
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
    },
];

/// Finds a built-in query by name.
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
