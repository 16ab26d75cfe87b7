//! Operation checks: an operationId on every operation (methods are named after it), no
//! two alike; path templates that parse, are distinct, and agree with the `in: path`
//! parameters (required, declared, used); no parameter declared twice in one list.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use serde_json::Value;

use super::walk::lookup;
use super::Problems;
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// Checks every operation under `#/paths` (path items that are `$ref`s are reported by
/// the reference checks).
pub(super) fn check(doc: &OpenAPI, raw: &Value, out: &mut Problems) {
    let paths = JsonPointer::root().push("paths");
    // openapiv3 silently drops keys that do not start with `/`.
    if let Some(Value::Object(items)) = raw.get("paths") {
        for key in items
            .keys()
            .filter(|k| !k.starts_with('/') && !k.starts_with("x-"))
        {
            let reason = "does not start with `/`".to_owned();
            out.push((
                paths.push(key.as_str()),
                ErrorKind::BadPathTemplate { reason },
            ));
        }
    }
    let mut ids: BTreeMap<&str, JsonPointer> = BTreeMap::new();
    // (template shape, method) → the first path with it. OpenAPI forbids templates that
    // differ only in parameter names, but real documents (GitHub's) split one template
    // across two path items with disjoint methods (`GET /a/{x}` and `DELETE /a/{y}`).
    // Only a shared method is ambiguous — two operations for one request — so only
    // that is an error.
    let mut shapes: BTreeMap<(String, &str), JsonPointer> = BTreeMap::new();
    for (template, item) in doc.paths.iter() {
        let at = paths.push(template.as_str());
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let names = match parse_template(template) {
            Ok((names, shape)) => {
                let mut reported = false;
                for (method, _) in item.iter() {
                    match shapes.entry((shape.clone(), method)) {
                        Entry::Occupied(e) if !reported => {
                            reported = true;
                            out.push((
                                at.clone(),
                                ErrorKind::DuplicatePath {
                                    other: e.get().clone(),
                                },
                            ));
                        }
                        Entry::Occupied(_) => {}
                        Entry::Vacant(e) => {
                            e.insert(at.clone());
                        }
                    }
                }
                Some(names)
            }
            Err(reason) => {
                out.push((at.clone(), ErrorKind::BadPathTemplate { reason }));
                None
            }
        };
        let (shared, shared_complete) = params(doc, &at.push("parameters"), &item.parameters, out);
        if let Some(names) = &names {
            check_path_params(&shared, names, out);
        }
        for (method, op) in item.iter() {
            let op_at = at.push(method);
            match op.operation_id.as_deref() {
                None | Some("") => out.push((op_at.clone(), ErrorKind::MissingOperationId)),
                Some(id) => match ids.entry(id) {
                    Entry::Occupied(e) => out.push((
                        op_at.clone(),
                        ErrorKind::DuplicateOperationId {
                            id: id.to_owned(),
                            other: e.get().clone(),
                        },
                    )),
                    Entry::Vacant(e) => {
                        e.insert(op_at.clone());
                    }
                },
            }
            check_status_codes(raw, &op_at.push("responses"), out);
            let (own, own_complete) = params(doc, &op_at.push("parameters"), &op.parameters, out);
            let Some(names) = &names else { continue };
            check_path_params(&own, names, out);
            // A parameter whose `$ref` is broken (reported elsewhere) may be the missing one.
            if !(shared_complete && own_complete) {
                continue;
            }
            for name in names {
                let declared = own
                    .iter()
                    .chain(&shared)
                    .any(|p| p.location == "path" && p.name == name);
                if !declared {
                    out.push((
                        op_at.clone(),
                        ErrorKind::UndeclaredPathParam { name: name.clone() },
                    ));
                }
            }
        }
    }
}

/// A parameter after `$ref` resolution.
struct Param<'d> {
    /// Where it is listed.
    site: JsonPointer,
    /// Where it is defined (the component, for a `$ref`).
    def: JsonPointer,
    name: &'d str,
    location: &'static str,
    required: bool,
}

/// Resolves a parameter list and reports duplicates; `false` if some `$ref` did not resolve.
fn params<'d>(
    doc: &'d OpenAPI,
    list_at: &JsonPointer,
    list: &'d [ReferenceOr<Parameter>],
    out: &mut Problems,
) -> (Vec<Param<'d>>, bool) {
    let mut seen: BTreeMap<(&str, &str), JsonPointer> = BTreeMap::new();
    let mut params = Vec::new();
    let mut complete = true;
    for (i, p) in list.iter().enumerate() {
        let site = list_at.index(i);
        let Some((def, param)) = resolve_param(doc, &site, p) else {
            complete = false;
            continue;
        };
        let (data, location) = match param {
            Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
            Parameter::Header { parameter_data, .. } => (parameter_data, "header"),
            Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
            Parameter::Cookie { parameter_data, .. } => (parameter_data, "cookie"),
        };
        let name = data.name.as_str();
        match seen.entry((name, location)) {
            Entry::Occupied(e) => out.push((
                site.clone(),
                ErrorKind::DuplicateParameter {
                    name: name.to_owned(),
                    location,
                    other: e.get().clone(),
                },
            )),
            Entry::Vacant(e) => {
                e.insert(site.clone());
            }
        }
        params.push(Param {
            site,
            def,
            name,
            location,
            required: data.required,
        });
    }
    (params, complete)
}

/// Follows `$ref`s to `#/components/parameters`. `None` for anything the reference checks
/// report (dangling, wrong section, a loop).
fn resolve_param<'d>(
    doc: &'d OpenAPI,
    site: &JsonPointer,
    p: &'d ReferenceOr<Parameter>,
) -> Option<(JsonPointer, &'d Parameter)> {
    let mut current = p;
    let mut at = site.clone();
    // A chain longer than this is a loop.
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(param) => return Some((at, param)),
            ReferenceOr::Reference { reference } => {
                let pointer = JsonPointer::parse_ref(reference)?;
                let [c, s, name] = pointer.tokens() else {
                    return None;
                };
                if c != "components" || s != "parameters" {
                    return None;
                }
                current = doc.components.as_ref()?.parameters.get(name)?;
                at = pointer;
            }
        }
    }
    None
}

/// openapiv3 silently drops response keys that are not status codes (`2000`, `OK`) and
/// accepts 600 to 999.
fn check_status_codes(raw: &Value, at: &JsonPointer, out: &mut Problems) {
    let Some(Value::Object(responses)) = lookup(raw, at) else {
        return;
    };
    for code in responses.keys() {
        let valid = matches!(
            code.as_bytes(),
            b"default"
                | [b'x', b'-', ..]
                | [b'1'..=b'5', b'X' | b'x', b'X' | b'x']
                | [b'1'..=b'5', b'0'..=b'9', b'0'..=b'9']
        );
        if !valid {
            out.push((
                at.push(code.as_str()),
                ErrorKind::BadStatusCode { code: code.clone() },
            ));
        }
    }
}

fn check_path_params(params: &[Param<'_>], names: &[String], out: &mut Problems) {
    for p in params.iter().filter(|p| p.location == "path") {
        if !p.required {
            out.push((
                p.def.clone(),
                ErrorKind::PathParamNotRequired {
                    name: p.name.to_owned(),
                },
            ));
        }
        if !names.iter().any(|n| n == p.name) {
            out.push((
                p.site.clone(),
                ErrorKind::UnusedPathParam {
                    name: p.name.to_owned(),
                },
            ));
        }
    }
}

/// Parses `/groups/{groupId}/x:{y}` into its parameter names and its shape with the names
/// erased (`/groups/{}/x:{}`), or says what is wrong with it.
pub(super) fn parse_template(template: &str) -> Result<(Vec<String>, String), String> {
    if !template.starts_with('/') {
        return Err("does not start with `/`".into());
    }
    let mut names: Vec<String> = Vec::new();
    let mut shape = String::new();
    let mut open: Option<String> = None;
    for c in template.chars() {
        match (c, open.as_mut()) {
            ('{', None) => open = Some(String::new()),
            ('{', Some(name)) => return Err(format!("has a `{{` inside `{{{name}…`")),
            ('}', None) => return Err("has a `}` with no matching `{`".into()),
            ('}', Some(name)) => {
                if name.is_empty() {
                    return Err("has an empty `{}`".into());
                }
                if names.contains(name) {
                    return Err(format!("has `{{{name}}}` more than once"));
                }
                names.push(std::mem::take(name));
                shape.push_str("{}");
                open = None;
            }
            // Names cannot hold `/`: the `}` is missing.
            ('/', Some(name)) => {
                return Err(format!(
                    "has `{{{name}` with no closing `}}` before the next `/`"
                ))
            }
            (c, Some(name)) => name.push(c),
            (c, None) => shape.push(c),
        }
    }
    if let Some(name) = open {
        return Err(format!("has `{{{name}` with no closing `}}`"));
    }
    Ok((names, shape))
}
