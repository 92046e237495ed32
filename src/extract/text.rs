//! Splitting an article body into paragraphs, sentences and tokens, each with its byte span
//! in the body, so that everything extracted can say exactly where it came from.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (any script), with inner apostrophes, hyphens and dots of abbreviations.
    Word,
    /// Digits, with inner `,` `.` `:` as in `1,800`, `2.5` and `9:40`.
    Number,
    /// Anything else, one character.
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

impl Token<'_> {
    pub fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }

    /// Lower case, apostrophes made plain.
    pub fn lower(&self) -> String {
        self.text.to_lowercase().replace(['’', 'ʼ', '`'], "'")
    }

    /// A word of three or more letters in capitals, as a dateline writes a place (`KYIV`).
    pub fn is_shouted(&self) -> bool {
        self.kind == TokenKind::Word
            && self.text.chars().count() > 2
            && self.text.chars().all(|c| !c.is_lowercase())
    }

    pub fn is_capitalised(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// One sentence: its number in the article, span and tokens.
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    pub index: usize,
    pub paragraph: usize,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    pub tokens: Vec<Token<'a>>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c == '\u{301}'
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`')
}

/// Tokens of a piece of text, with spans offset by `base`.
pub fn tokens(text: &str, base: usize) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let kind = if c.is_ascii_digit() {
            while j < chars.len() {
                let d = chars[j].1;
                let next_digit = chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit());
                if d.is_ascii_digit() || (matches!(d, ',' | '.' | ':') && next_digit) {
                    j += 1;
                } else {
                    break;
                }
            }
            TokenKind::Number
        } else if is_word_char(c) {
            while j < chars.len() {
                let d = chars[j].1;
                let next_alnum = chars.get(j + 1).is_some_and(|n| n.1.is_alphanumeric());
                if is_word_char(d)
                    || d.is_ascii_digit()
                    || ((is_apostrophe(d) || d == '-') && next_alnum)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        let end = chars.get(j).map_or(text.len(), |c| c.0);
        out.push(Token {
            text: &text[start..end],
            start: base + start,
            end: base + end,
            kind,
        });
        i = j;
    }
    out
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "no", "jan", "feb",
    "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "u.s", "u.n", "u.k",
    "vs", "approx", "prof", "sen", "rep", "gov", "adm", "brig", "cpl", "pvt", "jr", "sr",
];

/// The body's sentences. Paragraphs are separated by blank lines (or single line breaks);
/// a sentence ends at `.`, `!` or `?` followed by white space and a capital, a digit or a
/// quote, unless the word before the stop is a known abbreviation.
pub fn sentences(body: &str) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut offset = 0;
    for line in body.split('\n') {
        let line_start = offset;
        offset += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut start = 0;
        let bytes: Vec<(usize, char)> = line.char_indices().collect();
        for (k, &(at, c)) in bytes.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            // Closing quotes and brackets stay with the sentence.
            let mut end_k = k + 1;
            while bytes
                .get(end_k)
                .is_some_and(|b| matches!(b.1, '"' | '”' | '’' | '\'' | ')' | '»'))
            {
                end_k += 1;
            }
            let Some(&(_, after)) = bytes.get(end_k) else {
                continue;
            };
            if !after.is_whitespace() {
                continue;
            }
            let next = bytes[end_k..].iter().find(|b| !b.1.is_whitespace());
            let Some(&(_, next)) = next else { continue };
            if !(next.is_uppercase()
                || next.is_ascii_digit()
                || matches!(next, '"' | '“' | '«' | '('))
            {
                continue;
            }
            if c == '.' {
                let before = &line[start..at];
                let word = before
                    .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                if ABBREVIATIONS.contains(&word.as_str())
                    || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
                {
                    continue;
                }
            }
            let end = bytes.get(end_k).map_or(line.len(), |b| b.0);
            push(
                &mut out,
                body,
                line_start + start,
                line_start + end,
                paragraph,
            );
            start = end;
        }
        push(
            &mut out,
            body,
            line_start + start,
            line_start + line.len(),
            paragraph,
        );
        paragraph += 1;
    }
    out
}

fn push<'a>(
    out: &mut Vec<Sentence<'a>>,
    body: &'a str,
    start: usize,
    end: usize,
    paragraph: usize,
) {
    let raw = &body[start..end];
    let trimmed_start = start + (raw.len() - raw.trim_start().len());
    let trimmed_end = end - (raw.len() - raw.trim_end().len());
    if trimmed_start >= trimmed_end {
        return;
    }
    let text = &body[trimmed_start..trimmed_end];
    out.push(Sentence {
        index: out.len(),
        paragraph,
        start: trimmed_start,
        end: trimmed_end,
        text,
        tokens: tokens(text, trimmed_start),
    });
}

/// The character offset of a byte offset (spans are stored in characters).
pub fn char_offset(body: &str, byte: usize) -> usize {
    body.get(..byte).map_or(0, |s| s.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_stops_but_not_abbreviations() {
        let body = "Mr. Sybiha said 7 people died at 9:40 a.m. on Friday. The U.S. envoy came.\n\nA second paragraph? Yes.";
        let s: Vec<&str> = sentences(body).iter().map(|s| s.text).collect();
        assert_eq!(
            s,
            [
                "Mr. Sybiha said 7 people died at 9:40 a.m. on Friday.",
                "The U.S. envoy came.",
                "A second paragraph?",
                "Yes."
            ]
        );
        assert_eq!(sentences(body)[2].paragraph, 1);
    }

    #[test]
    fn tokens_keep_numbers_and_hyphenated_words_whole() {
        let t: Vec<&str> = tokens("Russia's 1,800 km; Kh-101 at 9:40, 472.0 drones.", 0)
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            [
                "Russia's", "1,800", "km", ";", "Kh-101", "at", "9:40", ",", "472.0", "drones", "."
            ]
        );
    }

    #[test]
    fn spans_point_into_the_body() {
        let body = "First one.  Second: 12 drones.";
        for s in sentences(body) {
            assert_eq!(&body[s.start..s.end], s.text);
            for t in &s.tokens {
                assert_eq!(&body[t.start..t.end], t.text);
            }
        }
    }
}
