//! Operation checks: no two operationIds alike; path templates that parse and agree with
//! the `in: path` parameters (required, declared, used); no parameter declared twice in
//! one list. An operation without an operationId passes (`lower::naming` names it after
//! its method and path), and so do two templates equal up to parameter names (OpenAPI
//! forbids them, real documents have them: each is its own operation).
//!
//! What passes is handed to `lower` as [`ValidOperation`]s: the id, the parsed template
//! with each `{name}` bound to its `in: path` parameter, and the other parameters with
//! the path item's and the operation's lists merged. Lowering reads those and checks none
//! of it again.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use openapiv3::{Parameter, ReferenceOr};
use serde_json::Value;

use super::problems::Problems;
use super::template::{self, Piece};
use crate::document::Document;
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// An operation `validate` accepted.
#[derive(Debug, Clone)]
pub struct ValidOperation<'a> {
    /// The `operationId`, when the spec gives one that is not empty: unique in the
    /// document.
    pub id: Option<&'a str>,
    /// How messages, docs and derived type names refer to it: the operationId, or for an
    /// operation without one its method and path (`GET /pets/{petId}`).
    pub label: String,
    /// The path item key it is under (`get`, `post`…).
    pub method: &'a str,
    /// The path template as written.
    pub path: &'a str,
    /// The operation.
    pub op: &'a openapiv3::Operation,
    /// `#/paths/~1…/get`.
    pub at: JsonPointer,
    /// The template's pieces, each `{name}` with its `in: path` parameter.
    pub template: Vec<TemplatePiece<'a>>,
    /// The parameters not in the path: the path item's, then the operation's (one of
    /// those replaces a path-item parameter with the same name and location, in place).
    pub params: Vec<ParamSite<'a>>,
}

/// One piece of a validated path template.
#[derive(Debug, Clone)]
pub enum TemplatePiece<'a> {
    /// Literal text, sent as is.
    Literal(String),
    /// `{name}`, and the `in: path` parameter that declares it (the operation's if both it
    /// and the path item declare one).
    Param { name: String, param: ParamSite<'a> },
}

/// A parameter of an operation, after `$ref` resolution.
#[derive(Debug, Clone)]
pub struct ParamSite<'a> {
    /// The parameter.
    pub param: &'a Parameter,
    /// Where it is listed (`#/paths/~1a/get/parameters/0`).
    pub site: JsonPointer,
    /// Where it is defined: the component for a `$ref`, else the site.
    pub def: JsonPointer,
    /// The component key, for a `$ref`.
    pub component: Option<&'a str>,
}

impl ParamSite<'_> {
    fn name(&self) -> &str {
        &self.param.parameter_data_ref().name
    }

    fn location(&self) -> &'static str {
        location(self.param)
    }
}

fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// What the checks found: the operations that passed, and the parameter `$ref`s that did
/// not resolve (the reference checks report those; kept so that a gap between the two can
/// never let an operation through with a parameter missing).
#[derive(Default)]
pub(super) struct Checked<'a> {
    pub operations: Vec<ValidOperation<'a>>,
    pub unresolved: Problems,
}

/// Checks every operation under `#/paths` (path items that are `$ref`s are reported by
/// the reference checks).
pub(super) fn check<'a>(doc: Document<'a>, out: &mut Problems) -> Checked<'a> {
    let mut checked = Checked::default();
    let paths = JsonPointer::root().push("paths");
    // openapiv3 silently drops keys that do not start with `/`: parse the keys as written.
    if let Some(Value::Object(items)) = doc.raw().get("paths") {
        for key in items.keys().filter(|k| !k.starts_with("x-")) {
            if let Err(reason) = template::parse(key) {
                if !doc.api().paths.paths.contains_key(key) {
                    out.push((
                        paths.push(key.as_str()),
                        ErrorKind::BadPathTemplate { reason },
                    ));
                }
            }
        }
    }
    let mut ids: BTreeMap<&str, JsonPointer> = BTreeMap::new();
    for (path, item) in doc.api().paths.iter() {
        let at = paths.push(path.as_str());
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let pieces = match template::parse(path) {
            Ok(pieces) => Some(pieces),
            Err(reason) => {
                out.push((at.clone(), ErrorKind::BadPathTemplate { reason }));
                None
            }
        };
        let names: Option<Vec<&str>> = pieces.as_ref().map(|pieces| {
            pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Param(name) => Some(name.as_str()),
                    Piece::Literal(_) => None,
                })
                .collect()
        });
        let (shared, shared_complete) = params(
            doc,
            &at.push("parameters"),
            &item.parameters,
            &mut checked,
            out,
        );
        if let Some(names) = &names {
            check_path_params(&shared, names, out);
        }
        for (method, op) in item.iter() {
            let op_at = at.push(method);
            let id = op.operation_id.as_deref().filter(|id| !id.is_empty());
            let unique = match id.map(|id| ids.entry(id)) {
                None => true,
                Some(Entry::Occupied(e)) => {
                    out.push((
                        op_at.clone(),
                        ErrorKind::DuplicateOperationId {
                            id: (*e.key()).to_owned(),
                            other: e.get().clone(),
                        },
                    ));
                    false
                }
                Some(Entry::Vacant(e)) => {
                    e.insert(op_at.clone());
                    true
                }
            };
            check_status_codes(doc.raw(), &op_at.push("responses"), out);
            let (own, own_complete) = params(
                doc,
                &op_at.push("parameters"),
                &op.parameters,
                &mut checked,
                out,
            );
            let (Some(pieces), Some(names)) = (&pieces, &names) else {
                continue;
            };
            check_path_params(&own, names, out);
            // A parameter whose `$ref` is broken (reported elsewhere) may be the missing one.
            let report = shared_complete && own_complete;
            let bound = bind(pieces, merge(shared.clone(), own), &op_at, report, out);
            if let (true, Some((template, params))) = (unique, bound) {
                checked.operations.push(ValidOperation {
                    id,
                    label: id.map_or_else(|| route(method, path), str::to_owned),
                    method,
                    path,
                    op,
                    at: op_at,
                    template,
                    params,
                });
            }
        }
    }
    checked
}

/// `GET /pets/{petId}`: the label of an operation without an operationId.
pub fn route(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_ascii_uppercase())
}

/// Resolves a parameter list and reports duplicates. A parameter whose `$ref` does not
/// resolve is left out (and remembered in `checked.unresolved`): then the list is not
/// complete (`false`).
fn params<'a>(
    doc: Document<'a>,
    list_at: &JsonPointer,
    list: &'a [ReferenceOr<Parameter>],
    checked: &mut Checked<'a>,
    out: &mut Problems,
) -> (Vec<ParamSite<'a>>, bool) {
    let resolver = doc.resolver();
    let mut complete = true;
    let mut seen: BTreeMap<(&str, &str), JsonPointer> = BTreeMap::new();
    let mut params = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let site = list_at.index(i);
        let resolved = match resolver.parameter(p, &site) {
            Ok(resolved) => resolved,
            Err(e) => {
                checked.unresolved.push((e.pointer, e.kind));
                complete = false;
                continue;
            }
        };
        let param = ParamSite {
            param: resolved.item,
            site: site.clone(),
            def: resolved.pointer,
            component: resolved.component,
        };
        let location = param.location();
        match seen.entry((resolved.item.parameter_data_ref().name.as_str(), location)) {
            Entry::Occupied(e) => out.push((
                site,
                ErrorKind::DuplicateParameter {
                    name: param.name().to_owned(),
                    location,
                    other: e.get().clone(),
                },
            )),
            Entry::Vacant(e) => {
                e.insert(site);
            }
        }
        params.push(param);
    }
    (params, complete)
}

/// The path item's parameters, then the operation's: one of those with the name and
/// location of a path-item parameter replaces it in place.
fn merge<'a>(mut merged: Vec<ParamSite<'a>>, own: Vec<ParamSite<'a>>) -> Vec<ParamSite<'a>> {
    for p in own {
        let same = |q: &ParamSite<'_>| q.name() == p.name() && q.location() == p.location();
        match merged.iter_mut().find(|q| same(q)) {
            Some(slot) => *slot = p,
            None => merged.push(p),
        }
    }
    merged
}

/// Binds each `{name}` of the template to its `in: path` parameter; the rest are the
/// operation's other parameters. `None` when a name has no parameter (a problem, if
/// `report`: the lists are complete).
fn bind<'a>(
    pieces: &[Piece],
    mut merged: Vec<ParamSite<'a>>,
    op_at: &JsonPointer,
    report: bool,
    out: &mut Problems,
) -> Option<(Vec<TemplatePiece<'a>>, Vec<ParamSite<'a>>)> {
    let mut template = Vec::with_capacity(pieces.len());
    let mut complete = true;
    for piece in pieces {
        match piece {
            Piece::Literal(text) => template.push(TemplatePiece::Literal(text.clone())),
            Piece::Param(name) => {
                let declared = merged
                    .iter()
                    .position(|p| p.location() == "path" && p.name() == name);
                match declared {
                    Some(i) => template.push(TemplatePiece::Param {
                        name: name.clone(),
                        param: merged.remove(i),
                    }),
                    None => {
                        complete = false;
                        if report {
                            out.push((
                                op_at.clone(),
                                ErrorKind::UndeclaredPathParam { name: name.clone() },
                            ));
                        }
                    }
                }
            }
        }
    }
    complete.then_some((template, merged))
}

/// openapiv3 silently drops response keys that are not status codes (`2000`, `OK`) and
/// accepts 600 to 999.
fn check_status_codes(raw: &Value, at: &JsonPointer, out: &mut Problems) {
    let Some(Value::Object(responses)) = crate::document::walk::lookup(raw, at) else {
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

/// Every `in: path` parameter of one list is required and named in the template.
fn check_path_params(params: &[ParamSite<'_>], names: &[&str], out: &mut Problems) {
    for p in params.iter().filter(|p| p.location() == "path") {
        if !p.param.parameter_data_ref().required {
            out.push((
                p.def.clone(),
                ErrorKind::PathParamNotRequired {
                    name: p.name().to_owned(),
                },
            ));
        }
        if !names.contains(&p.name()) {
            out.push((
                p.site.clone(),
                ErrorKind::UnusedPathParam {
                    name: p.name().to_owned(),
                },
            ));
        }
    }
}
