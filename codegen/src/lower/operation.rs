//! Operations: one per operationId, sorted by it. Path template, parameters (see
//! `params`), request body, success and error responses, media-type versions,
//! pagination and deprecation (see `media`).

use std::collections::BTreeMap;

use openapiv3::{PathItem, ReferenceOr, StatusCode};

use super::media::pick_json;
use super::naming::{self, BuilderNames, MethodNames};
use super::path::{self, Piece};
use super::schema::Hint;
use super::Lowerer;
use crate::error::{Error, ErrorKind};
use crate::ir::{
    Body, Docs, HttpMethod, MethodName, Operation, ParamLocation, PathTemplate, Response, Segment,
    StatusSpec, TypeName,
};
use crate::pointer::JsonPointer;

/// An operation found in `paths`, before lowering.
pub(crate) struct Found<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub http_method: HttpMethod,
    pub item: &'a PathItem,
    pub op: &'a openapiv3::Operation,
    /// `#/paths/~1…/get`.
    pub at: JsonPointer,
    /// `#/paths/~1…`.
    pub path_at: JsonPointer,
}

impl<'a> Lowerer<'a> {
    /// Pass 3: every operation, sorted by operationId.
    pub(crate) fn lower_operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut found = Vec::new();
        for (path, item) in &self.doc.paths.paths {
            let path_at = JsonPointer::root().push("paths").push(path.as_str());
            let ReferenceOr::Item(item) = item else {
                return Err(self.unsupported(
                    &path_at,
                    "a $ref path item",
                    "the path item written out in place",
                ));
            };
            for (method, op) in item.iter() {
                let at = path_at.push(method);
                let id = op
                    .operation_id
                    .as_deref()
                    .ok_or_else(|| self.err(&at, ErrorKind::MissingOperationId))?;
                let http_method = http_method(method);
                found.push(Found {
                    id,
                    path,
                    http_method,
                    item,
                    op,
                    at,
                    path_at: path_at.clone(),
                });
            }
        }
        found.sort_by(|a, b| a.id.cmp(b.id).then_with(|| a.at.cmp(&b.at)));
        // Names first, so deprecation notes can name any operation's method.
        let mut methods = MethodNames::default();
        let mut builders = BuilderNames::default();
        let mut names: BTreeMap<&'a str, (MethodName, TypeName)> = BTreeMap::new();
        let mut previous: Option<&Found<'a>> = None;
        for f in &found {
            if let Some(p) = previous.filter(|p| p.id == f.id) {
                return Err(self.err(
                    &f.at,
                    ErrorKind::DuplicateOperationId {
                        id: f.id.to_owned(),
                        other: p.at.clone(),
                    },
                ));
            }
            previous = Some(f);
            let collision = |other| {
                self.err(
                    &f.at,
                    ErrorKind::NameCollision {
                        name: f.id.to_owned(),
                        other,
                    },
                )
            };
            let method = methods.operation(f.id, &f.at).map_err(collision)?;
            let builder = builders.operation(f.id, &f.at).map_err(collision)?;
            names.insert(f.id, (method, builder));
        }
        let methods_by_id: BTreeMap<&str, MethodName> =
            names.iter().map(|(id, (m, _))| (*id, m.clone())).collect();
        let mut operations = Vec::with_capacity(found.len());
        for f in &found {
            let Some((method_name, builder_name)) = names.get(f.id).cloned() else {
                continue;
            };
            operations.push(self.operation(f, method_name, builder_name, &methods_by_id)?);
        }
        Ok(operations)
    }

    fn operation(
        &mut self,
        f: &Found<'a>,
        method_name: MethodName,
        builder_name: TypeName,
        methods: &BTreeMap<&str, MethodName>,
    ) -> Result<Operation, Error> {
        let pieces = path::parse(f.path)
            .map_err(|reason| self.err(&f.path_at, ErrorKind::BadPathTemplate { reason }))?;
        let media = self.media_versions(f)?;
        let preferred = media
            .iter()
            .find(|m| m.default)
            .map(|m| m.media_type.clone());
        let params = self.params(f, &pieces)?;
        let mut segments = Vec::with_capacity(pieces.len());
        for piece in pieces {
            segments.push(match piece {
                Piece::Literal(text) => Segment::Literal(text),
                Piece::Param(wire) => {
                    let p = params
                        .iter()
                        .find(|p| p.location == ParamLocation::Path && p.wire == wire)
                        .ok_or_else(|| {
                            self.err(&f.at, ErrorKind::UndeclaredPathParam { name: wire.clone() })
                        })?;
                    Segment::Param {
                        rust: p.rust.clone(),
                        wire,
                    }
                }
            });
        }
        let body = self.body(f, preferred.as_deref())?;
        let (ok, errors) = self.responses(f, preferred.as_deref())?;
        let version_enum = (media.len() > 1).then(|| {
            self.type_names
                .derived(&naming::derived(&[f.id, "Version"]), &f.at)
        });
        let pagination = self.pagination(&params, &ok);
        let deprecated =
            f.op.deprecated
                .then(|| super::media::deprecation(f, methods));
        Ok(Operation {
            id: f.id.to_owned(),
            method_name,
            builder_name,
            http_method: f.http_method,
            path: PathTemplate {
                raw: f.path.to_owned(),
                segments,
            },
            params,
            body,
            ok,
            errors,
            media,
            version_enum,
            pagination,
            deprecated,
            docs: Docs {
                title: super::text(f.op.summary.as_deref()),
                description: super::text(f.op.description.as_deref()),
                external_url: f.op.external_docs.as_ref().map(|d| d.url.clone()),
            },
            tags: f.op.tags.clone(),
            source: f.at.clone(),
        })
    }

    /// The request body: its JSON media type (the default version's when it has one);
    /// an inline schema is named `{OpId}Request`.
    fn body(&mut self, f: &Found<'a>, preferred: Option<&str>) -> Result<Option<Body>, Error> {
        let Some(rb) = &f.op.request_body else {
            return Ok(None);
        };
        let resolved = self.resolver.request_body(rb, &f.at.push("requestBody"))?;
        if resolved.item.content.is_empty() {
            return Ok(None);
        }
        let docs = Docs {
            description: super::text(resolved.item.description.as_deref()),
            ..Docs::default()
        };
        let Some((media, mt)) = pick_json(&resolved.item.content, preferred) else {
            // No JSON media type (`text/plain`, `application/octet-stream`…): the caller
            // passes the bytes, sent with the first media type listed. Not multipart: its
            // `Content-Type` needs the boundary of the very bytes sent.
            let content_at = resolved.pointer.push("content");
            // The alphabetically first: key order must not change the output.
            let first = resolved.item.content.keys().min().cloned();
            if let Some(multi) = first.as_deref().filter(|m| m.starts_with("multipart/")) {
                return Err(self.unsupported(
                    &content_at,
                    format!("request body media type {multi}"),
                    "JSON, or a single-part media type (text/plain, application/octet-stream…) sent as raw bytes",
                ));
            }
            let mut docs = docs;
            if let Some(media) = &first {
                let note = format!("Sent as is, as `{media}`.");
                docs.description = Some(match docs.description.take() {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => format!("The request body. {note}"),
                });
            }
            return Ok(Some(Body {
                ty: crate::ir::TypeRef::Scalar(crate::ir::Scalar::Bytes),
                raw_media: first,
                required: resolved.item.required,
                docs,
                source: resolved.pointer,
            }));
        };
        let hint = match resolved.component {
            Some(key) => Hint::parts(&[key]),
            None => Hint::parts(&[f.id, "Request"]),
        };
        let schema_at = resolved.pointer.push("content").push(media).push("schema");
        let ty = match &mt.schema {
            Some(s) => self.schema_ref(s, &schema_at, &hint)?,
            None => crate::ir::TypeRef::Json,
        };
        Ok(Some(Body {
            ty,
            raw_media: None,
            required: resolved.item.required,
            docs,
            source: resolved.pointer,
        }))
    }

    /// The success response (lowest 2xx, else `2XX`, else `default`) and the others that
    /// are not 2xx, sorted by status. Other 2xx responses are not errors: the runtime
    /// treats every 2xx as success and decodes it as the success type (a limitation when
    /// two 2xx responses declare different bodies).
    fn responses(
        &mut self,
        f: &Found<'a>,
        preferred: Option<&str>,
    ) -> Result<(Response, Vec<Response>), Error> {
        let responses_at = f.at.push("responses");
        let mut all: Vec<(
            StatusSpec,
            &'a ReferenceOr<openapiv3::Response>,
            JsonPointer,
        )> = Vec::new();
        for (code, r) in &f.op.responses.responses {
            let status = match code {
                StatusCode::Code(c) => StatusSpec::Code(*c),
                StatusCode::Range(d) => StatusSpec::Range(u8::try_from(*d).unwrap_or(u8::MAX)),
            };
            all.push((
                status,
                r,
                responses_at.push(self.raw_status_key(&responses_at, code)),
            ));
        }
        if let Some(d) = &f.op.responses.default {
            all.push((StatusSpec::Default, d, responses_at.push("default")));
        }
        all.sort_by_key(|a| a.0);
        let ok_status = all
            .iter()
            .map(|(s, _, _)| *s)
            .find(|s| matches!(s, StatusSpec::Code(200..=299)))
            .or_else(|| {
                all.iter()
                    .map(|(s, _, _)| *s)
                    .find(|s| *s == StatusSpec::Range(2))
            })
            .or_else(|| {
                all.iter()
                    .map(|(s, _, _)| *s)
                    .find(|s| *s == StatusSpec::Default)
            })
            // Only a redirect documented (GitHub's archive downloads answer `302` with a
            // `Location`): that is the answer the caller wants, headers and all.
            .or_else(|| {
                all.iter()
                    .map(|(s, _, _)| *s)
                    .find(|s| matches!(s, StatusSpec::Code(300..=399)))
            })
            .ok_or_else(|| self.err(&responses_at, ErrorKind::NoSuccessResponse))?;
        let mut ok = None;
        let mut errors = Vec::new();
        for (status, r, at) in all {
            let is_ok = status == ok_status;
            if !is_ok && (is_success(status) || is_redirect(status)) {
                continue;
            }
            let response = self.response(f, status, r, &at, is_ok, preferred)?;
            if is_ok {
                ok = Some(response);
            } else {
                errors.push(response);
            }
        }
        let ok = ok.ok_or_else(|| self.err(&responses_at, ErrorKind::NoSuccessResponse))?;
        Ok((ok, errors))
    }

    fn response(
        &mut self,
        f: &Found<'a>,
        status: StatusSpec,
        r: &'a ReferenceOr<openapiv3::Response>,
        at: &JsonPointer,
        is_ok: bool,
        preferred: Option<&str>,
    ) -> Result<Response, Error> {
        let resolved = self.resolver.response(r, at)?;
        let content = &resolved.item.content;
        let mut content_types: Vec<String> = content.keys().cloned().collect();
        content_types.sort();
        let mut raw_media = None;
        let ty = match pick_json(content, preferred) {
            Some((media, mt)) => {
                let hint = match (resolved.component, is_ok) {
                    (Some(key), _) => Hint::parts(&[key]),
                    (None, true) => Hint::parts(&[f.id, "Response"]),
                    (None, false) => Hint::parts(&[f.id, "Response", &status_label(status)]),
                };
                let schema_at = resolved.pointer.push("content").push(media).push("schema");
                // A media type without a schema describes no body (Atlas's
                // `startStreamProcessor` 200 lists its versioned media type only to say which
                // `Accept` to send): the typed client returns `()` and ignores any bytes.
                match &mt.schema {
                    Some(s) => Some(self.schema_ref(s, &schema_at, &hint)?),
                    None => None,
                }
            }
            // A success body that is not JSON (`text/html`, `application/octet-stream`…):
            // requested with its alphabetically first media type, returned as bytes.
            None if is_ok => {
                raw_media = content.keys().min().cloned();
                None
            }
            // An error body that is not JSON: the runtime reports it with an excerpt.
            None => None,
        };
        let docs = Docs {
            description: super::text(Some(&resolved.item.description)),
            ..Docs::default()
        };
        Ok(Response {
            status,
            ty,
            raw_media,
            content_types,
            docs,
        })
    }

    /// The key of a status in the raw `responses` map (`4xx` and `4XX` both parse to the
    /// same status; pointers must use the key as written).
    fn raw_status_key(&self, responses_at: &JsonPointer, code: &StatusCode) -> String {
        let wanted = code.to_string();
        self.raw_at(responses_at)
            .and_then(|v| v.as_object())
            .and_then(|m| m.keys().find(|k| k.to_ascii_uppercase() == wanted))
            .cloned()
            .unwrap_or(wanted)
    }
}

/// A 3xx that is not the success answer is neither an error nor a result: the runtime
/// reports it as an unexpected response.
fn is_redirect(status: StatusSpec) -> bool {
    matches!(status, StatusSpec::Code(300..=399) | StatusSpec::Range(3))
}

fn is_success(status: StatusSpec) -> bool {
    matches!(status, StatusSpec::Code(200..=299) | StatusSpec::Range(2))
}

fn status_label(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(c) => c.to_string(),
        StatusSpec::Range(d) => format!("{d}XX"),
        StatusSpec::Default => "Default".to_owned(),
    }
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "patch" => HttpMethod::Patch,
        "head" => HttpMethod::Head,
        "options" => HttpMethod::Options,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}
