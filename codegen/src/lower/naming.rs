//! Naming: the only place where spec strings become Rust identifiers, and the only
//! constructor of the IR's name newtypes (`TypeName`, `FieldName`, `VariantName`,
//! `MethodName`).
//!
//! Input: component keys, property names, enum values, operationIds, derived name parts.
//! Output: identifiers that are valid, keyword-free and unique in their scope.
//!
//! Rules (house style):
//! - Types and variants are UpperCamelCase, fields/parameters/methods snake_case (heck).
//! - Identifiers are ASCII: every character that is not an ASCII letter or digit is a word
//!   boundary. That is stricter than "non-XID", on purpose: non-ASCII identifiers trip the
//!   `confusable_idents`/`uncommon_codepoints` lints that generated code must pass.
//! - Keywords (strict and reserved, 2018 edition and later) get a `_` suffix: `type_`,
//!   `self_`, `Self_`. A leading digit gets a prefix: `V` for types and variants, `n` for
//!   fields and methods.
//! - Every scope is one [`NameTable`]. Names a scope reserves (`Client`, `Unknown`, `send`…)
//!   are seeded up front; a spec name that lands on one is renamed with a fixed suffix
//!   (`Client` → `ClientModel`, `UNKNOWN` → `UnknownValue`, parameter `body` →
//!   `body_param`, operation `new` → `new_op`, builder `Error` → `ErrorBuilder`).
//! - Spec names that must not be merged (component types, enum values, tag values,
//!   operationIds) collide with an error naming the other pointer; names that may be
//!   adjusted (fields, parameters, derived inline type names) get `_2`/`2`, `_3`/`3`…

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{FieldName, MethodName, TypeName, VariantName};
use crate::pointer::JsonPointer;

/// Strict and reserved keywords of Rust 2018 and later (and `gen`, reserved in 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated modules use or import, reserved in the module's type table:
/// a component with one of these names becomes `{Name}Model`.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "BTreeMap",
    "Box",
    "Client",
    "DateTime",
    "Default",
    "Err",
    "Error",
    "ErrorBody",
    "From",
    "Map",
    "NaiveDate",
    "None",
    "Ok",
    "Option",
    "Response",
    "Result",
    "Some",
    "String",
    "Utc",
    "Value",
    "Vec",
];

/// Names a request builder already uses for its own methods and fields, so no parameter
/// may take them: `body`, `client`, `send`, `send_with_response`, `into_stream`, `version`,
/// and `clone` (an inherent setter named `clone` would shadow `Clone::clone`, which
/// `into_stream` calls).
pub const RESERVED_PARAM_NAMES: &[&str] = &[
    "body",
    "client",
    "clone",
    "into_stream",
    "send",
    "send_with_response",
    "version",
];

/// `Client`'s own methods, which an operation method must not shadow.
pub const RESERVED_METHOD_NAMES: &[&str] = &["builder", "clone", "execute", "execute_empty", "new"];

/// Replaces every character that is not an ASCII letter or digit with a space, so heck
/// treats it as a word boundary, and starts a word at a digit → upper-case step
/// (`2FactorMode` → `2 FactorMode`; heck alone keeps `2factor` together).
///
/// A sign before a digit is spelled out (`+1` → `plus 1`, `-1` → `minus 1`, `reactions-+1`
/// → `reactions plus 1`): dropping it would merge values that differ only by sign (GitHub's
/// `+1`/`-1` reactions). `+` before a digit is always a sign; `-` only at the start or
/// after another separator (`a-1` stays `a 1`).
fn ascii_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    let mut prev_digit = false;
    for (i, &c) in chars.iter().enumerate() {
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        let after_separator = i
            .checked_sub(1)
            .and_then(|j| chars.get(j))
            .is_none_or(|p| !p.is_ascii_alphanumeric());
        let sign = match c {
            '+' if next_digit => Some(" plus "),
            '-' if next_digit && after_separator => Some(" minus "),
            _ => None,
        };
        if let Some(word) = sign {
            out.push_str(word);
            prev_digit = false;
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            out.push(' ');
        } else {
            if prev_digit && c.is_ascii_uppercase() {
                out.push(' ');
            }
            out.push(c);
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// UpperCamelCase identifier for `s` (may be empty when `s` has no letters or digits).
pub fn upper_camel(s: &str) -> String {
    let mut out = ascii_words(s).to_upper_camel_case();
    if starts_with_digit(&out) {
        out.insert(0, 'V');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// snake_case identifier for `s` (may be empty when `s` has no letters or digits).
pub fn snake(s: &str) -> String {
    let mut out = ascii_words(s).to_snake_case();
    if starts_with_digit(&out) {
        out.insert(0, 'n');
    }
    if is_keyword(&out) {
        out.push('_');
    }
    out
}

/// The base of a derived (inline) type name: the parts UpperCamel-cased and joined
/// (`StreamsProcessor` + `options` → `StreamsProcessorOptions`). A trailing `_` of a
/// keyword-suffixed parent is dropped (`Self_` + `options` → `SelfOptions`).
pub fn derived(parts: &[&str]) -> String {
    let joined: Vec<&str> = parts.iter().map(|p| p.trim_end_matches('_')).collect();
    upper_camel(&joined.join(" "))
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

/// Who owns a name in a table.
#[derive(Debug, Clone)]
enum Owner {
    /// Seeded: the scope uses it itself.
    Reserved,
    /// Taken by the spec object at this pointer.
    Spec(JsonPointer),
}

/// One naming scope: every name in it is unique.
#[derive(Debug, Clone)]
pub struct NameTable {
    taken: BTreeMap<String, Owner>,
    /// Appended to a spec name that lands on a reserved one.
    reserved_suffix: &'static str,
    /// Put between a name and its counter (`id_2`, `Foo2`).
    counter_sep: &'static str,
}

impl NameTable {
    fn new(reserved: &[&str], reserved_suffix: &'static str, counter_sep: &'static str) -> Self {
        let taken = reserved
            .iter()
            .map(|r| ((*r).to_owned(), Owner::Reserved))
            .collect();
        Self {
            taken,
            reserved_suffix,
            counter_sep,
        }
    }

    fn is_free(&self, name: &str) -> bool {
        !self.taken.contains_key(name)
    }

    fn take(&mut self, name: String, at: &JsonPointer) -> String {
        self.taken.insert(name.clone(), Owner::Spec(at.clone()));
        name
    }

    /// `base`, or `base{sep}2`, `base{sep}3`… whichever is free first.
    fn claim_counted(&mut self, base: &str, at: &JsonPointer) -> String {
        if self.is_free(base) {
            return self.take(base.to_owned(), at);
        }
        // A keyword-suffixed base (`type_`) already ends in the separator.
        let sep = if base.ends_with('_') {
            ""
        } else {
            self.counter_sep
        };
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{base}{sep}{n}");
            if self.is_free(&candidate) {
                return self.take(candidate, at);
            }
            n += 1;
        }
    }

    /// Claims a name the spec chose and that must not silently change meaning: a reserved
    /// name is renamed with the table's suffix; a name another spec object holds is an
    /// error carrying that object's pointer.
    fn claim_spec(&mut self, name: &str, at: &JsonPointer) -> Result<String, JsonPointer> {
        match self.taken.get(name) {
            None => Ok(self.take(name.to_owned(), at)),
            Some(Owner::Spec(other)) => Err(other.clone()),
            Some(Owner::Reserved) => {
                let renamed = format!("{name}{}", self.reserved_suffix);
                Ok(self.claim_counted(&renamed, at))
            }
        }
    }
}

/// The module-wide table of type names (models, unions, version enums).
#[derive(Debug, Clone)]
pub struct TypeNames(NameTable);

impl Default for TypeNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_TYPE_NAMES, "Model", ""))
    }
}

impl TypeNames {
    /// Whether `name` is reserved (so a component with it is renamed).
    pub fn is_reserved(name: &str) -> bool {
        RESERVED_TYPE_NAMES.contains(&name)
    }

    /// The name of component `key`; `Err(other)` when another component already has it.
    pub fn component(&mut self, key: &str, at: &JsonPointer) -> Result<TypeName, JsonPointer> {
        let base = non_empty(upper_camel(key), "Schema");
        self.0.claim_spec(&base, at).map(TypeName::from_lowered)
    }

    /// A derived name for an inline schema at `at`. If `base` is taken, the nearest
    /// pointer token that says something `base` does not (a status code, a path piece…)
    /// is appended; if that is taken too, a counter (`base2`, `base3`…).
    pub fn derived(&mut self, base: &str, at: &JsonPointer) -> TypeName {
        let base = non_empty(base.to_owned(), "Schema");
        if self.0.is_free(&base) {
            return TypeName::from_lowered(self.0.take(base, at));
        }
        if let Some(extra) = distinguishing_token(&base, at) {
            let candidate = format!("{base}{extra}");
            if self.0.is_free(&candidate) {
                return TypeName::from_lowered(self.0.take(candidate, at));
            }
        }
        TypeName::from_lowered(self.0.claim_counted(&base, at))
    }
}

/// Pointer tokens that only describe structure and never distinguish two inline schemas
/// by themselves.
const STRUCTURAL_TOKENS: &[&str] = &[
    "additionalProperties",
    "allOf",
    "anyOf",
    "components",
    "content",
    "items",
    "oneOf",
    "parameters",
    "paths",
    "properties",
    "requestBody",
    "requestBodies",
    "responses",
    "schema",
    "schemas",
];

fn distinguishing_token(base: &str, at: &JsonPointer) -> Option<String> {
    at.tokens()
        .iter()
        .rev()
        .filter(|t| !STRUCTURAL_TOKENS.contains(&t.as_str()) && !t.contains('/'))
        .map(|t| ascii_words(t).to_upper_camel_case())
        .find(|t| !t.is_empty() && !base.contains(t.as_str()))
}

fn non_empty(s: String, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_owned()
    } else {
        s
    }
}

/// The fields of one struct, or the parameters of one operation.
#[derive(Debug, Clone)]
pub struct FieldNames(NameTable);

impl FieldNames {
    /// A struct's fields: nothing reserved but keywords.
    pub fn for_struct() -> Self {
        Self(NameTable::new(&[], "_field", "_"))
    }

    /// An operation's parameters: [`RESERVED_PARAM_NAMES`] are taken.
    pub fn for_params() -> Self {
        Self(NameTable::new(RESERVED_PARAM_NAMES, "_param", "_"))
    }

    /// The Rust name of property/parameter `wire`; `id` then `ID` gives `id`, `id_2`.
    pub fn claim(&mut self, wire: &str, at: &JsonPointer) -> FieldName {
        let base = non_empty(snake(wire), "field");
        let name = match self.0.claim_spec(&base, at) {
            Ok(name) => name,
            Err(_) => self.0.claim_counted(&base, at),
        };
        FieldName::from_lowered(name)
    }
}

/// The variants of one enum or union (`Unknown` is the catch-all, so it is reserved).
#[derive(Debug, Clone)]
pub struct VariantNames(NameTable);

impl Default for VariantNames {
    fn default() -> Self {
        Self(NameTable::new(&["Unknown"], "Value", ""))
    }
}

impl VariantNames {
    /// The variant for a spec value (enum value, tag value): `""` → `Empty`,
    /// `1h` → `V1h`, `UNKNOWN` → `UnknownValue`; `Err(other)` when another value already
    /// has the same name.
    pub fn value(&mut self, value: &str, at: &JsonPointer) -> Result<VariantName, JsonPointer> {
        let base = if value.is_empty() {
            "Empty".to_owned()
        } else {
            non_empty(upper_camel(value), "Value")
        };
        self.0.claim_spec(&base, at).map(VariantName::from_lowered)
    }

    /// A variant whose name the generator made up (untagged variants): suffixed on clash.
    pub fn derived(&mut self, base: &str, at: &JsonPointer) -> VariantName {
        let base = non_empty(upper_camel(base), "Variant");
        let base = if base == "Unknown" {
            "UnknownValue".to_owned()
        } else {
            base
        };
        VariantName::from_lowered(self.0.claim_counted(&base, at))
    }
}

/// `Client`'s methods (one per operation).
#[derive(Debug, Clone)]
pub struct MethodNames(NameTable);

impl Default for MethodNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_METHOD_NAMES, "_op", "_"))
    }
}

impl MethodNames {
    /// snake_case of the operationId; `Err(other)` when another operation has it.
    pub fn operation(&mut self, id: &str, at: &JsonPointer) -> Result<MethodName, JsonPointer> {
        let base = non_empty(snake(id), "op");
        self.0.claim_spec(&base, at).map(MethodName::from_lowered)
    }
}

/// The request builder types (their own module, which also sees the reserved type names).
#[derive(Debug, Clone)]
pub struct BuilderNames(NameTable);

impl Default for BuilderNames {
    fn default() -> Self {
        Self(NameTable::new(RESERVED_TYPE_NAMES, "Builder", ""))
    }
}

impl BuilderNames {
    /// UpperCamel of the operationId; `Err(other)` when another operation has it.
    pub fn operation(&mut self, id: &str, at: &JsonPointer) -> Result<TypeName, JsonPointer> {
        let base = non_empty(upper_camel(id), "Op");
        self.0.claim_spec(&base, at).map(TypeName::from_lowered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> JsonPointer {
        JsonPointer::parse_ref(s).unwrap()
    }

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
            ("café", "Caf", "caf"),
            ("a/b{c}", "ABC", "a_b_c"),
            ("2FactorMode", "V2FactorMode", "n2_factor_mode"),
            ("X509Cert", "X509Cert", "x509_cert"),
            ("S3Bucket", "S3Bucket", "s3_bucket"),
            ("", "", ""),
            ("---", "", ""),
            ("+1", "Plus1", "plus_1"),
            ("-1", "Minus1", "minus_1"),
            ("-x", "X", "x"),
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

    #[test]
    fn types_reserved_and_colliding() {
        let mut t = TypeNames::default();
        let a = at("#/components/schemas/FooBar");
        assert_eq!(t.component("FooBar", &a).unwrap().as_str(), "FooBar");
        assert_eq!(
            t.component("foo_bar", &at("#/components/schemas/foo_bar"))
                .unwrap_err(),
            a
        );
        assert_eq!(
            t.component("Client", &at("#/x")).unwrap().as_str(),
            "ClientModel"
        );
        assert_eq!(
            t.component("Error", &at("#/y")).unwrap().as_str(),
            "ErrorModel"
        );
        assert_eq!(
            t.component("String", &at("#/z")).unwrap().as_str(),
            "StringModel"
        );
        assert_eq!(t.component("Self", &at("#/s")).unwrap().as_str(), "Self_");
        assert_eq!(t.component("2fa", &at("#/d")).unwrap().as_str(), "V2fa");
        // A component literally named `ClientModel` arriving later loses to the renamed one
        // (the lowering claims non-reserved component names first to avoid this).
        assert!(t.component("ClientModel", &at("#/w")).is_err());
    }

    #[test]
    fn derived_type_names_use_pointer_then_counter() {
        let mut t = TypeNames::default();
        let p = |s: &str| at(s);
        assert_eq!(
            t.derived("GetFooResponse", &p("#/components/schemas/GetFooResponse"))
                .as_str(),
            "GetFooResponse"
        );
        let resp = p("#/paths/~1foo/get/responses/200/content/application~1json/schema");
        assert_eq!(
            t.derived("GetFooResponse", &resp).as_str(),
            "GetFooResponse200"
        );
        assert_eq!(
            t.derived("GetFooResponse", &resp).as_str(),
            "GetFooResponse2"
        );
        assert_eq!(
            t.derived("GetFooResponse", &resp).as_str(),
            "GetFooResponse3"
        );
        assert_eq!(
            t.derived("Client", &p("#/components/schemas/Client"))
                .as_str(),
            "Client2"
        );
        assert_eq!(t.derived("", &p("#/a")).as_str(), "Schema");
    }

    #[test]
    fn fields_params_variants_methods() {
        let mut f = FieldNames::for_struct();
        let names: Vec<String> = [
            "id", "ID", "my-field", "my.field", "my field", "type", "type_", "Id",
        ]
        .iter()
        .map(|w| f.claim(w, &at("#/f")).to_string())
        .collect();
        assert_eq!(
            names,
            [
                "id",
                "id_2",
                "my_field",
                "my_field_2",
                "my_field_3",
                "type_",
                "type_2",
                "id_3"
            ]
        );

        let mut p = FieldNames::for_params();
        assert_eq!(p.claim("groupId", &at("#/p")).as_str(), "group_id");
        assert_eq!(p.claim("body", &at("#/p")).as_str(), "body_param");
        assert_eq!(p.claim("version", &at("#/p")).as_str(), "version_param");
        assert_eq!(p.claim("client", &at("#/p")).as_str(), "client_param");
        assert_eq!(p.claim("+", &at("#/p")).as_str(), "field");

        let mut v = VariantNames::default();
        assert_eq!(v.value("CUSTOM", &at("#/e/0")).unwrap().as_str(), "Custom");
        assert_eq!(v.value("", &at("#/e/1")).unwrap().as_str(), "Empty");
        assert_eq!(
            v.value("UNKNOWN", &at("#/e/2")).unwrap().as_str(),
            "UnknownValue"
        );
        assert_eq!(v.value("1h", &at("#/e/3")).unwrap().as_str(), "V1h");
        assert_eq!(v.value("custom", &at("#/e/4")).unwrap_err(), at("#/e/0"));
        assert_eq!(v.derived("Unknown", &at("#/u")).as_str(), "UnknownValue2");
        assert_eq!(v.derived("String", &at("#/u")).as_str(), "String");
        assert_eq!(v.derived("String", &at("#/u")).as_str(), "String2");

        let mut m = MethodNames::default();
        assert_eq!(
            m.operation("getFoo", &at("#/o1")).unwrap().as_str(),
            "get_foo"
        );
        assert_eq!(m.operation("get_foo", &at("#/o2")).unwrap_err(), at("#/o1"));
        assert_eq!(m.operation("new", &at("#/o3")).unwrap().as_str(), "new_op");
        assert_eq!(m.operation("type", &at("#/o4")).unwrap().as_str(), "type_");

        let mut b = BuilderNames::default();
        assert_eq!(
            b.operation("getFoo", &at("#/o1")).unwrap().as_str(),
            "GetFoo"
        );
        assert_eq!(b.operation("get_foo", &at("#/o2")).unwrap_err(), at("#/o1"));
        assert_eq!(
            b.operation("error", &at("#/o3")).unwrap().as_str(),
            "ErrorBuilder"
        );
    }
}
