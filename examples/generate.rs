//! Generates a realistic, deterministic data set for sitrep's benchmark (`bench/run.sh`):
//! events (CSV and NDJSON, the same rows), the entities they name and the articles they
//! cite.
//!
//! ```sh
//! cargo run --release --example generate -- --events 1000000 --out /tmp/sitrep-bench/1000000-s1 [--seed 1]
//! ```
//!
//! Writes `events.csv`, `events.ndjson`, `entities.csv` and `articles.ndjson` into the
//! output directory and prints one summary line on stderr. The same `--events` and `--seed`
//! always give byte-identical files, whatever the number of threads: every row draws from
//! its own random stream, derived from the seed and the row's number.
//!
//! Only the standard library is used (a splitmix64-seeded xoshiro256** generator), so the
//! example builds without extra crates.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Instant;

// ---------------------------------------------------------------------------------------
// Random numbers

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// xoshiro256**, seeded through splitmix64.
#[derive(Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut sm = seed;
        Rng {
            s: [
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
                splitmix64(&mut sm),
            ],
        }
    }

    /// An independent stream for one row of one file.
    fn stream(seed: u64, file: u64, row: u64) -> Rng {
        let mut sm = seed
            .wrapping_mul(0x2545_f491_4f6c_dd1d)
            .wrapping_add(file.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let base = splitmix64(&mut sm);
        Rng::new(base ^ row.wrapping_mul(0xd1b5_4a32_d192_ed03))
    }

    fn next(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in lo..=hi.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// A count with a long tail: mostly around `typical`, now and then up to `max`.
    fn count(&mut self, typical: u64, max: u64) -> u64 {
        if self.chance(0.04) {
            self.range(typical * 4, max)
        } else {
            let u = self.unit();
            // Exponential around `typical`, at least 1.
            ((-(1.0 - u).ln()) * typical as f64).ceil().max(1.0) as u64
        }
    }
}

/// Picks indices in proportion to fixed weights.
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Weighted {
        let mut total = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    /// Zipf-like weights 1/(k+1)^s over n items.
    fn zipf(n: usize, s: f64) -> Weighted {
        Weighted::new((0..n).map(|k| 1.0 / ((k + 1) as f64).powf(s)))
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().expect("weights");
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }

    /// The index at quantile u in 0..1 (deterministic).
    fn at(&self, u: f64) -> usize {
        let total = *self.cumulative.last().expect("weights");
        self.cumulative
            .partition_point(|&c| c <= u * total)
            .min(self.cumulative.len() - 1)
    }
}

// ---------------------------------------------------------------------------------------
// Dates

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Day numbers (since 1970) of the first and last day events may fall on.
const FIRST_DAY: (i64, i64, i64) = (2022, 1, 1);
const LAST_DAY: (i64, i64, i64) = (2026, 12, 31);
/// Dates are formatted from a table starting a little before the first day (weeks start
/// on Monday, possibly in December 2021).
const TABLE_MARGIN: i64 = 7;

struct Calendar {
    first: i64,
    days: usize,
    /// "YYYY-MM-DD" from `first - TABLE_MARGIN` to the last day plus two.
    text: Vec<[u8; 10]>,
    /// How many events (and articles) each day gets, cumulative.
    density: Weighted,
}

impl Calendar {
    fn new(rng: &mut Rng) -> Calendar {
        let first = days_from_civil(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2);
        let last = days_from_civil(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2);
        let days = (last - first + 1) as usize;
        let text = (first - TABLE_MARGIN..=last + 2)
            .map(|z| {
                let (y, m, d) = civil_from_days(z);
                let s = format!("{y:04}-{m:02}-{d:02}");
                let mut b = [0u8; 10];
                b.copy_from_slice(s.as_bytes());
                b
            })
            .collect();
        // Busier years, quieter weekends for some reporters, and bursts of activity.
        let density = Weighted::new((0..days).map(|i| {
            let (y, _, _) = civil_from_days(first + i as i64);
            let year = match y {
                2022 => 1.35,
                2023 => 0.95,
                2024 => 1.1,
                2025 => 1.3,
                _ => 0.85,
            };
            let burst = if rng.chance(0.03) { 2.5 } else { 1.0 };
            year * burst * (0.75 + 0.5 * rng.unit())
        }));
        Calendar {
            first,
            days,
            text,
            density,
        }
    }

    /// The date text of day `day` (0 = FIRST_DAY; may be slightly out of range).
    fn date(&self, day: i64) -> &[u8; 10] {
        &self.text[(day + TABLE_MARGIN) as usize]
    }

    /// The day of the row at quantile u, spread like real reporting.
    fn day_at(&self, u: f64) -> i64 {
        self.density.at(u) as i64
    }

    fn monday(&self, day: i64) -> i64 {
        let z = self.first + day;
        day - (z + 3).rem_euclid(7)
    }

    fn month_start(&self, day: i64) -> i64 {
        let (y, m, _) = civil_from_days(self.first + day);
        days_from_civil(y, m, 1) - self.first
    }

    fn year_start(&self, day: i64) -> i64 {
        let (y, _, _) = civil_from_days(self.first + day);
        days_from_civil(y, 1, 1) - self.first
    }

    fn month(&self, day: i64) -> i64 {
        civil_from_days(self.first + day).1
    }
}

// ---------------------------------------------------------------------------------------
// The world: regions, places, people, organisations, units, weapons, outlets

struct Region {
    name: &'static str,
    country: &'static str,
    lat: f64,
    lon: f64,
    weight: f64,
}

#[rustfmt::skip]
const REGIONS: &[Region] = &[
    Region { name: "Kyiv", country: "Ukraine", lat: 50.45, lon: 30.52, weight: 6.0 },
    Region { name: "Kyiv Oblast", country: "Ukraine", lat: 50.05, lon: 30.77, weight: 5.0 },
    Region { name: "Kharkiv Oblast", country: "Ukraine", lat: 49.7, lon: 36.6, weight: 14.0 },
    Region { name: "Donetsk Oblast", country: "Ukraine", lat: 48.1, lon: 37.7, weight: 20.0 },
    Region { name: "Luhansk Oblast", country: "Ukraine", lat: 48.7, lon: 39.1, weight: 6.0 },
    Region { name: "Zaporizhzhia Oblast", country: "Ukraine", lat: 47.4, lon: 35.6, weight: 12.0 },
    Region { name: "Kherson Oblast", country: "Ukraine", lat: 46.7, lon: 33.2, weight: 12.0 },
    Region { name: "Dnipropetrovsk Oblast", country: "Ukraine", lat: 48.3, lon: 35.0, weight: 9.0 },
    Region { name: "Sumy Oblast", country: "Ukraine", lat: 50.8, lon: 34.3, weight: 10.0 },
    Region { name: "Chernihiv Oblast", country: "Ukraine", lat: 51.4, lon: 32.0, weight: 5.0 },
    Region { name: "Mykolaiv Oblast", country: "Ukraine", lat: 47.2, lon: 31.9, weight: 6.0 },
    Region { name: "Odesa Oblast", country: "Ukraine", lat: 46.6, lon: 30.3, weight: 6.0 },
    Region { name: "Poltava Oblast", country: "Ukraine", lat: 49.6, lon: 34.0, weight: 3.0 },
    Region { name: "Kirovohrad Oblast", country: "Ukraine", lat: 48.5, lon: 32.3, weight: 2.0 },
    Region { name: "Cherkasy Oblast", country: "Ukraine", lat: 49.3, lon: 31.6, weight: 2.0 },
    Region { name: "Vinnytsia Oblast", country: "Ukraine", lat: 49.1, lon: 28.5, weight: 2.0 },
    Region { name: "Zhytomyr Oblast", country: "Ukraine", lat: 50.5, lon: 28.4, weight: 2.0 },
    Region { name: "Khmelnytskyi Oblast", country: "Ukraine", lat: 49.4, lon: 26.9, weight: 2.0 },
    Region { name: "Lviv Oblast", country: "Ukraine", lat: 49.7, lon: 24.0, weight: 3.0 },
    Region { name: "Ivano-Frankivsk Oblast", country: "Ukraine", lat: 48.8, lon: 24.6, weight: 1.0 },
    Region { name: "Ternopil Oblast", country: "Ukraine", lat: 49.4, lon: 25.6, weight: 1.0 },
    Region { name: "Rivne Oblast", country: "Ukraine", lat: 50.9, lon: 26.4, weight: 1.0 },
    Region { name: "Volyn Oblast", country: "Ukraine", lat: 51.1, lon: 25.0, weight: 1.0 },
    Region { name: "Chernivtsi Oblast", country: "Ukraine", lat: 48.3, lon: 25.9, weight: 1.0 },
    Region { name: "Zakarpattia Oblast", country: "Ukraine", lat: 48.4, lon: 23.2, weight: 0.5 },
    Region { name: "Autonomous Republic of Crimea", country: "Ukraine", lat: 45.3, lon: 34.2, weight: 5.0 },
    Region { name: "Sevastopol", country: "Ukraine", lat: 44.6, lon: 33.5, weight: 2.0 },
    Region { name: "Belgorod Oblast", country: "Russia", lat: 50.7, lon: 37.4, weight: 8.0 },
    Region { name: "Kursk Oblast", country: "Russia", lat: 51.6, lon: 36.1, weight: 8.0 },
    Region { name: "Bryansk Oblast", country: "Russia", lat: 52.9, lon: 33.4, weight: 5.0 },
    Region { name: "Voronezh Oblast", country: "Russia", lat: 50.9, lon: 40.0, weight: 2.0 },
    Region { name: "Rostov Oblast", country: "Russia", lat: 47.7, lon: 40.7, weight: 3.0 },
    Region { name: "Krasnodar Krai", country: "Russia", lat: 45.3, lon: 39.0, weight: 3.0 },
    Region { name: "Moscow Oblast", country: "Russia", lat: 55.6, lon: 37.3, weight: 2.0 },
    Region { name: "Moscow", country: "Russia", lat: 55.75, lon: 37.62, weight: 2.0 },
    Region { name: "Tula Oblast", country: "Russia", lat: 54.0, lon: 37.5, weight: 1.0 },
    Region { name: "Oryol Oblast", country: "Russia", lat: 52.8, lon: 36.4, weight: 1.0 },
    Region { name: "Lipetsk Oblast", country: "Russia", lat: 52.6, lon: 39.4, weight: 1.0 },
    Region { name: "Tambov Oblast", country: "Russia", lat: 52.7, lon: 41.5, weight: 0.5 },
    Region { name: "Ryazan Oblast", country: "Russia", lat: 54.4, lon: 40.4, weight: 1.0 },
    Region { name: "Kaluga Oblast", country: "Russia", lat: 54.4, lon: 35.4, weight: 0.5 },
    Region { name: "Smolensk Oblast", country: "Russia", lat: 54.9, lon: 32.9, weight: 0.5 },
    Region { name: "Leningrad Oblast", country: "Russia", lat: 59.9, lon: 30.3, weight: 0.5 },
    Region { name: "Republic of Tatarstan", country: "Russia", lat: 55.6, lon: 50.9, weight: 0.5 },
    Region { name: "Saratov Oblast", country: "Russia", lat: 51.5, lon: 46.0, weight: 0.7 },
    Region { name: "Volgograd Oblast", country: "Russia", lat: 49.5, lon: 44.2, weight: 0.7 },
    Region { name: "Astrakhan Oblast", country: "Russia", lat: 46.8, lon: 47.3, weight: 0.3 },
    Region { name: "Gomel Region", country: "Belarus", lat: 52.4, lon: 30.0, weight: 0.5 },
    Region { name: "Brest Region", country: "Belarus", lat: 52.3, lon: 25.3, weight: 0.3 },
    Region { name: "Minsk Region", country: "Belarus", lat: 53.9, lon: 27.6, weight: 0.3 },
    Region { name: "Transnistria", country: "Moldova", lat: 47.2, lon: 29.4, weight: 0.2 },
    Region { name: "Lublin Voivodeship", country: "Poland", lat: 51.2, lon: 22.9, weight: 0.2 },
    Region { name: "Subcarpathian Voivodeship", country: "Poland", lat: 50.0, lon: 22.2, weight: 0.2 },
    Region { name: "Tulcea County", country: "Romania", lat: 45.0, lon: 28.9, weight: 0.2 },
];

/// Real places with their other spellings: (name, aliases, region, lat, lon).
#[rustfmt::skip]
const CITIES: &[(&str, &[&str], &str, f64, f64)] = &[
    ("Kyiv", &["Kiev", "Київ", "Kyiv city"], "Kyiv", 50.4501, 30.5234),
    ("Kharkiv", &["Kharkov", "Харків"], "Kharkiv Oblast", 49.9935, 36.2304),
    ("Odesa", &["Odessa", "Одеса"], "Odesa Oblast", 46.4825, 30.7233),
    ("Dnipro", &["Dnepr", "Dnipropetrovsk"], "Dnipropetrovsk Oblast", 48.4647, 35.0462),
    ("Zaporizhzhia", &["Zaporozhye", "Zaporizhia", "Zaporozhzhia"], "Zaporizhzhia Oblast", 47.8388, 35.1396),
    ("Mykolaiv", &["Nikolaev", "Mykolayiv"], "Mykolaiv Oblast", 46.975, 31.9946),
    ("Lviv", &["Lvov", "Lwow"], "Lviv Oblast", 49.8397, 24.0297),
    ("Kherson", &["Херсон"], "Kherson Oblast", 46.6354, 32.6169),
    ("Sumy", &["Суми"], "Sumy Oblast", 50.9077, 34.7981),
    ("Chernihiv", &["Chernigov"], "Chernihiv Oblast", 51.4982, 31.2893),
    ("Poltava", &[], "Poltava Oblast", 49.5883, 34.5514),
    ("Kryvyi Rih", &["Krivoy Rog", "Kryvyi Rig"], "Dnipropetrovsk Oblast", 47.9105, 33.3918),
    ("Donetsk", &["Донецьк"], "Donetsk Oblast", 48.0159, 37.8028),
    ("Kramatorsk", &[], "Donetsk Oblast", 48.7305, 37.5563),
    ("Sloviansk", &["Slavyansk", "Slovyansk"], "Donetsk Oblast", 48.8527, 37.6047),
    ("Pokrovsk", &["Krasnoarmeysk"], "Donetsk Oblast", 48.2829, 37.1757),
    ("Bakhmut", &["Artemovsk", "Artemivsk"], "Donetsk Oblast", 48.5953, 38.0003),
    ("Avdiivka", &["Avdeyevka", "Avdiyivka"], "Donetsk Oblast", 48.1394, 37.7425),
    ("Mariupol", &["Mariupil"], "Donetsk Oblast", 47.0971, 37.5434),
    ("Kostiantynivka", &["Konstantinovka"], "Donetsk Oblast", 48.5277, 37.7069),
    ("Chasiv Yar", &["Chasov Yar"], "Donetsk Oblast", 48.5869, 37.8356),
    ("Luhansk", &["Lugansk"], "Luhansk Oblast", 48.574, 39.3078),
    ("Sievierodonetsk", &["Severodonetsk", "Siverskodonetsk"], "Luhansk Oblast", 48.948, 38.4917),
    ("Kupiansk", &["Kupyansk"], "Kharkiv Oblast", 49.7106, 37.6158),
    ("Vovchansk", &["Volchansk"], "Kharkiv Oblast", 50.2908, 36.9411),
    ("Izium", &["Izyum"], "Kharkiv Oblast", 49.2124, 37.2569),
    ("Nikopol", &[], "Dnipropetrovsk Oblast", 47.5712, 34.3964),
    ("Enerhodar", &["Energodar"], "Zaporizhzhia Oblast", 47.4987, 34.6559),
    ("Melitopol", &[], "Zaporizhzhia Oblast", 46.8489, 35.3653),
    ("Huliaipole", &["Gulyaipole"], "Zaporizhzhia Oblast", 47.6631, 36.2561),
    ("Bilhorod-Dnistrovskyi", &["Belgorod-Dnestrovsky"], "Odesa Oblast", 46.1871, 30.3411),
    ("Izmail", &["Izmayil", "Ismail"], "Odesa Oblast", 45.3516, 28.8365),
    ("Vinnytsia", &["Vinnitsa"], "Vinnytsia Oblast", 49.2331, 28.4682),
    ("Zhytomyr", &["Zhitomir"], "Zhytomyr Oblast", 50.2547, 28.6587),
    ("Bila Tserkva", &["Belaya Tserkov"], "Kyiv Oblast", 49.7989, 30.1153),
    ("Bucha", &[], "Kyiv Oblast", 50.5436, 30.2122),
    ("Irpin", &["Irpen"], "Kyiv Oblast", 50.5218, 30.2506),
    ("Sevastopol", &["Севастополь"], "Sevastopol", 44.6166, 33.5254),
    ("Simferopol", &["Simferopil"], "Autonomous Republic of Crimea", 44.9521, 34.1024),
    ("Belgorod", &["Bilhorod", "Белгород"], "Belgorod Oblast", 50.5997, 36.5983),
    ("Shebekino", &[], "Belgorod Oblast", 50.4001, 36.8874),
    ("Kursk", &["Курск"], "Kursk Oblast", 51.7304, 36.1926),
    ("Sudzha", &["Суджа"], "Kursk Oblast", 51.1907, 35.2706),
    ("Bryansk", &["Briansk"], "Bryansk Oblast", 53.2434, 34.3637),
    ("Voronezh", &[], "Voronezh Oblast", 51.672, 39.1843),
    ("Rostov-on-Don", &["Rostov-na-Donu"], "Rostov Oblast", 47.2357, 39.7015),
    ("Novorossiysk", &["Novorossiisk"], "Krasnodar Krai", 44.7235, 37.7687),
    ("Tuapse", &[], "Krasnodar Krai", 44.1053, 39.0802),
    ("Moscow city", &["Moskva", "Москва"], "Moscow", 55.7558, 37.6173),
    ("Engels", &[], "Saratov Oblast", 51.4984, 46.1213),
    ("Gomel", &["Homel"], "Gomel Region", 52.4345, 30.9754),
    ("Tiraspol", &[], "Transnistria", 46.8403, 29.6433),
    ("Przewodow", &["Przewodów"], "Lublin Voivodeship", 50.4727, 23.9333),
];

const PLACE_ROOTS: &[&str] = &[
    "Bil",
    "Chorn",
    "Zelen",
    "Kras",
    "Nov",
    "Star",
    "Vel",
    "Mal",
    "Vys",
    "Pisk",
    "Zoloch",
    "Koz",
    "Lozov",
    "Berez",
    "Dub",
    "Lyp",
    "Sosn",
    "Hrusht",
    "Vyshn",
    "Kamian",
    "Myr",
    "Slav",
    "Bohdan",
    "Mykhail",
    "Petr",
    "Ivan",
    "Oleksandr",
    "Hryhor",
    "Andri",
    "Vasyl",
    "Pavl",
    "Semen",
    "Stepan",
    "Tern",
    "Topol",
    "Kalyn",
    "Orikh",
    "Yabl",
    "Vilkh",
    "Kalch",
    "Kurakh",
    "Serhi",
    "Dmytr",
    "Olen",
    "Lysych",
    "Svitl",
    "Zarich",
    "Pryvil",
    "Shevchenk",
    "Hlyb",
    "Kup",
    "Bor",
    "Rozdol",
    "Step",
    "Poliv",
    "Luh",
    "Kurhan",
    "Mohyl",
    "Tyh",
    "Yasen",
    "Osych",
    "Bereh",
    "Lan",
    "Lyman",
    "Khutor",
    "Hai",
    "Ozer",
    "Kluch",
    "Rybn",
    "Solon",
    "Sokil",
    "Orel",
    "Vovk",
    "Lebed",
    "Zhuravl",
    "Holub",
    "Tarasiv",
    "Yuri",
    "Ilin",
    "Fedor",
    "Markov",
    "Zlat",
    "Sribn",
    "Ridk",
    "Chysto",
];
const PLACE_SUFFIXES: &[(&str, &str)] = &[
    ("ivka", "ovka"),
    ("ove", "ovo"),
    ("ne", "noye"),
    ("ske", "skoye"),
    ("yne", "ino"),
    ("ivske", "ovskoye"),
    ("ivtsi", "ovtsy"),
    ("any", "any"),
    ("horod", "gorod"),
    ("opil", "opol"),
    ("ky", "ki"),
    ("ytsia", "itsa"),
];
const PLACE_PREFIXES: &[(&str, &str)] = &[
    ("", ""),
    ("Nova ", "Novaya "),
    ("Velyka ", "Bolshaya "),
    ("Mala ", "Malaya "),
    ("Verkhnia ", "Verkhnyaya "),
    ("Nyzhnia ", "Nizhnyaya "),
    ("Stara ", "Staraya "),
];

/// (Ukrainian spelling, Russian spelling) of first names.
const FIRST_NAMES: &[(&str, &str)] = &[
    ("Oleksandr", "Aleksandr"),
    ("Volodymyr", "Vladimir"),
    ("Serhiy", "Sergei"),
    ("Andriy", "Andrei"),
    ("Mykola", "Nikolai"),
    ("Ihor", "Igor"),
    ("Yuriy", "Yuri"),
    ("Dmytro", "Dmitry"),
    ("Oleksiy", "Aleksei"),
    ("Vitaliy", "Vitaly"),
    ("Vadym", "Vadim"),
    ("Pavlo", "Pavel"),
    ("Mykhailo", "Mikhail"),
    ("Petro", "Pyotr"),
    ("Valeriy", "Valery"),
    ("Hennadiy", "Gennady"),
    ("Viktor", "Viktor"),
    ("Roman", "Roman"),
    ("Denys", "Denis"),
    ("Yevhen", "Yevgeny"),
    ("Kyrylo", "Kirill"),
    ("Anatoliy", "Anatoly"),
    ("Bohdan", "Bogdan"),
    ("Taras", "Taras"),
    ("Olena", "Elena"),
    ("Iryna", "Irina"),
    ("Tetiana", "Tatyana"),
    ("Nataliia", "Natalia"),
    ("Yuliia", "Yulia"),
    ("Oksana", "Oksana"),
    ("Liudmyla", "Lyudmila"),
    ("Halyna", "Galina"),
    ("Svitlana", "Svetlana"),
    ("Mariia", "Maria"),
    ("Kateryna", "Ekaterina"),
    ("Oleh", "Oleg"),
    ("Maksym", "Maksim"),
];
const LAST_NAMES: &[(&str, &str)] = &[
    ("Shevchenko", "Shevchenko"),
    ("Kovalenko", "Kovalenko"),
    ("Bondarenko", "Bondarenko"),
    ("Tkachenko", "Tkachenko"),
    ("Kravchenko", "Kravchenko"),
    ("Oliinyk", "Oleinik"),
    ("Shevchuk", "Shevchuk"),
    ("Polishchuk", "Polishchuk"),
    ("Lysenko", "Lysenko"),
    ("Marchenko", "Marchenko"),
    ("Moroz", "Moroz"),
    ("Melnyk", "Melnik"),
    ("Boiko", "Boyko"),
    ("Tkachuk", "Tkachuk"),
    ("Savchenko", "Savchenko"),
    ("Rudenko", "Rudenko"),
    ("Petrenko", "Petrenko"),
    ("Klymenko", "Klimenko"),
    ("Pavlenko", "Pavlenko"),
    ("Kuzmenko", "Kuzmenko"),
    ("Ponomarenko", "Ponomarenko"),
    ("Vasylenko", "Vasilenko"),
    ("Levchenko", "Levchenko"),
    ("Kharchenko", "Kharchenko"),
    ("Karpenko", "Karpenko"),
    ("Hnatiuk", "Gnatyuk"),
    ("Sydorenko", "Sidorenko"),
    ("Honcharenko", "Goncharenko"),
    ("Zhuk", "Zhuk"),
    ("Kozak", "Kozak"),
    ("Hrytsenko", "Gritsenko"),
    ("Ivanov", "Ivanov"),
    ("Smyrnov", "Smirnov"),
    ("Kuznietsov", "Kuznetsov"),
    ("Popov", "Popov"),
    ("Sokolov", "Sokolov"),
    ("Lebediev", "Lebedev"),
    ("Kozlov", "Kozlov"),
    ("Novikov", "Novikov"),
    ("Morozov", "Morozov"),
    ("Volkov", "Volkov"),
    ("Soloviov", "Solovyov"),
    ("Vasyliev", "Vasiliev"),
    ("Zaitsev", "Zaytsev"),
    ("Pavlov", "Pavlov"),
    ("Semenov", "Semyonov"),
    ("Holubiev", "Golubev"),
    ("Vynohradov", "Vinogradov"),
    ("Bohdanov", "Bogdanov"),
    ("Vorobiov", "Vorobyov"),
    ("Fedorov", "Fyodorov"),
    ("Mykhailov", "Mikhailov"),
    ("Beliaiev", "Belyaev"),
    ("Tarasov", "Tarasov"),
    ("Komarov", "Komarov"),
    ("Orlov", "Orlov"),
    ("Kyseliov", "Kiselyov"),
    ("Makarov", "Makarov"),
    ("Hordiienko", "Gordienko"),
    ("Yatsenko", "Yatsenko"),
];

/// Well-known people: (name, aliases, country, description).
#[rustfmt::skip]
const PEOPLE: &[(&str, &[&str], &str, &str)] = &[
    ("Volodymyr Zelenskyy", &["Zelenskyy", "Zelensky", "Zelenskiy", "Volodymyr Zelensky", "Володимир Зеленський"], "Ukraine", "President of Ukraine since 2019."),
    ("Vladimir Putin", &["Putin", "V. Putin", "Владимир Путин"], "Russia", "President of Russia."),
    ("Oleksandr Syrskyi", &["Syrskyi", "Syrsky", "Oleksandr Syrsky"], "Ukraine", "Commander-in-Chief of the Armed Forces of Ukraine."),
    ("Valerii Zaluzhnyi", &["Zaluzhnyi", "Zaluzhny", "Valery Zaluzhny"], "Ukraine", "Former Commander-in-Chief, later ambassador to the UK."),
    ("Sergei Shoigu", &["Shoigu", "Shoygu", "Serhiy Shoihu"], "Russia", "Former Defence Minister of Russia."),
    ("Valery Gerasimov", &["Gerasimov", "Valeriy Herasymov"], "Russia", "Chief of the General Staff of Russia."),
    ("Andrei Belousov", &["Belousov", "Andrey Belousov"], "Russia", "Defence Minister of Russia since May 2024."),
    ("Rustem Umerov", &["Umerov", "Rustem Umierov"], "Ukraine", "Defence Minister of Ukraine, 2023-2025."),
    ("Kyrylo Budanov", &["Budanov", "Kirill Budanov"], "Ukraine", "Head of Ukraine's military intelligence (HUR)."),
    ("Vitali Klitschko", &["Klitschko", "Vitaliy Klychko"], "Ukraine", "Mayor of Kyiv."),
    ("Ihor Terekhov", &["Terekhov", "Igor Terekhov"], "Ukraine", "Mayor of Kharkiv."),
    ("Oleh Syniehubov", &["Syniehubov", "Oleg Sinegubov"], "Ukraine", "Governor of Kharkiv Oblast."),
    ("Vyacheslav Gladkov", &["Gladkov", "Viacheslav Hladkov"], "Russia", "Governor of Belgorod Oblast until 2025."),
    ("Alexander Lukashenko", &["Lukashenko", "Aliaksandr Lukashenka", "Lukashenka"], "Belarus", "President of Belarus."),
    ("Yuriy Ignat", &["Ihnat", "Yurii Ihnat", "Ignat"], "Ukraine", "Spokesman for the Ukrainian Air Force command."),
    ("Mykola Oleshchuk", &["Oleshchuk"], "Ukraine", "Commander of the Ukrainian Air Force, 2021-2024."),
    ("Serhiy Lysak", &["Lysak", "Sergei Lysak"], "Ukraine", "Governor of Dnipropetrovsk Oblast."),
    ("Vadym Filashkin", &["Filashkin", "Vadim Filashkin"], "Ukraine", "Governor of Donetsk Oblast."),
    ("Ivan Fedorov", &["Fedorov", "Ivan Fyodorov"], "Ukraine", "Governor of Zaporizhzhia Oblast."),
    ("Oleksandr Prokudin", &["Prokudin", "Aleksandr Prokudin"], "Ukraine", "Governor of Kherson Oblast."),
    ("Vitaliy Kim", &["Kim", "Vitaly Kim"], "Ukraine", "Governor of Mykolaiv Oblast."),
    ("Oleh Kiper", &["Kiper", "Oleg Kiper"], "Ukraine", "Governor of Odesa Oblast."),
    ("Maksym Kozytskyi", &["Kozytskyi", "Maksym Kozytsky"], "Ukraine", "Governor of Lviv Oblast."),
    ("Ramzan Kadyrov", &["Kadyrov"], "Russia", "Head of the Chechen Republic."),
    ("Yevgeny Prigozhin", &["Prigozhin", "Yevhen Prihozhyn", "Evgeny Prigozhin"], "Russia", "Founder of the Wagner Group; died in August 2023."),
    ("Denys Shmyhal", &["Shmyhal", "Denis Shmygal"], "Ukraine", "Prime Minister of Ukraine, 2020-2025."),
    ("Dmytro Kuleba", &["Kuleba", "Dmitry Kuleba"], "Ukraine", "Foreign Minister of Ukraine, 2020-2024."),
    ("Andrii Sybiha", &["Sybiha", "Andriy Sybiha"], "Ukraine", "Foreign Minister of Ukraine since 2024."),
    ("Sergei Lavrov", &["Lavrov", "Serhiy Lavrov"], "Russia", "Foreign Minister of Russia."),
    ("Roman Starovoit", &["Starovoit", "Roman Starovoyt"], "Russia", "Governor of Kursk Oblast, later transport minister."),
];

/// Organisations: (name, aliases, country).
#[rustfmt::skip]
const ORGANISATIONS: &[(&str, &[&str], &str)] = &[
    ("Armed Forces of Ukraine", &["AFU", "ZSU", "Ukrainian Armed Forces", "Ukrainian army"], "Ukraine"),
    ("Russian Armed Forces", &["Armed Forces of the Russian Federation", "Russian army", "Russian forces", "RuAF"], "Russia"),
    ("Air Force of Ukraine", &["Ukrainian Air Force command", "Povitriani Syly"], "Ukraine"),
    ("State Emergency Service of Ukraine", &["SES", "DSNS", "State Emergency Service"], "Ukraine"),
    ("Security Service of Ukraine", &["SBU"], "Ukraine"),
    ("Main Directorate of Intelligence", &["HUR", "GUR", "Defence Intelligence of Ukraine"], "Ukraine"),
    ("Federal Security Service", &["FSB"], "Russia"),
    ("Wagner Group", &["PMC Wagner", "Wagner"], "Russia"),
    ("Ministry of Defence of Russia", &["Russian MoD", "Russian Defence Ministry"], "Russia"),
    ("National Guard of Ukraine", &["NGU"], "Ukraine"),
    ("Rosgvardia", &["Rosguard", "National Guard of Russia"], "Russia"),
    ("Ukrenergo", &["NPC Ukrenergo"], "Ukraine"),
    ("DTEK", &["DTEK Group"], "Ukraine"),
    ("Naftogaz", &["Naftogaz of Ukraine"], "Ukraine"),
    ("Ukrzaliznytsia", &["Ukrainian Railways", "UZ"], "Ukraine"),
    ("Energoatom", &["NNEGC Energoatom"], "Ukraine"),
    ("International Atomic Energy Agency", &["IAEA"], ""),
    ("UN OCHA", &["OCHA", "UN Office for the Coordination of Humanitarian Affairs"], ""),
    ("International Committee of the Red Cross", &["ICRC", "Red Cross"], ""),
    ("Black Sea Fleet", &["Russian Black Sea Fleet"], "Russia"),
    ("Territorial Defence Forces", &["TDF", "TrO"], "Ukraine"),
    ("Donetsk People's Republic forces", &["DPR forces", "DNR forces"], "Russia"),
    ("Luhansk People's Republic forces", &["LPR forces", "LNR forces"], "Russia"),
    ("Akhmat", &["Akhmat special forces"], "Russia"),
    ("Russian Volunteer Corps", &["RDK"], "Russia"),
    ("Freedom of Russia Legion", &["Legion Svoboda Rossii"], "Russia"),
    ("Ukrainian Navy", &["Navy of Ukraine"], "Ukraine"),
    ("Russian Aerospace Forces", &["VKS", "Russian Air Force"], "Russia"),
    ("Gazprom", &[], "Russia"),
    ("Rosneft", &[], "Russia"),
    ("Lukoil", &[], "Russia"),
    ("Transneft", &[], "Russia"),
    ("Kyivstar", &[], "Ukraine"),
    ("Metinvest", &[], "Ukraine"),
    ("Unmanned Systems Forces", &["USF"], "Ukraine"),
    ("Border Guard Service of Ukraine", &["DPSU", "State Border Guard Service"], "Ukraine"),
    ("National Police of Ukraine", &["Ukrainian police"], "Ukraine"),
    ("Prosecutor General's Office", &["Office of the Prosecutor General"], "Ukraine"),
    ("Medecins Sans Frontieres", &["MSF", "Doctors Without Borders"], ""),
    ("World Food Programme", &["WFP"], ""),
];

const ORG_ADJECTIVES: &[&str] = &[
    "Regional",
    "Civic",
    "Eastern",
    "Southern",
    "Northern",
    "Volunteer",
    "Free",
    "United",
    "Open",
    "Independent",
    "Frontline",
    "Humanitarian",
    "Coastal",
    "Steppe",
    "Dnipro",
    "Donbas",
    "Slobozhanshchyna",
    "Polissia",
    "Carpathian",
    "Azov",
];
const ORG_NOUNS: &[&str] = &[
    "Relief Foundation",
    "Energy Company",
    "Water Utility",
    "Volunteer Battalion",
    "Rescue Team",
    "Aid Network",
    "Hospital",
    "Grain Terminal",
    "Rail Depot",
    "Power Plant",
    "Media Centre",
    "Observers",
    "Legal Clinic",
    "Refinery",
    "Heating Company",
    "Bus Company",
    "Drone Workshop",
    "Demining Group",
    "Medical Corps",
    "Civil Defence Unit",
];

/// Unit types: (long name, short form, country).
const UNIT_TYPES: &[(&str, &str, &str)] = &[
    ("Separate Mechanized Brigade", "OMBr", "Ukraine"),
    ("Separate Assault Brigade", "OShBr", "Ukraine"),
    ("Separate Airborne Assault Brigade", "ODShBr", "Ukraine"),
    ("Separate Artillery Brigade", "OABr", "Ukraine"),
    ("Territorial Defence Brigade", "OBrTrO", "Ukraine"),
    ("Separate Marine Brigade", "OBrMP", "Ukraine"),
    ("Separate Tank Brigade", "OTBr", "Ukraine"),
    ("Separate Mountain Assault Brigade", "OGShBr", "Ukraine"),
    ("Motor Rifle Regiment", "MRR", "Russia"),
    ("Separate Motor Rifle Brigade", "OMSBr", "Russia"),
    ("Guards Tank Regiment", "GTR", "Russia"),
    ("Guards Air Assault Division", "GVDD", "Russia"),
    ("Naval Infantry Brigade", "OBrMP-RU", "Russia"),
    ("Spetsnaz Brigade", "OBrSpN", "Russia"),
    ("Artillery Brigade", "ABr", "Russia"),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum WeaponUse {
    Drone,
    Missile,
    Bomb,
    Artillery,
    Mine,
}

/// Weapons: (name, aliases, class, country of origin, use, description).
type WeaponRow = (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    WeaponUse,
    &'static str,
);

#[rustfmt::skip]
const WEAPONS: &[WeaponRow] = &[
    ("Shahed-136/131", &["Shahed-136", "Geran-2", "Shahed 136", "Shahed"], "drone", "Iran", WeaponUse::Drone, "Iranian-designed long-range attack drone, built in Russia as the \"Geran-2\"."),
    ("Gerbera", &["Gerbera decoy"], "drone", "Russia", WeaponUse::Drone, "Cheap decoy drone, launched with Shaheds to saturate air defence."),
    ("Lancet", &["ZALA Lancet", "Lancet-3"], "drone", "Russia", WeaponUse::Drone, "Loitering munition."),
    ("Orlan-10", &["Orlan"], "drone", "Russia", WeaponUse::Drone, "Reconnaissance drone, often spotting for artillery."),
    ("Bayraktar TB2", &["TB2", "Bayraktar"], "drone", "Turkey", WeaponUse::Drone, "Medium-altitude armed drone."),
    ("FPV drone", &["FPV", "FPV-drone", "first-person-view drone"], "drone", "", WeaponUse::Drone, "Small first-person-view attack drone."),
    ("Mavic quadcopter", &["DJI Mavic", "Mavic"], "drone", "China", WeaponUse::Drone, "Commercial quadcopter, used to drop grenades."),
    ("Molniya", &["Molniya-2"], "drone", "Russia", WeaponUse::Drone, "Fixed-wing FPV drone."),
    ("Lyutyi", &["Liutyi", "AN-196 Lyutyi"], "drone", "Ukraine", WeaponUse::Drone, "Ukrainian long-range attack drone."),
    ("Magura V5", &["Magura sea drone"], "drone", "Ukraine", WeaponUse::Drone, "Ukrainian naval drone."),
    ("Kh-101", &["X-101", "Kh-101 cruise missile"], "cruise_missile", "Russia", WeaponUse::Missile, "Air-launched cruise missile, carried by Tu-95MS bombers."),
    ("Kh-555", &["X-555"], "cruise_missile", "Russia", WeaponUse::Missile, "Air-launched cruise missile."),
    ("Kalibr", &["3M-14", "3M14 Kalibr"], "cruise_missile", "Russia", WeaponUse::Missile, "Sea-launched cruise missile."),
    ("Iskander-K", &["9M728", "R-500"], "cruise_missile", "Russia", WeaponUse::Missile, "Ground-launched cruise missile."),
    ("Storm Shadow", &["SCALP-EG", "SCALP"], "cruise_missile", "United Kingdom", WeaponUse::Missile, "Anglo-French air-launched cruise missile."),
    ("Neptune", &["R-360 Neptune", "Neptun"], "cruise_missile", "Ukraine", WeaponUse::Missile, "Ukrainian cruise missile."),
    ("Iskander-M", &["9M723", "SS-26"], "ballistic_missile", "Russia", WeaponUse::Missile, "Short-range ballistic missile."),
    ("KN-23", &["Hwasong-11", "KN23"], "ballistic_missile", "North Korea", WeaponUse::Missile, "North Korean short-range ballistic missile."),
    ("Kinzhal", &["Kh-47M2", "Kh-47M2 Kinzhal"], "ballistic_missile", "Russia", WeaponUse::Missile, "Air-launched ballistic missile."),
    ("ATACMS", &["MGM-140"], "ballistic_missile", "United States", WeaponUse::Missile, "US tactical ballistic missile."),
    ("Tochka-U", &["OTR-21 Tochka"], "ballistic_missile", "Russia", WeaponUse::Missile, "Soviet-era ballistic missile."),
    ("Kh-59", &["X-59", "Kh-59MK2"], "air_to_surface_missile", "Russia", WeaponUse::Missile, "Guided air-to-surface missile."),
    ("Kh-69", &["X-69"], "air_to_surface_missile", "Russia", WeaponUse::Missile, "Air-launched missile, successor of the Kh-59."),
    ("Kh-31P", &["X-31P"], "air_to_surface_missile", "Russia", WeaponUse::Missile, "Anti-radiation missile."),
    ("Kh-22", &["X-22"], "anti_ship_missile", "Russia", WeaponUse::Missile, "Soviet anti-ship missile used against ground targets."),
    ("Kh-32", &["X-32"], "anti_ship_missile", "Russia", WeaponUse::Missile, "Modernised Kh-22."),
    ("Kh-35", &["X-35", "Uran"], "anti_ship_missile", "Russia", WeaponUse::Missile, "Subsonic anti-ship missile."),
    ("P-800 Oniks", &["Oniks", "Yakhont", "P-800"], "anti_ship_missile", "Russia", WeaponUse::Missile, "Supersonic anti-ship missile."),
    ("3M22 Zircon", &["Zircon", "Tsirkon"], "anti_ship_missile", "Russia", WeaponUse::Missile, "Hypersonic anti-ship missile."),
    ("S-300", &["S-300 missile", "48N6"], "surface_to_air_missile", "Russia", WeaponUse::Missile, "Surface-to-air missile, also fired at ground targets."),
    ("S-400", &["S-400 Triumf"], "surface_to_air_missile", "Russia", WeaponUse::Missile, "Surface-to-air missile."),
    ("KAB-500", &["KAB"], "guided_bomb", "Russia", WeaponUse::Bomb, "Guided aerial bomb."),
    ("FAB-500 UMPK", &["FAB-500", "UMPK"], "guided_bomb", "Russia", WeaponUse::Bomb, "Unguided bomb fitted with a glide and guidance kit."),
    ("FAB-1500", &["FAB-1500M54"], "guided_bomb", "Russia", WeaponUse::Bomb, "1.5-tonne glide bomb."),
    ("GBU-39", &["SDB", "Small Diameter Bomb"], "guided_bomb", "United States", WeaponUse::Bomb, "Small diameter guided bomb."),
    ("BM-21 Grad", &["Grad", "Grad MLRS"], "artillery", "Russia", WeaponUse::Artillery, "122 mm multiple rocket launcher."),
    ("BM-27 Uragan", &["Uragan"], "artillery", "Russia", WeaponUse::Artillery, "220 mm multiple rocket launcher."),
    ("BM-30 Smerch", &["Smerch"], "artillery", "Russia", WeaponUse::Artillery, "300 mm multiple rocket launcher."),
    ("Tornado-S", &["9K515 Tornado-S"], "artillery", "Russia", WeaponUse::Artillery, "Modernised Smerch."),
    ("HIMARS", &["M142 HIMARS", "M142"], "artillery", "United States", WeaponUse::Artillery, "US wheeled rocket launcher."),
    ("TOS-1A", &["Solntsepyok", "TOS-1"], "artillery", "Russia", WeaponUse::Artillery, "Thermobaric rocket launcher."),
    ("2S19 Msta-S", &["Msta-S", "2S19"], "artillery", "Russia", WeaponUse::Artillery, "152 mm self-propelled howitzer."),
    ("M777", &["M777 howitzer"], "artillery", "United States", WeaponUse::Artillery, "155 mm towed howitzer."),
    ("120 mm mortar", &["120mm mortar", "120-mm mortar"], "artillery", "", WeaponUse::Artillery, "Heavy mortar."),
    ("POM-3", &["POM-3 landmine"], "other", "Russia", WeaponUse::Mine, "Anti-personnel mine."),
    ("TM-62", &["TM-62 mine"], "other", "Russia", WeaponUse::Mine, "Anti-tank mine."),
];

struct Outlet {
    name: &'static str,
    domain: &'static str,
    language: &'static str,
    /// UTC offset in winter, hours.
    offset: i64,
    /// Whether the outlet's zone moves an hour in summer.
    dst: bool,
    weight: f64,
}

#[rustfmt::skip]
const OUTLETS: &[Outlet] = &[
    Outlet { name: "Reuters", domain: "www.reuters.com", language: "en", offset: 0, dst: false, weight: 8.0 },
    Outlet { name: "Associated Press", domain: "apnews.com", language: "en", offset: -5, dst: true, weight: 6.0 },
    Outlet { name: "AFP", domain: "www.afp.com", language: "en", offset: 1, dst: true, weight: 4.0 },
    Outlet { name: "BBC News", domain: "www.bbc.com", language: "en", offset: 0, dst: true, weight: 4.0 },
    Outlet { name: "The Kyiv Independent", domain: "kyivindependent.com", language: "en", offset: 2, dst: true, weight: 9.0 },
    Outlet { name: "Ukrainska Pravda", domain: "www.pravda.com.ua", language: "uk", offset: 2, dst: true, weight: 9.0 },
    Outlet { name: "Suspilne", domain: "suspilne.media", language: "uk", offset: 2, dst: true, weight: 7.0 },
    Outlet { name: "Ukrinform", domain: "www.ukrinform.net", language: "en", offset: 2, dst: true, weight: 5.0 },
    Outlet { name: "UNIAN", domain: "www.unian.info", language: "en", offset: 2, dst: true, weight: 5.0 },
    Outlet { name: "Interfax-Ukraine", domain: "interfax.com.ua", language: "en", offset: 2, dst: true, weight: 4.0 },
    Outlet { name: "RBC-Ukraine", domain: "newsukraine.rbc.ua", language: "en", offset: 2, dst: true, weight: 4.0 },
    Outlet { name: "Hromadske", domain: "hromadske.ua", language: "uk", offset: 2, dst: true, weight: 3.0 },
    Outlet { name: "Radio Svoboda", domain: "www.radiosvoboda.org", language: "uk", offset: 2, dst: true, weight: 3.0 },
    Outlet { name: "Meduza", domain: "meduza.io", language: "ru", offset: 3, dst: false, weight: 3.0 },
    Outlet { name: "Mediazona", domain: "zona.media", language: "ru", offset: 3, dst: false, weight: 2.0 },
    Outlet { name: "Novaya Gazeta Europe", domain: "novayagazeta.eu", language: "ru", offset: 1, dst: true, weight: 2.0 },
    Outlet { name: "TASS", domain: "tass.com", language: "en", offset: 3, dst: false, weight: 4.0 },
    Outlet { name: "RIA Novosti", domain: "ria.ru", language: "ru", offset: 3, dst: false, weight: 3.0 },
    Outlet { name: "Kommersant", domain: "www.kommersant.ru", language: "ru", offset: 3, dst: false, weight: 2.0 },
    Outlet { name: "Interfax", domain: "www.interfax.ru", language: "ru", offset: 3, dst: false, weight: 2.0 },
    Outlet { name: "The Guardian", domain: "www.theguardian.com", language: "en", offset: 0, dst: true, weight: 3.0 },
    Outlet { name: "The New York Times", domain: "www.nytimes.com", language: "en", offset: -5, dst: true, weight: 3.0 },
    Outlet { name: "The Washington Post", domain: "www.washingtonpost.com", language: "en", offset: -5, dst: true, weight: 2.0 },
    Outlet { name: "CNN", domain: "edition.cnn.com", language: "en", offset: -5, dst: true, weight: 2.0 },
    Outlet { name: "Al Jazeera", domain: "www.aljazeera.com", language: "en", offset: 3, dst: false, weight: 2.0 },
    Outlet { name: "Deutsche Welle", domain: "www.dw.com", language: "en", offset: 1, dst: true, weight: 2.0 },
    Outlet { name: "Euronews", domain: "www.euronews.com", language: "en", offset: 1, dst: true, weight: 1.5 },
    Outlet { name: "Le Monde", domain: "www.lemonde.fr", language: "fr", offset: 1, dst: true, weight: 1.0 },
    Outlet { name: "Der Spiegel", domain: "www.spiegel.de", language: "de", offset: 1, dst: true, weight: 1.0 },
    Outlet { name: "Institute for the Study of War", domain: "www.understandingwar.org", language: "en", offset: -5, dst: true, weight: 4.0 },
    Outlet { name: "Ukrainian Air Force", domain: "t.me/kpszsu", language: "uk", offset: 2, dst: true, weight: 3.0 },
    Outlet { name: "General Staff of the Armed Forces of Ukraine", domain: "www.zsu.gov.ua", language: "uk", offset: 2, dst: true, weight: 3.0 },
    Outlet { name: "Russian Ministry of Defence", domain: "function.mil.ru", language: "ru", offset: 3, dst: false, weight: 3.0 },
    Outlet { name: "ACLED", domain: "acleddata.com", language: "en", offset: 0, dst: false, weight: 2.0 },
    Outlet { name: "Astra", domain: "astra.press", language: "ru", offset: 3, dst: false, weight: 1.5 },
    Outlet { name: "Kyiv Post", domain: "www.kyivpost.com", language: "en", offset: 2, dst: true, weight: 2.0 },
    Outlet { name: "NV", domain: "english.nv.ua", language: "en", offset: 2, dst: true, weight: 2.0 },
    Outlet { name: "Militarnyi", domain: "mil.in.ua", language: "en", offset: 2, dst: true, weight: 1.5 },
    Outlet { name: "Defense Express", domain: "en.defence-ua.com", language: "en", offset: 2, dst: true, weight: 1.0 },
    Outlet { name: "Babel", domain: "babel.ua", language: "uk", offset: 2, dst: true, weight: 1.0 },
];
const AIR_FORCE_OUTLET: usize = 30;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    AirAttack,
    Drones,
    Missiles,
    Bombs,
    Ground,
    Mines,
    Quiet,
}

struct EventType {
    name: &'static str,
    weight: f64,
    subtypes: &'static [&'static str],
    profile: Profile,
}

#[rustfmt::skip]
const EVENT_TYPES: &[EventType] = &[
    EventType { name: "air_attack", weight: 55.0, subtypes: &["overnight_strike", "combined_strike", "daytime_strike", "regional_report"], profile: Profile::AirAttack },
    EventType { name: "drone_strike", weight: 90.0, subtypes: &["shahed_attack", "fpv_strike", "loitering_munition", "drone_debris", "sea_drone"], profile: Profile::Drones },
    EventType { name: "missile_strike", weight: 40.0, subtypes: &["cruise_missile", "ballistic_missile", "air_to_surface", "anti_ship_missile", "s300_ground_attack"], profile: Profile::Missiles },
    EventType { name: "shelling", weight: 140.0, subtypes: &["artillery", "mlrs", "mortar", "tank_fire"], profile: Profile::Ground },
    EventType { name: "airstrike", weight: 35.0, subtypes: &["guided_missile", "unguided_bomb", "helicopter_strike"], profile: Profile::Bombs },
    EventType { name: "glide_bomb_attack", weight: 25.0, subtypes: &["kab", "fab_umpk", "fab_1500"], profile: Profile::Bombs },
    EventType { name: "battle", weight: 110.0, subtypes: &["armed_clash", "assault", "counterattack", "positional_fighting", "government_regains_territory", "non_state_actor_overtakes_territory"], profile: Profile::Ground },
    EventType { name: "armed_clash", weight: 30.0, subtypes: &["small_arms", "sniper_fire", "ambush"], profile: Profile::Ground },
    EventType { name: "explosion", weight: 20.0, subtypes: &["landmine", "ied", "unexploded_ordnance", "remote_explosive"], profile: Profile::Mines },
    EventType { name: "sabotage", weight: 8.0, subtypes: &["railway_sabotage", "arson", "infrastructure_sabotage"], profile: Profile::Quiet },
    EventType { name: "partisan_attack", weight: 6.0, subtypes: &["arson", "assassination", "ied"], profile: Profile::Mines },
    EventType { name: "infrastructure_damage", weight: 30.0, subtypes: &["power_grid", "water_supply", "gas_pipeline", "rail", "port", "dam"], profile: Profile::Quiet },
    EventType { name: "naval_attack", weight: 7.0, subtypes: &["sea_drone", "missile_boat", "port_strike"], profile: Profile::Drones },
    EventType { name: "cyber_attack", weight: 4.0, subtypes: &["ddos", "data_wiper", "telecom_outage"], profile: Profile::Quiet },
    EventType { name: "border_incident", weight: 10.0, subtypes: &["cross_border_shelling", "incursion", "airspace_violation"], profile: Profile::Ground },
    EventType { name: "evacuation", weight: 9.0, subtypes: &["mandatory", "voluntary", "children"], profile: Profile::Quiet },
    EventType { name: "humanitarian_aid", weight: 8.0, subtypes: &["convoy", "corridor", "aid_distribution"], profile: Profile::Quiet },
    EventType { name: "prisoner_exchange", weight: 3.0, subtypes: &["pow_exchange", "body_repatriation"], profile: Profile::Quiet },
    EventType { name: "negotiation", weight: 3.0, subtypes: &["ceasefire_talks", "grain_deal", "nuclear_safety"], profile: Profile::Quiet },
    EventType { name: "protest", weight: 7.0, subtypes: &["peaceful_protest", "protest_with_intervention"], profile: Profile::Quiet },
    EventType { name: "arrest", weight: 9.0, subtypes: &["treason", "sabotage_suspect", "collaboration"], profile: Profile::Quiet },
    EventType { name: "mobilisation", weight: 4.0, subtypes: &["call_up", "conscription_raid"], profile: Profile::Quiet },
    EventType { name: "territorial_change", weight: 9.0, subtypes: &["settlement_captured", "settlement_liberated", "withdrawal"], profile: Profile::Ground },
    EventType { name: "strategic_development", weight: 12.0, subtypes: &["base_established", "looting", "disrupted_weapons_use", "agreement"], profile: Profile::Quiet },
    EventType { name: "violence_against_civilians", weight: 12.0, subtypes: &["attack", "abduction", "execution"], profile: Profile::Ground },
    EventType { name: "aircraft_loss", weight: 3.0, subtypes: &["shot_down", "crash"], profile: Profile::Missiles },
];

struct Entity {
    name: String,
    kind: &'static str,
    aliases: Vec<String>,
    class: &'static str,
    country: &'static str,
    /// Hundred-thousandths of a degree.
    coords: Option<(i32, i32)>,
    description: String,
}

struct World {
    calendar: Calendar,
    entities: Vec<Entity>,
    region_pick: Weighted,
    /// Place entities per region, and how they are picked.
    region_places: Vec<(Vec<usize>, Weighted)>,
    /// People, organisations and units, most active first.
    actors: Vec<usize>,
    actor_pick: Weighted,
    /// Organisations and places that are hit.
    targets: Vec<usize>,
    target_pick: Weighted,
    weapons_by_use: Vec<(WeaponUse, Vec<usize>)>,
    type_pick: Weighted,
    outlet_pick: Weighted,
    /// Entity index of the Russian Armed Forces (the actor of national air attack reports).
    russian_forces: usize,
    events: u64,
    articles: u64,
}

fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Spellings in use, folded: every spelling names one entity, whatever its kind.
struct Spellings(HashSet<String>);

impl Spellings {
    fn claim(&mut self, spelling: &str) -> bool {
        self.0.insert(fold(spelling))
    }
}

fn to_cyrillic(latin: &str) -> String {
    let mut out = String::with_capacity(latin.len() * 2);
    let chars: Vec<char> = latin.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars
            .get(i + 1)
            .copied()
            .unwrap_or(' ')
            .to_ascii_lowercase();
        let upper = c.is_uppercase();
        let (cy, skip) = match (c.to_ascii_lowercase(), next) {
            ('k', 'h') => ("х", 2),
            ('z', 'h') => ("ж", 2),
            ('c', 'h') => ("ч", 2),
            ('s', 'h') => ("ш", 2),
            ('y', 'a') => ("я", 2),
            ('y', 'u') => ("ю", 2),
            ('i', 'i') => ("ії", 2),
            ('t', 's') => ("ц", 2),
            ('a', _) => ("а", 1),
            ('b', _) => ("б", 1),
            ('v', _) => ("в", 1),
            ('h', _) => ("г", 1),
            ('g', _) => ("ґ", 1),
            ('d', _) => ("д", 1),
            ('e', _) => ("е", 1),
            ('z', _) => ("з", 1),
            ('y', _) => ("и", 1),
            ('i', _) => ("і", 1),
            ('k', _) => ("к", 1),
            ('l', _) => ("л", 1),
            ('m', _) => ("м", 1),
            ('n', _) => ("н", 1),
            ('o', _) => ("о", 1),
            ('p', _) => ("п", 1),
            ('r', _) => ("р", 1),
            ('s', _) => ("с", 1),
            ('t', _) => ("т", 1),
            ('u', _) => ("у", 1),
            ('f', _) => ("ф", 1),
            (' ', _) => (" ", 1),
            ('-', _) => ("-", 1),
            _ => ("", 1),
        };
        if upper {
            out.extend(cy.chars().flat_map(char::to_uppercase).take(1));
            out.extend(cy.chars().skip(1));
        } else {
            out.push_str(cy);
        }
        i += skip;
    }
    out
}

/// The Russian transliteration's `g` for a Ukrainian `h` (not in kh, zh, ch, sh).
fn russian_h(latin: &str) -> String {
    let mut out = String::with_capacity(latin.len());
    let mut prev = ' ';
    for c in latin.chars() {
        let after_digraph = matches!(prev.to_ascii_lowercase(), 'k' | 'z' | 'c' | 's');
        out.push(match c {
            'h' if !after_digraph => 'g',
            'H' if !after_digraph => 'G',
            other => other,
        });
        prev = c;
    }
    out
}

fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn coords(lat: f64, lon: f64) -> (i32, i32) {
    ((lat * 1e5).round() as i32, (lon * 1e5).round() as i32)
}

impl World {
    fn new(seed: u64, events: u64) -> World {
        let mut rng = Rng::new(seed ^ 0x5eed_5173_0f0f_u64);
        let calendar = Calendar::new(&mut rng);
        let mut spellings = Spellings(HashSet::new());
        let mut entities: Vec<Entity> = Vec::new();

        // Places: real cities first, then generated villages and towns.
        let mut region_places: Vec<Vec<usize>> = vec![Vec::new(); REGIONS.len()];
        for (name, aliases, region, lat, lon) in CITIES {
            let r = REGIONS
                .iter()
                .position(|x| x.name == *region)
                .expect("city region");
            spellings.claim(name);
            let aliases = aliases
                .iter()
                .filter(|a| spellings.claim(a))
                .map(|a| a.to_string())
                .collect();
            region_places[r].push(entities.len());
            entities.push(Entity {
                name: name.to_string(),
                kind: "place",
                aliases,
                class: "",
                country: REGIONS[r].country,
                coords: Some(coords(*lat, *lon)),
                description: format!("City in {}, {}.", REGIONS[r].name, REGIONS[r].country),
            });
        }
        let region_weights = Weighted::new(REGIONS.iter().map(|r| r.weight));
        let wanted_places = 4200;
        let mut attempts = 0;
        while entities.len() < wanted_places && attempts < 100_000 {
            attempts += 1;
            let r = region_weights.pick(&mut rng);
            let region = &REGIONS[r];
            let root = rng.pick(PLACE_ROOTS);
            let (suffix, ru_suffix) = *rng.pick(PLACE_SUFFIXES);
            let (prefix, ru_prefix) = if rng.chance(0.25) {
                *rng.pick(PLACE_PREFIXES)
            } else {
                ("", "")
            };
            let name = format!("{prefix}{root}{suffix}");
            if !spellings.claim(&name) {
                continue;
            }
            let mut aliases = Vec::new();
            if rng.chance(0.6) {
                let ru_root = russian_h(root);
                let alias = format!("{ru_prefix}{ru_root}{ru_suffix}");
                if spellings.claim(&alias) {
                    aliases.push(alias);
                }
            }
            if rng.chance(0.08) {
                let alias = to_cyrillic(&name);
                if spellings.claim(&alias) {
                    aliases.push(alias);
                }
            }
            let lat = region.lat + (rng.unit() - 0.5) * 2.0;
            let lon = region.lon + (rng.unit() - 0.5) * 3.0;
            let what = if rng.chance(0.8) { "Village" } else { "Town" };
            region_places[r].push(entities.len());
            entities.push(Entity {
                name,
                kind: "place",
                aliases,
                class: "",
                country: region.country,
                coords: Some(coords(lat, lon)),
                description: format!("{what} in {}, {}.", region.name, region.country),
            });
        }
        let region_places: Vec<(Vec<usize>, Weighted)> = region_places
            .into_iter()
            .map(|places| {
                let n = places.len().max(1);
                (places, Weighted::zipf(n, 0.8))
            })
            .collect();
        let n_places = entities.len();

        // People: well-known first, then generated officials, commanders and witnesses.
        let mut actors = Vec::new();
        for (name, aliases, country, description) in PEOPLE {
            spellings.claim(name);
            let aliases = aliases
                .iter()
                .filter(|a| spellings.claim(a))
                .map(|a| a.to_string())
                .collect();
            actors.push(entities.len());
            entities.push(Entity {
                name: name.to_string(),
                kind: "person",
                aliases,
                class: "",
                country,
                coords: None,
                description: description.to_string(),
            });
        }
        const ROLES: &[&str] = &[
            "Head of the {R} military administration",
            "Spokesperson for the {R} police",
            "Mayor of a town in {R}",
            "Commander of a brigade fighting in {R}",
            "Deputy governor of {R}",
            "Official of the {R} regional council",
            "Volunteer and blogger from {R}",
            "Prosecutor in {R}",
        ];
        let mut people = 0;
        while people < 1500 {
            let (fu, fr) = *rng.pick(FIRST_NAMES);
            let (lu, lr) = *rng.pick(LAST_NAMES);
            let region = &REGIONS[region_weights.pick(&mut rng)];
            let russian = region.country == "Russia";
            let (name, other) = if russian {
                (format!("{fr} {lr}"), format!("{fu} {lu}"))
            } else {
                (format!("{fu} {lu}"), format!("{fr} {lr}"))
            };
            if !spellings.claim(&name) {
                continue;
            }
            let mut aliases = Vec::new();
            if other != name && spellings.claim(&other) {
                aliases.push(other);
            }
            let initial = format!("{}. {}", &name[..1], name.split(' ').nth(1).unwrap_or(""));
            if rng.chance(0.5) && spellings.claim(&initial) {
                aliases.push(initial);
            }
            if rng.chance(0.25) {
                let cy = to_cyrillic(&name);
                if spellings.claim(&cy) {
                    aliases.push(cy);
                }
            }
            let role = rng.pick(ROLES).replace("{R}", region.name);
            actors.push(entities.len());
            entities.push(Entity {
                name,
                kind: "person",
                aliases,
                class: "",
                country: region.country,
                coords: None,
                description: format!("{role}, {}.", region.country),
            });
            people += 1;
        }

        // Organisations: well-known, regional administrations, generated ones.
        let mut targets = Vec::new();
        let mut russian_forces = 0;
        for (name, aliases, country) in ORGANISATIONS {
            spellings.claim(name);
            let aliases = aliases
                .iter()
                .filter(|a| spellings.claim(a))
                .map(|a| a.to_string())
                .collect();
            if *name == "Russian Armed Forces" {
                russian_forces = entities.len();
            }
            actors.push(entities.len());
            entities.push(Entity {
                name: name.to_string(),
                kind: "organisation",
                aliases,
                class: "",
                country,
                coords: None,
                description: String::new(),
            });
        }
        for region in REGIONS {
            let base = region.name.trim_end_matches(" Oblast");
            let (name, alias) = match region.country {
                "Ukraine" => (
                    format!("{base} Regional Military Administration"),
                    format!("{base} RMA"),
                ),
                _ => (
                    format!("{} Government", region.name),
                    format!("Government of {}", region.name),
                ),
            };
            if !spellings.claim(&name) {
                continue;
            }
            let aliases = if spellings.claim(&alias) {
                vec![alias]
            } else {
                Vec::new()
            };
            actors.push(entities.len());
            entities.push(Entity {
                name,
                kind: "organisation",
                aliases,
                class: "",
                country: region.country,
                coords: None,
                description: format!("Regional authority of {}.", region.name),
            });
        }
        let mut orgs = 0;
        while orgs < 700 {
            let region = &REGIONS[region_weights.pick(&mut rng)];
            let adjective = rng.pick(ORG_ADJECTIVES);
            let noun = rng.pick(ORG_NOUNS);
            let base = region.name.trim_end_matches(" Oblast");
            let name = if rng.chance(0.5) {
                format!("{adjective} {noun} of {base}")
            } else {
                format!("{base} {adjective} {noun}")
            };
            if !spellings.claim(&name) {
                continue;
            }
            let mut aliases = Vec::new();
            let acronym: String = name
                .split(' ')
                .filter(|w| w.len() > 2)
                .filter_map(|w| w.chars().next())
                .filter(char::is_ascii_uppercase)
                .collect();
            if acronym.len() >= 3 && rng.chance(0.5) && spellings.claim(&acronym) {
                aliases.push(acronym);
            }
            let index = entities.len();
            actors.push(index);
            if matches!(
                *noun,
                "Energy Company"
                    | "Water Utility"
                    | "Hospital"
                    | "Grain Terminal"
                    | "Rail Depot"
                    | "Power Plant"
                    | "Refinery"
                    | "Heating Company"
            ) {
                targets.push(index);
            }
            entities.push(Entity {
                name,
                kind: "organisation",
                aliases,
                class: "",
                country: region.country,
                coords: None,
                description: format!(
                    "A {} based in {}, {}.",
                    noun.to_lowercase(),
                    region.name,
                    region.country
                ),
            });
            orgs += 1;
        }
        // Infrastructure operators are hit too.
        for (i, e) in entities.iter().enumerate() {
            if matches!(
                e.name.as_str(),
                "Ukrenergo" | "DTEK" | "Naftogaz" | "Ukrzaliznytsia" | "Kyivstar" | "Rosneft"
            ) {
                targets.push(i);
            }
        }

        // Military units.
        let mut units = 0;
        while units < 700 {
            let n = rng.range(1, 250);
            let (long, short, country) = *rng.pick(UNIT_TYPES);
            let name = format!("{} {long}", ordinal(n));
            if !spellings.claim(&name) {
                continue;
            }
            let mut aliases = Vec::new();
            for alias in [
                format!("{n} {short}"),
                format!("{} {}", ordinal(n), long.trim_start_matches("Separate ")),
            ] {
                if alias != name && spellings.claim(&alias) {
                    aliases.push(alias);
                }
            }
            actors.push(entities.len());
            entities.push(Entity {
                name,
                kind: "military_unit",
                aliases,
                class: "",
                country,
                coords: None,
                description: format!(
                    "{} {} unit.",
                    if country == "Ukraine" {
                        "Ukrainian"
                    } else {
                        "Russian"
                    },
                    long.to_lowercase()
                ),
            });
            units += 1;
        }

        // Weapons.
        let mut weapons_by_use: Vec<(WeaponUse, Vec<usize>)> = Vec::new();
        for (name, aliases, class, country, usage, description) in WEAPONS {
            spellings.claim(name);
            let aliases = aliases
                .iter()
                .filter(|a| spellings.claim(a))
                .map(|a| a.to_string())
                .collect();
            match weapons_by_use.iter_mut().find(|(u, _)| u == usage) {
                Some((_, list)) => list.push(entities.len()),
                None => weapons_by_use.push((*usage, vec![entities.len()])),
            }
            entities.push(Entity {
                name: name.to_string(),
                kind: "weapon",
                aliases,
                class,
                country,
                coords: None,
                description: description.to_string(),
            });
        }

        // The most active actors: Russian and Ukrainian forces lead, the rest shuffled.
        for i in (1..actors.len()).rev() {
            let j = rng.index(i + 1);
            actors.swap(i, j);
        }
        for (slot, name) in ["Russian Armed Forces", "Armed Forces of Ukraine"]
            .iter()
            .enumerate()
        {
            let at = actors
                .iter()
                .position(|&i| entities[i].name == *name)
                .expect("well-known organisation");
            actors.swap(slot, at);
        }
        let actor_pick = Weighted::zipf(actors.len(), 1.0);

        // Targets: infrastructure operators and places (cities more than villages).
        targets.extend(0..CITIES.len());
        targets.extend((CITIES.len()..n_places).step_by(7));
        let target_pick = Weighted::zipf(targets.len(), 0.7);

        World {
            calendar,
            entities,
            region_pick: region_weights,
            region_places,
            actors,
            actor_pick,
            targets,
            target_pick,
            weapons_by_use,
            type_pick: Weighted::new(EVENT_TYPES.iter().map(|t| t.weight)),
            outlet_pick: Weighted::new(OUTLETS.iter().map(|o| o.weight)),
            russian_forces,
            events,
            articles: events.div_ceil(15).max(1),
        }
    }

    /// A spelling of an entity: usually its name, sometimes one of its aliases.
    fn spelling(&self, index: usize, rng: &mut Rng) -> &str {
        let e = &self.entities[index];
        if !e.aliases.is_empty() && rng.chance(0.3) {
            rng.pick(&e.aliases).as_str()
        } else {
            &e.name
        }
    }

    fn weapon(&self, usage: WeaponUse, rng: &mut Rng) -> usize {
        let list = &self
            .weapons_by_use
            .iter()
            .find(|(u, _)| *u == usage)
            .expect("weapons")
            .1;
        // The first weapons of each kind are the common ones.
        let k = if rng.chance(0.6) {
            0
        } else {
            rng.index(list.len())
        };
        list[k]
    }
}

// ---------------------------------------------------------------------------------------
// Text

const SENTENCES: &[&str] = &[
    "{S} reported {N} explosions near {P} shortly after {T}.",
    "Air defence was active over {R}; debris damaged {N} private houses, a school and power lines.",
    "According to the regional administration, the strike hit \"{Q}\" in {P}.",
    "Local officials said {A} was responsible, a claim that could not be independently verified.",
    "Residents of {P} were told to stay in shelters until the all-clear at {T}.",
    "Emergency crews worked through the night, clearing rubble and putting out fires.",
    "The attack came in several waves, with drones approaching from the north-east and the south.",
    "{A} said the target was \"a military facility\", while witnesses described damage to homes.",
    "Power was cut to about {N}00 households in {P}; repairs were expected to take two days.",
    "Fighting continued on the outskirts of {P}, with both sides claiming gains.",
    "A {W} was reportedly used, according to photos of the wreckage published by {S}.",
    "The governor of {R} said {N} people were taken to hospital, {N} of them in serious condition.",
    "Rail traffic through {P} was suspended for several hours.",
    "Satellite images showed fresh craters, burned vehicles and a damaged warehouse.",
    "{S} could not confirm the figures, which were given by {A}.",
    "The strike followed days of heavy shelling along the front line near {P}.",
    "Officials described the situation as \"difficult but under control\".",
    "Schools in {P} moved to remote learning for the rest of the week.",
    "Ukrainian forces said they repelled {N} assaults in the area, using artillery and drones.",
    "Russian sources claimed the capture of positions west of {P}, which Kyiv denied.",
    "Gas supply was interrupted in parts of {R}, and a water pumping station lost power.",
    "Investigators opened a criminal case under the article on \"violation of the laws and customs of war\".",
    "Volunteers delivered water, generators and medicine to villages near {P}.",
    "Evacuation of families with children from {P} continued; {N} people left on buses.",
    "The blast shattered windows in nearby apartment blocks, injuring passers-by.",
    "Monitors noted the use of {W} for the first time in this sector.",
    "Mobile network outages were reported in {P} and surrounding villages.",
    "Drone debris fell on an industrial site; a fire broke out but was quickly contained.",
];

const QUOTES: &[&str] = &[
    "critical infrastructure",
    "an energy facility",
    "a residential building",
    "industrial enterprise",
    "a grain terminal",
    "the railway station",
    "a hospital",
    "a military airfield",
    "an oil depot",
    "the port",
];

/// Writes sentences until `target` bytes are reached.
fn write_text(world: &World, rng: &mut Rng, region: usize, out: &mut Vec<u8>, target: usize) {
    let start = out.len();
    while out.len() - start < target {
        if out.len() > start {
            out.push(b' ');
        }
        let sentence = rng.pick(SENTENCES).as_bytes();
        let mut i = 0;
        while i < sentence.len() {
            let b = sentence[i];
            if b == b'{' && i + 2 < sentence.len() && sentence[i + 2] == b'}' {
                match sentence[i + 1] {
                    b'S' => out.extend_from_slice(rng.pick(OUTLETS).name.as_bytes()),
                    b'N' => push_u64(out, rng.count(4, 90)),
                    b'T' => {
                        let h = rng.below(24);
                        let m = rng.below(60);
                        push_2(out, h);
                        out.push(b':');
                        push_2(out, m);
                    }
                    b'R' => out.extend_from_slice(REGIONS[region].name.as_bytes()),
                    b'P' => {
                        let (places, pick) = &world.region_places[region];
                        if places.is_empty() {
                            out.extend_from_slice(REGIONS[region].name.as_bytes());
                        } else {
                            let p = places[pick.pick(rng)];
                            out.extend_from_slice(world.spelling(p, rng).as_bytes());
                        }
                    }
                    b'A' => {
                        let a = world.actors[world.actor_pick.pick(rng)];
                        out.extend_from_slice(world.spelling(a, rng).as_bytes());
                    }
                    b'W' => {
                        let w = world.weapon(
                            *rng.pick(&[WeaponUse::Drone, WeaponUse::Missile, WeaponUse::Bomb]),
                            rng,
                        );
                        out.extend_from_slice(world.entities[w].name.as_bytes());
                    }
                    b'Q' => out.extend_from_slice(rng.pick(QUOTES).as_bytes()),
                    _ => {}
                }
                i += 3;
            } else {
                out.push(b);
                i += 1;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Output helpers

fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_2(out: &mut Vec<u8>, n: u64) {
    out.push(b'0' + (n / 10) as u8);
    out.push(b'0' + (n % 10) as u8);
}

fn push_padded(out: &mut Vec<u8>, n: u64, width: usize) {
    let start = out.len();
    push_u64(out, n);
    let len = out.len() - start;
    if len < width {
        let pad = width - len;
        out.splice(start..start, std::iter::repeat_n(b'0', pad));
    }
}

/// A coordinate in hundred-thousandths of a degree, as decimal text.
fn push_coord(out: &mut Vec<u8>, v: i32) {
    if v < 0 {
        out.push(b'-');
    }
    let a = v.unsigned_abs() as u64;
    push_u64(out, a / 100_000);
    out.push(b'.');
    push_padded(out, a % 100_000, 5);
}

fn csv_field(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in s {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s);
    }
}

fn json_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 15) as usize]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

/// Starts a JSON key: `{"key":` or `,"key":`.
fn json_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    out.push(if *first { b'{' } else { b',' });
    *first = false;
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

// ---------------------------------------------------------------------------------------
// Articles

/// What identifies an article: enough to write its url again from an event.
struct ArticleHead {
    outlet: usize,
    day: i64,
    seconds: u64,
    rng: Rng,
}

const SECTIONS: &[&str] = &["news", "world", "europe", "war", "ukraine", "politics"];
const TITLES: &[&str] = &[
    "Russia launches {N} drones at {P} overnight, {N} shot down",
    "Explosions reported in {P} as air raid alert covers {R}",
    "{N} killed, {N} injured in strike on {P}",
    "Fighting intensifies near {P}, officials say",
    "Missile attack damages energy infrastructure in {R}",
    "Drone debris falls on residential area in {P}",
    "Shelling of {P}: what we know so far",
    "{A} says forces repelled attacks near {P}",
    "Evacuation ordered from villages around {P}",
    "Power outages hit {R} after overnight attack",
];

impl ArticleHead {
    fn new(world: &World, seed: u64, j: u64) -> ArticleHead {
        let mut rng = Rng::stream(seed, 3, j);
        let u = (j as f64 + 0.5) / world.articles as f64;
        let day = (world.calendar.day_at(u) + i64::from(rng.chance(0.3)))
            .min(world.calendar.days as i64 - 1);
        let outlet = world.outlet_pick.pick(&mut rng);
        let seconds = rng.below(86_400);
        ArticleHead {
            outlet,
            day,
            seconds,
            rng,
        }
    }

    /// Writes the title into `title` (the head's own random stream continues from here).
    fn title(&mut self, world: &World, title: &mut Vec<u8>) -> usize {
        let region = world.region_pick.pick(&mut self.rng);
        let template = self.rng.pick(TITLES).as_bytes();
        let mut i = 0;
        while i < template.len() {
            let b = template[i];
            if b == b'{' && i + 2 < template.len() && template[i + 2] == b'}' {
                match template[i + 1] {
                    b'N' => push_u64(title, self.rng.count(8, 500)),
                    b'R' => title.extend_from_slice(REGIONS[region].name.as_bytes()),
                    b'P' => {
                        let (places, pick) = &world.region_places[region];
                        let name = if places.is_empty() {
                            REGIONS[region].name
                        } else {
                            &world.entities[places[pick.pick(&mut self.rng)]].name
                        };
                        title.extend_from_slice(name.as_bytes());
                    }
                    b'A' => {
                        let a = world.actors[world.actor_pick.pick(&mut self.rng)];
                        title.extend_from_slice(world.entities[a].name.as_bytes());
                    }
                    _ => {}
                }
                i += 3;
            } else {
                title.push(b);
                i += 1;
            }
        }
        region
    }

    /// Writes the article's url; `title` is the title already written (for the slug).
    fn url(&self, world: &World, j: u64, title: &[u8], out: &mut Vec<u8>) {
        let outlet = &OUTLETS[self.outlet];
        out.extend_from_slice(b"https://");
        out.extend_from_slice(outlet.domain.as_bytes());
        out.push(b'/');
        if outlet.domain.contains('/') {
            // A channel: numbered posts.
            push_u64(out, 1000 + j);
            return;
        }
        out.extend_from_slice(SECTIONS[(j % SECTIONS.len() as u64) as usize].as_bytes());
        out.push(b'/');
        let date = world.calendar.date(self.day);
        out.extend_from_slice(&date[0..4]);
        out.push(b'/');
        out.extend_from_slice(&date[5..7]);
        out.push(b'/');
        out.extend_from_slice(&date[8..10]);
        out.push(b'/');
        let mut words = 0;
        let mut in_word = false;
        for &b in title {
            if b.is_ascii_alphanumeric() {
                if !in_word {
                    if words == 8 {
                        break;
                    }
                    if words > 0 {
                        out.push(b'-');
                    }
                    words += 1;
                    in_word = true;
                }
                out.push(b.to_ascii_lowercase());
            } else {
                in_word = false;
            }
        }
        out.push(b'-');
        push_u64(out, j);
    }
}

/// The url of article `j`, for an event citing it.
fn article_url(world: &World, seed: u64, j: u64, scratch: &mut Vec<u8>, out: &mut Vec<u8>) {
    let mut head = ArticleHead::new(world, seed, j);
    scratch.clear();
    head.title(world, scratch);
    head.url(world, j, scratch, out);
}

fn write_articles(world: &World, seed: u64, from: u64, to: u64, outs: &mut [Vec<u8>]) {
    let out = &mut outs[0];
    let mut title = Vec::with_capacity(200);
    let mut url = Vec::with_capacity(200);
    let mut body = Vec::with_capacity(8000);
    let mut stamp = Vec::with_capacity(32);
    for j in from..to {
        let mut head = ArticleHead::new(world, seed, j);
        title.clear();
        let region = head.title(world, &mut title);
        url.clear();
        head.url(world, j, &title, &mut url);
        let outlet = &OUTLETS[head.outlet];
        let rng = &mut head.rng;

        // Published: the local time with the outlet's UTC offset.
        stamp.clear();
        stamp.extend_from_slice(world.calendar.date(head.day));
        stamp.push(b'T');
        push_2(&mut stamp, head.seconds / 3600);
        stamp.push(b':');
        push_2(&mut stamp, head.seconds / 60 % 60);
        stamp.push(b':');
        push_2(&mut stamp, head.seconds % 60);
        let month = world.calendar.month(head.day);
        let offset = outlet.offset + i64::from(outlet.dst && (4..=10).contains(&month));
        if offset == 0 && rng.chance(0.5) {
            stamp.push(b'Z');
        } else {
            stamp.push(if offset < 0 { b'-' } else { b'+' });
            push_2(&mut stamp, offset.unsigned_abs());
            stamp.extend_from_slice(b":00");
        }

        // A body of a few hundred to a few thousand characters, in paragraphs.
        body.clear();
        let target = (300.0 * (4000.0f64 / 300.0).powf(rng.unit())) as usize;
        while body.len() < target {
            if !body.is_empty() {
                body.extend_from_slice(b"\n\n");
            }
            let paragraph = rng.range(150, 600) as usize;
            write_text(world, rng, region, &mut body, paragraph);
        }

        let mut first = true;
        json_key(out, &mut first, "url");
        json_string(out, &url);
        json_key(out, &mut first, "title");
        json_string(out, &title);
        json_key(out, &mut first, "published");
        json_string(out, &stamp);
        json_key(out, &mut first, "source");
        json_string(out, outlet.name.as_bytes());
        json_key(out, &mut first, "language");
        json_string(out, outlet.language.as_bytes());
        json_key(out, &mut first, "body");
        json_string(out, &body);
        out.extend_from_slice(b"}\n");
    }
}

// ---------------------------------------------------------------------------------------
// Events

const EVENTS_HEADER: &str = "event_id,date,date_precision,type,subtype,country,region,location,\
latitude,longitude,actors,targets,weapon,article_url,source,notes,drones_launched,\
drones_destroyed,missiles_launched,missiles_destroyed,killed,injured\n";
const FIGURES: [&str; 6] = [
    "drones_launched",
    "drones_destroyed",
    "missiles_launched",
    "missiles_destroyed",
    "killed",
    "injured",
];

/// One event, its text fields pointing into the world or into the row's buffers.
struct Event<'w> {
    id: u64,
    date: &'w [u8; 10],
    precision: &'static str,
    kind: &'static EventType,
    subtype: &'static str,
    country: &'static str,
    region: &'static str,
    location: &'w str,
    coords: Option<(i32, i32)>,
    actors: Vec<&'w str>,
    targets: Vec<&'w str>,
    weapons: Vec<&'w str>,
    source: &'static str,
    figures: [Option<u64>; 6],
}

/// Draws event `i`; its article urls go to `urls` (`;`-separated), its notes to `notes`.
fn draw_event<'w>(
    world: &'w World,
    seed: u64,
    i: u64,
    urls: &mut Vec<u8>,
    notes: &mut Vec<u8>,
    scratch: &mut Vec<u8>,
) -> Event<'w> {
    let mut rng = Rng::stream(seed, 1, i);
    let rng = &mut rng;
    let cal = &world.calendar;

    // Mostly in date order, as an export would be, with a little disorder.
    let u = (i as f64 + 0.5) / world.events as f64;
    let mut day = cal.day_at(u);
    if rng.chance(0.3) {
        day = (day + rng.range(0, 6) as i64 - 3).clamp(0, cal.days as i64 - 1);
    }
    let p = rng.unit();
    let (precision, day) = if p < 0.955 {
        ("day", day)
    } else if p < 0.985 {
        ("week", cal.monday(day).max(0))
    } else if p < 0.997 {
        ("month", cal.month_start(day))
    } else {
        ("year", cal.year_start(day))
    };

    let kind = &EVENT_TYPES[world.type_pick.pick(rng)];
    let mut subtype = *rng.pick(kind.subtypes);
    let national = kind.profile == Profile::AirAttack && rng.chance(0.45);
    if national {
        subtype = "overnight_strike";
    }

    // Where.
    let (mut country, mut region, mut location, mut coords) = ("", "", "", None);
    let mut region_index = world.region_pick.pick(rng);
    if national {
        country = "Ukraine";
        region_index = 0;
    } else if rng.chance(0.995) {
        let r = &REGIONS[region_index];
        country = r.country;
        if rng.chance(0.99) {
            region = r.name;
        }
        let (places, pick) = &world.region_places[region_index];
        if !places.is_empty() && rng.chance(0.9) {
            let place = places[pick.pick(rng)];
            location = world.spelling(place, rng);
            if rng.chance(0.95) {
                coords = world.entities[place].coords;
            }
        }
    }

    // Who, against whom, with what.
    let mut actors = Vec::with_capacity(3);
    if national {
        actors.push(world.entities[world.russian_forces].name.as_str());
    } else if rng.chance(0.9) {
        let n = match rng.below(10) {
            0..=5 => 1,
            6..=8 => 2,
            _ => 3,
        };
        let mut chosen = [usize::MAX; 3];
        for k in 0..n {
            let a = world.actors[world.actor_pick.pick(rng)];
            if chosen.contains(&a) {
                continue;
            }
            chosen[k] = a;
            actors.push(world.spelling(a, rng));
        }
    }
    let mut targets = Vec::with_capacity(2);
    if !national && rng.chance(0.35) {
        let first = world.targets[world.target_pick.pick(rng)];
        targets.push(world.spelling(first, rng));
        if rng.chance(0.2) {
            let second = world.targets[world.target_pick.pick(rng)];
            if second != first {
                targets.push(world.spelling(second, rng));
            }
        }
    }
    let usage = match kind.profile {
        Profile::AirAttack | Profile::Drones => Some((WeaponUse::Drone, 0.7)),
        Profile::Missiles => Some((WeaponUse::Missile, 0.7)),
        Profile::Bombs => Some((WeaponUse::Bomb, 0.6)),
        Profile::Ground => Some((WeaponUse::Artillery, 0.25)),
        Profile::Mines => Some((WeaponUse::Mine, 0.4)),
        Profile::Quiet => None,
    };
    let mut weapons = Vec::with_capacity(2);
    if let Some((usage, p)) = usage
        && rng.chance(p)
    {
        let w = world.weapon(usage, rng);
        weapons.push(world.spelling(w, rng));
        if kind.profile == Profile::AirAttack && rng.chance(0.5) {
            let m = world.weapon(WeaponUse::Missile, rng);
            weapons.push(world.spelling(m, rng));
        }
    }

    // Reported where: a third of the events cite an article published about then.
    urls.clear();
    if rng.chance(1.0 / 3.0) {
        let n_articles = world.articles;
        let base = (i as u128 * n_articles as u128 / world.events as u128) as i64;
        let j = (base + rng.range(0, 2) as i64 - 1).clamp(0, n_articles as i64 - 1) as u64;
        article_url(world, seed, j, scratch, urls);
        if rng.chance(0.05) && n_articles > 1 {
            let k = if j + 1 < n_articles { j + 1 } else { j - 1 };
            urls.push(b';');
            article_url(world, seed, k, scratch, urls);
        }
    }
    let source = if national {
        OUTLETS[AIR_FORCE_OUTLET].name
    } else {
        OUTLETS[world.outlet_pick.pick(rng)].name
    };

    // Figures: mostly unknown; air attack reports count drones and missiles.
    let mut figures = [None; 6];
    match kind.profile {
        Profile::AirAttack if national => {
            if rng.chance(0.85) {
                let launched = rng.count(45, 810);
                figures[0] = Some(launched);
                figures[1] = Some(launched * rng.range(50, 98) / 100);
            }
            if rng.chance(0.35) {
                let launched = rng.count(6, 120);
                figures[2] = Some(launched);
                figures[3] = Some(launched * rng.range(0, 100) / 100);
            }
        }
        Profile::AirAttack | Profile::Drones if rng.chance(0.3) => {
            let launched = rng.count(4, 200);
            figures[0] = Some(launched);
            if rng.chance(0.7) {
                figures[1] = Some(launched * rng.range(0, 100) / 100);
            }
        }
        Profile::Missiles if rng.chance(0.35) => {
            let launched = rng.count(3, 60);
            figures[2] = Some(launched);
            if rng.chance(0.6) {
                figures[3] = Some(launched * rng.range(0, 100) / 100);
            }
        }
        _ => {}
    }
    let harm = match kind.profile {
        Profile::Quiet => 0.03,
        Profile::AirAttack if national => 0.02,
        _ => 0.2,
    };
    if rng.chance(harm) {
        figures[4] = Some(if rng.chance(0.3) {
            0
        } else {
            rng.count(2, 300)
        });
    }
    if rng.chance(harm * 1.4) {
        figures[5] = Some(rng.count(3, 400));
    }

    notes.clear();
    if rng.chance(0.97) {
        let target = rng.range(140, 460) as usize;
        write_text(world, rng, region_index, notes, target);
    }

    Event {
        id: i + 1,
        date: cal.date(day),
        precision,
        kind,
        subtype,
        country,
        region,
        location,
        coords,
        actors,
        targets,
        weapons,
        source,
        figures,
    }
}

fn join_csv(out: &mut Vec<u8>, items: &[&str], scratch: &mut Vec<u8>) {
    scratch.clear();
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            scratch.push(b';');
        }
        scratch.extend_from_slice(item.as_bytes());
    }
    csv_field(out, scratch);
}

fn json_list(out: &mut Vec<u8>, first: &mut bool, key: &str, items: &[&str]) {
    if items.is_empty() {
        return;
    }
    json_key(out, first, key);
    out.push(b'[');
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        json_string(out, item.as_bytes());
    }
    out.push(b']');
}

fn write_events(world: &World, seed: u64, from: u64, to: u64, outs: &mut [Vec<u8>]) {
    let (csv, rest) = outs.split_at_mut(1);
    let (csv, json) = (&mut csv[0], &mut rest[0]);
    let mut urls = Vec::with_capacity(256);
    let mut notes = Vec::with_capacity(1024);
    let mut scratch = Vec::with_capacity(256);
    let mut id = Vec::with_capacity(16);
    for i in from..to {
        let e = draw_event(world, seed, i, &mut urls, &mut notes, &mut scratch);
        id.clear();
        id.extend_from_slice(b"gen-");
        push_padded(&mut id, e.id, 7);

        // CSV
        csv.extend_from_slice(&id);
        csv.push(b',');
        csv.extend_from_slice(e.date);
        csv.push(b',');
        csv.extend_from_slice(e.precision.as_bytes());
        csv.push(b',');
        csv.extend_from_slice(e.kind.name.as_bytes());
        csv.push(b',');
        csv.extend_from_slice(e.subtype.as_bytes());
        csv.push(b',');
        csv_field(csv, e.country.as_bytes());
        csv.push(b',');
        csv_field(csv, e.region.as_bytes());
        csv.push(b',');
        csv_field(csv, e.location.as_bytes());
        csv.push(b',');
        if let Some((lat, lon)) = e.coords {
            push_coord(csv, lat);
            csv.push(b',');
            push_coord(csv, lon);
        } else {
            csv.push(b',');
        }
        csv.push(b',');
        join_csv(csv, &e.actors, &mut scratch);
        csv.push(b',');
        join_csv(csv, &e.targets, &mut scratch);
        csv.push(b',');
        join_csv(csv, &e.weapons, &mut scratch);
        csv.push(b',');
        csv_field(csv, &urls);
        csv.push(b',');
        csv_field(csv, e.source.as_bytes());
        csv.push(b',');
        csv_field(csv, &notes);
        for figure in e.figures {
            csv.push(b',');
            if let Some(v) = figure {
                push_u64(csv, v);
            }
        }
        csv.push(b'\n');

        // NDJSON: the same keys, empty cells left out, lists as arrays, figures as numbers.
        let mut first = true;
        json_key(json, &mut first, "event_id");
        json_string(json, &id);
        json_key(json, &mut first, "date");
        json_string(json, e.date);
        json_key(json, &mut first, "date_precision");
        json_string(json, e.precision.as_bytes());
        json_key(json, &mut first, "type");
        json_string(json, e.kind.name.as_bytes());
        json_key(json, &mut first, "subtype");
        json_string(json, e.subtype.as_bytes());
        for (key, value) in [
            ("country", e.country),
            ("region", e.region),
            ("location", e.location),
        ] {
            if !value.is_empty() {
                json_key(json, &mut first, key);
                json_string(json, value.as_bytes());
            }
        }
        if let Some((lat, lon)) = e.coords {
            json_key(json, &mut first, "latitude");
            push_coord(json, lat);
            json_key(json, &mut first, "longitude");
            push_coord(json, lon);
        }
        json_list(json, &mut first, "actors", &e.actors);
        json_list(json, &mut first, "targets", &e.targets);
        json_list(json, &mut first, "weapon", &e.weapons);
        if !urls.is_empty() {
            json_key(json, &mut first, "article_url");
            json.push(b'[');
            for (k, url) in urls.split(|&b| b == b';').enumerate() {
                if k > 0 {
                    json.push(b',');
                }
                json_string(json, url);
            }
            json.push(b']');
        }
        json_key(json, &mut first, "source");
        json_string(json, e.source.as_bytes());
        if !notes.is_empty() {
            json_key(json, &mut first, "notes");
            json_string(json, &notes);
        }
        for (key, figure) in FIGURES.iter().zip(e.figures) {
            if let Some(v) = figure {
                json_key(json, &mut first, key);
                push_u64(json, v);
            }
        }
        json.extend_from_slice(b"}\n");
    }
}

// ---------------------------------------------------------------------------------------
// Entities

fn write_entities(world: &World, path: &Path) -> io::Result<u64> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(b"name,kind,aliases,class,country,latitude,longitude,description\n");
    let mut scratch = Vec::new();
    for e in &world.entities {
        csv_field(&mut out, e.name.as_bytes());
        out.push(b',');
        out.extend_from_slice(e.kind.as_bytes());
        out.push(b',');
        let aliases: Vec<&str> = e.aliases.iter().map(String::as_str).collect();
        join_csv(&mut out, &aliases, &mut scratch);
        out.push(b',');
        out.extend_from_slice(e.class.as_bytes());
        out.push(b',');
        csv_field(&mut out, e.country.as_bytes());
        out.push(b',');
        if let Some((lat, lon)) = e.coords {
            push_coord(&mut out, lat);
            out.push(b',');
            push_coord(&mut out, lon);
        } else {
            out.push(b',');
        }
        out.push(b',');
        csv_field(&mut out, e.description.as_bytes());
        out.push(b'\n');
    }
    std::fs::write(path, &out)?;
    Ok(world.entities.len() as u64)
}

// ---------------------------------------------------------------------------------------
// Parallel generation, written in order

/// Generates rows `0..total` in blocks on every core and writes each block's outputs, in
/// order, to `writers` (one output per writer). Returns the bytes written per writer.
fn generate<F>(
    total: u64,
    block: u64,
    writers: &mut [BufWriter<File>],
    fill: F,
) -> io::Result<Vec<u64>>
where
    F: Fn(u64, u64, &mut [Vec<u8>]) + Sync,
{
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 16);
    let blocks = total.div_ceil(block);
    let next = AtomicU64::new(0);
    let n_out = writers.len();
    let mut written = vec![0u64; n_out];
    std::thread::scope(|scope| -> io::Result<()> {
        let (tx, rx) = mpsc::sync_channel::<(u64, Vec<Vec<u8>>)>(threads * 2);
        for _ in 0..threads {
            let tx = tx.clone();
            let next = &next;
            let fill = &fill;
            scope.spawn(move || {
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b >= blocks {
                        break;
                    }
                    let mut outs: Vec<Vec<u8>> =
                        (0..n_out).map(|_| Vec::with_capacity(1 << 20)).collect();
                    fill(b * block, ((b + 1) * block).min(total), &mut outs);
                    if tx.send((b, outs)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<u64, Vec<Vec<u8>>> = BTreeMap::new();
        let mut want = 0;
        for (b, outs) in rx {
            pending.insert(b, outs);
            while let Some(outs) = pending.remove(&want) {
                for ((w, buf), n) in writers.iter_mut().zip(&outs).zip(&mut written) {
                    w.write_all(buf)?;
                    *n += buf.len() as u64;
                }
                want += 1;
            }
        }
        Ok(())
    })?;
    for w in writers.iter_mut() {
        w.flush()?;
    }
    Ok(written)
}

fn create(dir: &Path, name: &str) -> io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        File::create(dir.join(name))?,
    ))
}

const USAGE: &str = "usage: generate --events N --out DIR [--seed S]";

fn parse_args() -> Result<(u64, PathBuf, u64), String> {
    let mut events = None;
    let mut out = None;
    let mut seed = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--events" => {
                let v = value("--events")?;
                events = Some(
                    v.replace('_', "")
                        .parse::<u64>()
                        .map_err(|_| format!("--events {v:?}: not a whole number"))?,
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v
                    .parse::<u64>()
                    .map_err(|_| format!("--seed {v:?}: not a whole number"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    match (events, out) {
        (Some(0), _) => Err("--events must be at least 1".to_string()),
        (Some(events), Some(out)) => Ok((events, out, seed)),
        _ => Err(USAGE.to_string()),
    }
}

fn main() {
    let (events, dir, seed) = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    if let Err(err) = run(events, &dir, seed) {
        eprintln!("generate: {}: {err}", dir.display());
        std::process::exit(1);
    }
}

fn run(events: u64, dir: &Path, seed: u64) -> io::Result<()> {
    let started = Instant::now();
    std::fs::create_dir_all(dir)?;
    let world = World::new(seed, events);
    let entities = write_entities(&world, &dir.join("entities.csv"))?;

    let mut writers = vec![create(dir, "articles.ndjson")?];
    let articles_bytes = generate(world.articles, 2048, &mut writers, |from, to, outs| {
        write_articles(&world, seed, from, to, outs)
    })?[0];

    let mut writers = vec![create(dir, "events.csv")?, create(dir, "events.ndjson")?];
    writers[0].write_all(EVENTS_HEADER.as_bytes())?;
    let started_events = Instant::now();
    let written = generate(events, 4096, &mut writers, |from, to, outs| {
        write_events(&world, seed, from, to, outs)
    })?;
    let events_secs = started_events.elapsed().as_secs_f64();
    let csv_bytes = written[0] + EVENTS_HEADER.len() as u64;
    let mb = |b: u64| b as f64 / 1e6;
    eprintln!(
        "generate: {events} events ({:.1} MB csv, {:.0} bytes/row; {:.1} MB ndjson; {:.0} rows/s), \
         {} articles ({:.1} MB), {entities} entities, seed {seed}, in {:.1} s -> {}",
        mb(csv_bytes),
        csv_bytes as f64 / events as f64,
        mb(written[1]),
        events as f64 / events_secs.max(1e-9),
        world.articles,
        mb(articles_bytes),
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(())
}
