//! Ukrainian names in Latin letters by the national transliteration of 2010 (the one
//! road signs, passports and the gazetteer's names follow): `Кучерівка` → `Kucherivka`,
//! `Юнаківка` → `Yunakivka`, `Згурівка` → `Zghurivka`. Places the gazetteer does not list
//! are named this way, so an article in Ukrainian and one in English name the same
//! village alike.

/// One word or name, letter by letter. Letters that are not Ukrainian pass unchanged;
/// apostrophes and the soft sign are dropped.
pub fn romanise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let lower: String = c.to_lowercase().collect();
        let word_start = i == 0 || !chars[i - 1].is_alphabetic() && !is_apostrophe(chars[i - 1]);
        let latin: &str = match lower.as_str() {
            "а" => "a",
            "б" => "b",
            "в" => "v",
            "г" => {
                // `зг` is `zgh`, so it is not read back as `ж`.
                if i > 0 && matches!(chars[i - 1], 'з' | 'З') {
                    "gh"
                } else {
                    "h"
                }
            }
            "ґ" => "g",
            "д" => "d",
            "е" => "e",
            "є" => {
                if word_start {
                    "ye"
                } else {
                    "ie"
                }
            }
            "ж" => "zh",
            "з" => "z",
            "и" => "y",
            "і" => "i",
            "ї" => {
                if word_start {
                    "yi"
                } else {
                    "i"
                }
            }
            "й" => {
                if word_start {
                    "y"
                } else {
                    "i"
                }
            }
            "к" => "k",
            "л" => "l",
            "м" => "m",
            "н" => "n",
            "о" => "o",
            "п" => "p",
            "р" => "r",
            "с" => "s",
            "т" => "t",
            "у" => "u",
            "ф" => "f",
            "х" => "kh",
            "ц" => "ts",
            "ч" => "ch",
            "ш" => "sh",
            "щ" => "shch",
            "ь" => "",
            "ю" => {
                if word_start {
                    "yu"
                } else {
                    "iu"
                }
            }
            "я" => {
                if word_start {
                    "ya"
                } else {
                    "ia"
                }
            }
            _ if is_apostrophe(c) && i > 0 && is_cyrillic(chars[i - 1]) => "",
            _ => {
                out.push(c);
                continue;
            }
        };
        if c.is_uppercase() {
            let mut letters = latin.chars();
            if let Some(first) = letters.next() {
                out.extend(first.to_uppercase());
                out.push_str(letters.as_str());
            }
        } else {
            out.push_str(latin);
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// A letter of the Cyrillic block (Ukrainian and Russian).
pub fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::romanise;

    #[test]
    fn ukrainian_names_in_latin_letters() {
        for (uk, latin) in [
            ("Кучерівка", "Kucherivka"),
            ("Юнаківка", "Yunakivka"),
            ("Згурівка", "Zghurivka"),
            ("Куп'янськ", "Kupiansk"),
            ("Їжакевич", "Yizhakevych"),
            ("Григорій", "Hryhorii"),
            ("Щербухи", "Shcherbukhy"),
            ("Стрийська-Є", "Stryiska-Ye"),
            ("Kharkiv", "Kharkiv"),
        ] {
            assert_eq!(romanise(uk), latin, "{uk}");
        }
    }
}
