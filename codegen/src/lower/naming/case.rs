//! Casing: spec strings → Rust identifiers (UpperCamel for types and variants, snake_case
//! for fields, parameters and methods), ASCII-only, keyword-safe, never starting with a digit.
//! The words come from `spell` (symbols spelled, non-ASCII transliterated).

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::spell::words;
use crate::ir::VariantName;

/// Strict and reserved keywords of Rust 2018 and later (and `gen`, reserved in 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

pub(super) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// UpperCamelCase identifier for `s` (never empty: `""` is `Empty`).
pub fn upper_camel(s: &str) -> String {
    let mut out = words(s).to_upper_camel_case();
    if starts_with_digit(&out) {
        out.insert(0, 'V');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// snake_case identifier for `s` (never empty: `""` is `empty`).
pub fn snake(s: &str) -> String {
    let mut out = words(s).to_snake_case();
    if starts_with_digit(&out) {
        out.insert(0, 'n');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// The base of a derived (inline) type name: the parts spelled one by one, then
/// UpperCamel-cased and joined (`StreamsProcessor` + `options` → `StreamsProcessorOptions`,
/// `Sort` + `-name` → `SortMinusName`). A trailing `_` of a keyword-suffixed parent is
/// dropped (`Self_` + `options` → `SelfOptions`).
pub fn derived(parts: &[&str]) -> String {
    let spelled: Vec<String> = parts.iter().map(|p| words(p)).collect();
    let mut out = spelled.join(" ").to_upper_camel_case();
    if starts_with_digit(&out) {
        out.insert(0, 'V');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// A "singular-ish" form of an array property name, for the item type of an inline
/// array: `connections` → `connection`, `entries` → `entry`, `boxes` → `box`; `None` when
/// no simple rule applies (the caller then appends `Item`).
pub fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|s| !s.is_empty()) {
        return Some(format!("{stem}y"));
    }
    for suffix in ["sses", "xes", "ches", "shes"] {
        if lower.ends_with(suffix) {
            return word.get(..word.len() - 2).map(str::to_owned);
        }
    }
    word.strip_suffix('s')
        .filter(|s| s.len() > 1)
        .map(str::to_owned)
}

/// The variant name of a media-type version date: `2024-08-05` → `V2024_08_05`
/// (underscores between digits pass `non_camel_case_types`).
pub fn version_variant(date: &str) -> VariantName {
    let digits: String = date
        .chars()
        .map(|c| if c.is_ascii_digit() { c } else { '_' })
        .collect();
    VariantName::from_lowered(format!("V{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_table() {
        // (input, UpperCamel, snake)
        let table: &[(&str, &str, &str)] = &[
            ("AWSLambda", "AwsLambda", "aws_lambda"),
            ("CUSTOM", "Custom", "custom"),
            ("DATE", "Date", "date"),
            ("groupId", "GroupId", "group_id"),
            ("my-field", "MyField", "my_field"),
            ("my.field", "MyField", "my_field"),
            ("my field", "MyField", "my_field"),
            ("EPOCH_SECONDS", "EpochSeconds", "epoch_seconds"),
            ("ipv4Address", "Ipv4Address", "ipv4_address"),
            ("type", "Type", "type_"),
            ("self", "Self_", "self_"),
            ("Self", "Self_", "self_"),
            ("crate", "Crate", "crate_"),
            ("async", "Async", "async_"),
            ("ref", "Ref", "ref_"),
            ("gen", "Gen", "gen_"),
            ("1h", "V1h", "n1h"),
            ("2024-08-05", "V20240805", "n2024_08_05"),
            ("café", "Cafe", "cafe"),
            ("北京", "BeiJing", "bei_jing"),
            ("🎲", "GameDie", "game_die"),
            ("a/b{c}", "ABC", "a_b_c"),
            ("2FactorMode", "V2FactorMode", "n2_factor_mode"),
            ("X509Cert", "X509Cert", "x509_cert"),
            ("S3Bucket", "S3Bucket", "s3_bucket"),
            ("", "Empty", "empty"),
            (" ", "Space", "space"),
            ("---", "MinusMinusMinus", "minus_minus_minus"),
            ("<", "Lt", "lt"),
            (">=", "Ge", "ge"),
            ("!=", "Ne", "ne"),
            ("*", "Star", "star"),
            ("''", "QuoteQuote", "quote_quote"),
            ("e+", "EPlus", "e_plus"),
            ("C++", "CPlusPlus", "c_plus_plus"),
            (".NET", "DotNet", "dot_net"),
            (">100", "Gt100", "gt_100"),
            ("Ltd.", "Ltd", "ltd"),
            ("/pets/", "Pets", "pets"),
            ("[x]", "X", "x"),
            ("Today's", "Todays", "todays"),
            ("@type", "AtType", "at_type"),
            ("DD/MM/YYYY", "DdMmYyyy", "dd_mm_yyyy"),
            ("GET /pets/{petId}", "GetPetsPetId", "get_pets_pet_id"),
            ("+1", "Plus1", "plus_1"),
            ("-1", "Minus1", "minus_1"),
            ("-x", "MinusX", "minus_x"),
            ("-createdAt", "MinusCreatedAt", "minus_created_at"),
            ("a-1", "A1", "a_1"),
            ("reactions-+1", "ReactionsPlus1", "reactions_plus_1"),
            ("reactions--1", "ReactionsMinus1", "reactions_minus_1"),
        ];
        for (input, camel, snake_case) in table {
            assert_eq!(upper_camel(input), *camel, "camel of {input:?}");
            assert_eq!(snake(input), *snake_case, "snake of {input:?}");
        }
    }

    #[test]
    fn every_keyword_is_suffixed() {
        for k in KEYWORDS {
            let s = snake(k);
            let c = upper_camel(k);
            assert!(!is_keyword(&s) && !is_keyword(&c), "{k}: {s} {c}");
        }
    }

    #[test]
    fn derived_and_singular() {
        assert_eq!(
            derived(&["StreamsProcessor", "options"]),
            "StreamsProcessorOptions"
        );
        assert_eq!(derived(&["Self_", "options"]), "SelfOptions");
        assert_eq!(derived(&["Sort", "-name"]), "SortMinusName");
        assert_eq!(derived(&["GET /pets", "Response"]), "GetPetsResponse");
        assert_eq!(derived(&["createFoo", "Request"]), "CreateFooRequest");
        let table: &[(&str, Option<&str>)] = &[
            ("connections", Some("connection")),
            ("entries", Some("entry")),
            ("boxes", Some("box")),
            ("matches", Some("match")),
            ("addresses", Some("address")),
            ("status", None),
            ("access", None),
            ("data", None),
            ("s", None),
        ];
        for (word, want) in table {
            assert_eq!(singular(word).as_deref(), *want, "{word}");
        }
    }

    #[test]
    fn version_variants() {
        assert_eq!(version_variant("2024-08-05").as_str(), "V2024_08_05");
    }
}
