//! Validation rules: a schema's constraints (pattern, range, lengths, item counts, format,
//! default) as the IR carries them, and the pass that makes every range bound on an
//! integer an integer, so emit can print it as one and never has to decide.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::Number;

use super::keywords::Keywords;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{Constraints, Operation, Scalar, TypeDef, TypeKind, TypeName, TypeRef};
use crate::pointer::JsonPointer;

/// How many alias hops [`checked_scalar`] follows (a cycle of aliases ends there).
const MAX_ALIAS_DEPTH: usize = 32;

/// Validation rules and default of the schema at `at`. Numbers come from the JSON
/// document, so `minimum: 1` stays an integer and `0.1` is not rounded through `f64`.
pub(crate) fn rules(doc: Document<'_>, kw: &Keywords<'_>, at: &JsonPointer) -> Constraints {
    let raw = doc.node(at).and_then(|v| v.as_object());
    let get = |key: &str| raw.and_then(|m| m.get(key));
    let number = |key: &str| get(key).and_then(|v| v.as_number()).cloned();
    let unsigned = |key: &str| get(key).and_then(serde_json::Value::as_u64);
    let flag = |key: &str| {
        get(key)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    };
    // Formats that already chose the Rust type are not repeated in the rules.
    let format = kw.format.clone().filter(|f| {
        !matches!(
            f.as_str(),
            "date-time" | "date" | "int32" | "int64" | "float" | "double" | ""
        )
    });
    Constraints {
        patterns: get("pattern")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .into_iter()
            .collect(),
        minimum: number("minimum"),
        maximum: number("maximum"),
        exclusive_minimum: flag("exclusiveMinimum"),
        exclusive_maximum: flag("exclusiveMaximum"),
        min_length: unsigned("minLength"),
        max_length: unsigned("maxLength"),
        min_items: unsigned("minItems"),
        max_items: unsigned("maxItems"),
        unique_items: flag("uniqueItems"),
        format,
        default: kw.data.default.clone(),
        example: kw.data.example.clone(),
    }
}

/// The rules of a value that must satisfy both `a` and `b` (two members of an `allOf`, or
/// a wrapper and the type it wraps): the tighter bound wins (at equal bounds, the exclusive
/// one), every pattern is checked, and `a`'s format, default and example win over `b`'s.
pub(crate) fn intersect(a: Constraints, b: Constraints) -> Constraints {
    let mut patterns = a.patterns;
    for p in b.patterns {
        if !patterns.contains(&p) {
            patterns.push(p);
        }
    }
    let (minimum, exclusive_minimum) = tighter(
        (a.minimum, a.exclusive_minimum),
        (b.minimum, b.exclusive_minimum),
        Ordering::Greater,
    );
    let (maximum, exclusive_maximum) = tighter(
        (a.maximum, a.exclusive_maximum),
        (b.maximum, b.exclusive_maximum),
        Ordering::Less,
    );
    let larger = |x: Option<u64>, y: Option<u64>| x.max(y);
    let smaller = |x: Option<u64>, y: Option<u64>| match (x, y) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    Constraints {
        patterns,
        minimum,
        maximum,
        exclusive_minimum,
        exclusive_maximum,
        min_length: larger(a.min_length, b.min_length),
        max_length: smaller(a.max_length, b.max_length),
        min_items: larger(a.min_items, b.min_items),
        max_items: smaller(a.max_items, b.max_items),
        unique_items: a.unique_items || b.unique_items,
        format: a.format.or(b.format),
        default: a.default.or(b.default),
        example: a.example.or(b.example),
    }
}

/// Of two bounds (value, exclusive), the one that admits less: `wins` is the ordering the
/// tighter value has to the other (`Greater` for minimums).
fn tighter(
    a: (Option<Number>, bool),
    b: (Option<Number>, bool),
    wins: Ordering,
) -> (Option<Number>, bool) {
    match (a, b) {
        ((Some(x), xe), (Some(y), ye)) => match compare(&x, &y) {
            Ordering::Equal => (Some(x), xe || ye),
            o if o == wins => (Some(x), xe),
            _ => (Some(y), ye),
        },
        ((Some(x), xe), (None, _)) => (Some(x), xe),
        ((None, _), (Some(y), ye)) => (Some(y), ye),
        ((None, _), (None, _)) => (None, false),
    }
}

/// Numeric order of two JSON numbers (exact for integers, through `f64` otherwise).
fn compare(a: &Number, b: &Number) -> Ordering {
    let exact = |n: &Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (exact(a), exact(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

/// The scalar a value's rules are checked against: its type through aliases, and for an
/// array or a map the scalar of its items (rules there apply to each item). `None` for
/// structs, unions, enums and free-form JSON, which have no range.
pub(crate) fn checked_scalar(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> Option<Scalar> {
    let mut current = ty;
    for _ in 0..MAX_ALIAS_DEPTH {
        match current {
            TypeRef::Scalar(s) => return Some(*s),
            TypeRef::List(inner) | TypeRef::Map(inner) => current = inner,
            TypeRef::Named(n) => match types.get(n).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => current = target,
                _ => return None,
            },
            TypeRef::Json | TypeRef::JsonObject => return None,
        }
    }
    None
}

/// Pass: every range bound on an integer value becomes an integer (see [`integer_range`]).
pub(crate) fn integer_bounds(
    doc: Document<'_>,
    types: &mut BTreeMap<TypeName, TypeDef>,
    operations: &mut [Operation],
) -> Result<(), Error> {
    let is_integer = |types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef| {
        matches!(checked_scalar(types, ty), Some(Scalar::I32 | Scalar::I64))
    };
    // (type, field index) of the integer fields; decided before anything changes.
    let mut fields: Vec<(TypeName, usize)> = Vec::new();
    for def in types.values() {
        if let TypeKind::Struct(s) = &def.kind {
            for (i, f) in s.fields.iter().enumerate() {
                if is_integer(types, &f.ty) {
                    fields.push((def.name.clone(), i));
                }
            }
        }
    }
    for (name, i) in fields {
        if let Some(TypeKind::Struct(s)) = types.get_mut(&name).map(|d| &mut d.kind) {
            if let Some(f) = s.fields.get_mut(i) {
                integer_range(doc, &mut f.rules, &f.source)?;
            }
        }
    }
    for p in operations.iter_mut().flat_map(|op| op.params.iter_mut()) {
        if is_integer(types, &p.ty) {
            integer_range(doc, &mut p.rules, &p.source)?;
        }
    }
    Ok(())
}

/// `n` as an `i64`, when it is one (`3`, or `3.0`).
pub(crate) fn as_integer(n: &Number) -> Option<i64> {
    match round(n, true) {
        Rounded::Exact(i) => Some(i),
        _ => None,
    }
}

/// A bound, rounded to what it means for an integer.
enum Rounded {
    /// Already integral: kept, exclusive or not.
    Exact(i64),
    /// Rounded inward: for an integer `x`, `x > 0.5` and `x ≥ 0.5` both mean `x ≥ 1`.
    Inward(i64),
    /// Beyond `i64` on the side every `i64` satisfies: no bound at all.
    Unbounded,
    /// Beyond `i64` on the side no `i64` satisfies.
    Unsatisfiable,
}

/// `minimum` (`lower`) or `maximum` as a bound on an `i64`.
fn round(n: &Number, lower: bool) -> Rounded {
    if let Some(i) = n.as_i64() {
        return Rounded::Exact(i);
    }
    // 2^63, the first value above `i64::MAX`.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    let beyond_max = if lower {
        Rounded::Unsatisfiable
    } else {
        Rounded::Unbounded
    };
    let beyond_min = if lower {
        Rounded::Unbounded
    } else {
        Rounded::Unsatisfiable
    };
    let Some(f) = n.as_f64().filter(|_| n.as_u64().is_none()) else {
        return beyond_max;
    };
    let r = if lower { f.ceil() } else { f.floor() };
    if r < -LIMIT {
        return beyond_min;
    }
    if r >= LIMIT {
        return beyond_max;
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "integral and within i64's range"
    )]
    let i = r as i64;
    if r == f {
        Rounded::Exact(i)
    } else {
        Rounded::Inward(i)
    }
}

/// The range of an integer value with integral bounds (see [`Rounded`]); an error when a
/// bound excludes every 64-bit integer.
fn integer_range(
    doc: Document<'_>,
    rules: &mut Constraints,
    at: &JsonPointer,
) -> Result<(), Error> {
    for lower in [true, false] {
        let (bound, exclusive, keyword) = if lower {
            (&mut rules.minimum, &mut rules.exclusive_minimum, "minimum")
        } else {
            (&mut rules.maximum, &mut rules.exclusive_maximum, "maximum")
        };
        let Some(n) = bound.take() else { continue };
        match round(&n, lower) {
            // `minimum: -9223372036854776000` (`i64::MIN` through `f64`): every `i64`.
            Rounded::Exact(i) if (lower && i == i64::MIN) || (!lower && i == i64::MAX) => {
                if *exclusive {
                    *bound = Some(Number::from(i));
                }
            }
            Rounded::Exact(i) => *bound = Some(Number::from(i)),
            Rounded::Inward(i) => {
                *bound = Some(Number::from(i));
                *exclusive = false;
            }
            Rounded::Unbounded => *exclusive = false,
            Rounded::Unsatisfiable => {
                return Err(doc.unsupported(
                    at,
                    format!("`{keyword}: {n}` on an integer, which no 64-bit integer satisfies"),
                    "a bound within the range of a 64-bit integer",
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(min: serde_json::Value, max: serde_json::Value, excl: bool) -> Result<String, String> {
        let api: openapiv3::OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}
        }))
        .unwrap();
        let raw = serde_json::Value::Null;
        let doc = Document::new(&api, &raw, "t.yaml");
        let mut rules = Constraints {
            minimum: min.as_number().cloned(),
            maximum: max.as_number().cloned(),
            exclusive_minimum: excl,
            exclusive_maximum: excl,
            ..Constraints::default()
        };
        integer_range(doc, &mut rules, &JsonPointer::root()).map_err(|e| e.to_string())?;
        let side = |n: &Option<Number>, x: bool| match n {
            Some(n) if x => format!("({n}"),
            Some(n) => format!("[{n}"),
            None => "-".to_owned(),
        };
        Ok(format!(
            "{} {}",
            side(&rules.minimum, rules.exclusive_minimum),
            side(&rules.maximum, rules.exclusive_maximum)
        ))
    }

    #[test]
    fn integer_bounds_are_rounded_inward() {
        use serde_json::json;
        let table = [
            (json!(1), json!(5), false, "[1 [5"),
            (json!(1), json!(5), true, "(1 (5"),
            (json!(1.0), json!(5.0), true, "(1 (5"),
            (json!(0.5), json!(5.5), false, "[1 [5"),
            (json!(0.5), json!(5.5), true, "[1 [5"),
            (json!(-0.5), json!(-0.5), false, "[0 [-1"),
            (json!(-1e30), json!(1e30), true, "- -"),
            (json!(u64::MAX), json!(null), false, "err"),
            (json!(null), json!(-1e30), false, "err"),
            (json!(null), json!(u64::MAX), false, "- -"),
            (
                json!(-9.223_372_036_854_776e18),
                json!(9_223_372_036_854_776_000_u64),
                false,
                "- -",
            ),
            (json!(i64::MIN), json!(i64::MAX), false, "- -"),
            (
                json!(i64::MIN),
                json!(i64::MAX),
                true,
                "(-9223372036854775808 (9223372036854775807",
            ),
        ];
        for (min, max, excl, want) in table {
            let got = range(min.clone(), max.clone(), excl).unwrap_or_else(|e| {
                assert!(e.contains("which no 64-bit integer satisfies"), "{e}");
                "err".to_owned()
            });
            assert_eq!(got, want, "{min} {max} {excl}");
        }
    }
}
