//! Spelling: a spec string → the space-separated ASCII words its Rust names are cased from.
//!
//! 1. Non-ASCII characters are transliterated (`deunicode`: `café` → `cafe`, `北京` →
//!    `Bei Jing`, `🎲` → `game die`); a character with no transliteration becomes the word
//!    `u{hex}`.
//! 2. A string with no ASCII letter or digit is spelled symbol by symbol with [`SYMBOLS`]
//!    (`<` → `lt`, `>=` → `ge`, `*` → `star`, `''` → `quote quote`); whitespace counts only
//!    in a string of nothing but whitespace (`" "` → `space`); `""` is `empty`.
//! 3. Otherwise every other character is a word boundary (`in-progress`, `my.field`,
//!    `a/b`), except
//!    - an operator symbol at the start or the end, which is spelled (`-createdAt` →
//!      `minus createdAt`, `C++` → `C plus plus`, `e-`/`e+`, `>100` → `gt 100`, `.NET`),
//!      so that values differing only there stay apart; [`SPELLED_FIRST`] and
//!      [`SPELLED_LAST`] say which (sentence punctuation at the end, `/`, `_`, quotes,
//!      brackets and whitespace are never spelled: `Ltd.`, `/pets/`, `_links`, `[x]`);
//!    - a sign before a digit, anywhere (`+1` → `plus 1`, `reactions--1` →
//!      `reactions minus 1`; `-` only at the start or after another boundary: `a-1` is
//!      `a 1`): GitHub's `+1`/`-1` reactions differ only by it;
//!    - an apostrophe between two letters, which is dropped (`Today's` → `Todays`);
//!    - a digit followed by an upper-case letter starts a word (`2FactorMode`).

/// Symbols and the words they are spelled as: one table, for every scope. Longer entries
/// come first (longest match wins: `<=` is `le`, not `lt eq`).
pub const SYMBOLS: &[(&str, &str)] = &[
    ("<=", "le"),
    (">=", "ge"),
    ("!=", "ne"),
    ("<", "lt"),
    (">", "gt"),
    ("=", "eq"),
    ("!", "bang"),
    ("\"", "double quote"),
    ("#", "hash"),
    ("$", "dollar"),
    ("%", "percent"),
    ("&", "amp"),
    ("'", "quote"),
    ("(", "l paren"),
    (")", "r paren"),
    ("*", "star"),
    ("+", "plus"),
    (",", "comma"),
    ("-", "minus"),
    (".", "dot"),
    ("/", "slash"),
    (":", "colon"),
    (";", "semicolon"),
    ("?", "question"),
    ("@", "at"),
    ("[", "l bracket"),
    ("\\", "backslash"),
    ("]", "r bracket"),
    ("^", "caret"),
    ("_", "underscore"),
    ("`", "backtick"),
    ("{", "l brace"),
    ("|", "pipe"),
    ("}", "r brace"),
    ("~", "tilde"),
    (" ", "space"),
    ("\t", "tab"),
    ("\n", "newline"),
    ("\r", "cr"),
];

/// Symbols spelled when they come before the first letter or digit.
pub const SPELLED_FIRST: &str = "!#$%&*+-.<=>?@\\^|~";

/// Symbols spelled when they come after the last letter or digit (not `.`, `!`, `?`:
/// sentence punctuation such as `Ltd.`).
pub const SPELLED_LAST: &str = "#$%&*+-<=>@\\^|~";

/// The spelled word(s) of the symbol that starts `chars`, and how many chars it takes.
fn symbol(chars: &[char]) -> Option<(&'static str, usize)> {
    SYMBOLS.iter().find_map(|(sym, word)| {
        let n = sym.chars().count();
        let head = chars.get(..n)?;
        sym.chars().eq(head.iter().copied()).then_some((*word, n))
    })
}

/// `s` with every non-ASCII character transliterated: a letter joins its word (`é` →
/// `e`), anything else (an emoji, a currency sign) stands apart (`🎲` → ` game die `).
fn transliterate(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match deunicode::deunicode_char(c) {
            Some(t) if c.is_alphabetic() => out.push_str(t),
            Some(t) => {
                out.push(' ');
                out.push_str(t.trim());
                out.push(' ');
            }
            None => out.push_str(&format!(" u{:x} ", u32::from(c))),
        }
    }
    out
}

/// A string without letters or digits, symbol by symbol (whitespace only if it is all
/// there is).
fn spell_all(chars: &[char]) -> String {
    let only_space = chars.iter().all(char::is_ascii_whitespace);
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_whitespace() && !only_space {
            i += 1;
            continue;
        }
        match chars.get(i..).and_then(symbol) {
            Some((word, n)) => {
                words.push(word.to_owned());
                i += n;
            }
            None => {
                words.push(format!("u{:x}", u32::from(c)));
                i += 1;
            }
        }
    }
    if words.is_empty() {
        "empty".to_owned()
    } else {
        words.join(" ")
    }
}

/// The words of `s` (see the module docs), separated by spaces, for heck to case.
pub(crate) fn words(s: &str) -> String {
    let ascii = transliterate(s);
    let chars: Vec<char> = ascii.chars().collect();
    let alnum = |c: &char| c.is_ascii_alphanumeric();
    let (Some(first), Some(last)) = (chars.iter().position(alnum), chars.iter().rposition(alnum))
    else {
        return spell_all(&chars);
    };
    let mut out = String::with_capacity(chars.len() + 8);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        if c.is_ascii_alphanumeric() {
            if prev.is_some_and(|p| p.is_ascii_digit()) && c.is_ascii_uppercase() {
                out.push(' ');
            }
            out.push(c);
            i += 1;
            continue;
        }
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        if c == '\'' && letter(prev) && letter(next) {
            i += 1;
            continue;
        }
        let edge = if i < first {
            Some(SPELLED_FIRST)
        } else if i > last {
            Some(SPELLED_LAST)
        } else {
            None
        };
        if let Some(spelled) = edge.filter(|set| set.contains(c)) {
            if let Some((word, n)) = chars.get(i..).and_then(symbol) {
                // A two-char symbol is spelled whole only if its second char may be too.
                let whole = chars
                    .get(i..i + n)
                    .is_some_and(|s| s.iter().all(|c| spelled.contains(*c)));
                let (word, n) = if whole {
                    (word, n)
                } else {
                    chars.get(i..i + 1).and_then(symbol).unwrap_or((word, 1))
                };
                out.push(' ');
                out.push_str(word);
                out.push(' ');
                i += n;
                continue;
            }
        }
        let next_digit = next.is_some_and(|n| n.is_ascii_digit());
        let after_boundary = prev.is_none_or(|p| !p.is_ascii_alphanumeric());
        match c {
            '+' if next_digit => out.push_str(" plus "),
            '-' if next_digit && after_boundary => out.push_str(" minus "),
            _ => out.push(' '),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_alone_is_spelled_and_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for (sym, word) in SYMBOLS {
            assert_eq!(words(sym), *word, "{sym:?}");
            assert!(seen.insert(*word), "{word} twice");
        }
    }
}
