//! Request bodies and responses of one operation: which media type the client speaks (the
//! default version's JSON type when there is one, see `media`), the body types (inline
//! schemas named `{OpId}Request` / `{OpId}Response`), and which response is the success.

use openapiv3::{QueryStyle, ReferenceOr, SchemaKind, StatusCode, Type};

use super::hint::Hint;
use super::media::pick_json;
use super::multipart;
use super::recurse::Recurse;
use super::schema::Schemas;
use super::text::text;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{
    Body, Docs, FormBody, FormField, Multipart, ParamEncoding, ParamStyle, ParamValue, Response,
    Scalar, StatusSpec, TypeRef,
};
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;
use crate::validate::ValidOperation;

/// The request body: its JSON media type (`preferred`, the default version's, when it has
/// it); an inline schema is named `{OpId}Request`.
pub(crate) fn body<'a>(
    schemas: &mut Schemas<'a>,
    op: &'a ValidOperation<'a>,
    preferred: Option<&str>,
) -> Result<Option<Body>, Error> {
    let doc = schemas.doc();
    let Some(rb) = &op.op.request_body else {
        return Ok(None);
    };
    let resolved = doc
        .resolver()
        .request_body(rb, &op.at.push("requestBody"))?;
    if resolved.item.content.is_empty() {
        return Ok(None);
    }
    let docs = Docs {
        description: text(resolved.item.description.as_deref()),
        ..Docs::default()
    };
    let hint = match resolved.component {
        Some(key) => Hint::parts(&[key]),
        None => Hint::parts(&[&op.label, "Request"]),
    };
    let Some((media, mt)) = pick_json(&resolved.item.content, preferred) else {
        if let Some(body) = form_body(schemas, &resolved, &hint, &docs)? {
            return Ok(Some(body));
        }
        // No JSON media type: a form (above) or `multipart/form-data` is typed; otherwise
        // (`text/plain`, `application/octet-stream`…) the caller passes the bytes, sent with
        // the first media type listed. Other `multipart/*` types are refused: their
        // `Content-Type` needs the boundary of the very bytes sent.
        let content_at = resolved.pointer.push("content");
        // The alphabetically first: key order must not change the output.
        let first = resolved.item.content.keys().min().cloned();
        let form = first.as_deref().filter(|m| *m == "multipart/form-data");
        if let Some(mt) = form.and_then(|m| resolved.item.content.get(m)) {
            return multipart_body(schemas, &resolved, mt, &hint, docs).map(Some);
        }
        if let Some(multi) = first.as_deref().filter(|m| m.starts_with("multipart/")) {
            return Err(doc.unsupported(
                &content_at,
                format!("request body media type {multi}"),
                "JSON, or a single-part media type (text/plain, application/octet-stream…) sent as raw bytes",
            ));
        }
        let mut docs = docs;
        if let Some(media) = &first {
            add_note(&mut docs, &format!("Sent as is, as `{media}`."));
        }
        return Ok(Some(Body {
            ty: TypeRef::Scalar(Scalar::Bytes),
            raw_media: first,
            form: None,
            required: resolved.item.required,
            docs,
            source: resolved.pointer,
            multipart: None,
        }));
    };
    let schema_at = resolved.pointer.push("content").push(media).push("schema");
    let ty = match &mt.schema {
        Some(s) => schemas.schema_ref(s, &schema_at, &hint)?,
        None => TypeRef::Json,
    };
    Ok(Some(Body {
        ty,
        raw_media: None,
        form: None,
        required: resolved.item.required,
        docs,
        source: resolved.pointer,
        multipart: None,
    }))
}

/// The media type of form bodies.
const FORM: &str = "application/x-www-form-urlencoded";

/// An `application/x-www-form-urlencoded` body whose schema is an object: typed, each
/// property a form parameter (the media type's `encoding` gives some another style).
/// `None` when the body has no such media type or its schema is not an object (a string
/// schema, say: then the caller passes the encoded bytes, as for other media types).
fn form_body<'a>(
    schemas: &mut Schemas<'a>,
    resolved: &Resolved<'a, openapiv3::RequestBody>,
    hint: &Hint,
    docs: &Docs,
) -> Result<Option<Body>, Error> {
    let doc = schemas.doc();
    let Some((media, mt)) = resolved.item.content.iter().find(|(k, _)| {
        k.split(';')
            .next()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case(FORM))
    }) else {
        return Ok(None);
    };
    let Some(schema) = &mt.schema else {
        return Ok(None);
    };
    let media_at = resolved.pointer.push("content").push(media);
    let schema_at = media_at.push("schema");
    let target = doc.resolver().schema(schema, &schema_at)?;
    let object = match &target.item.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => !any.properties.is_empty() || any.additional_properties.is_some(),
        _ => false,
    };
    if !object {
        return Ok(None);
    }
    let ty = schemas.schema_ref(schema, &schema_at, hint)?;
    let mut fields = Vec::new();
    for (wire, encoding) in &mt.encoding {
        // `openapiv3` reads an absent `explode` as false; OpenAPI's default for `form` is
        // true, so the document itself says whether it was written.
        let written = doc
            .node(&media_at.push("encoding").push(wire))
            .and_then(|n| n.get("explode"))
            .and_then(serde_json::Value::as_bool);
        let style = match encoding.style {
            None | Some(QueryStyle::Form) => ParamStyle::Form,
            Some(QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
            Some(QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
            Some(QueryStyle::DeepObject) => ParamStyle::DeepObject,
        };
        let explode = written.unwrap_or(style == ParamStyle::Form);
        if style == ParamStyle::Form && explode && !encoding.allow_reserved {
            continue;
        }
        fields.push(FormField {
            wire: wire.clone(),
            encoding: ParamEncoding {
                style,
                explode,
                allow_reserved: encoding.allow_reserved,
                value: ParamValue::Json,
            },
        });
    }
    fields.sort_by(|a, b| a.wire.cmp(&b.wire));
    Ok(Some(Body {
        ty,
        raw_media: None,
        form: Some(FormBody { fields }),
        multipart: None,
        required: resolved.item.required,
        docs: docs.clone(),
        source: resolved.pointer.clone(),
    }))
}

/// Appends how the body is sent to its description (or to "The request body.").
fn add_note(docs: &mut Docs, note: &str) {
    docs.description = Some(match docs.description.take() {
        Some(d) => format!("{d}\n\n{note}"),
        None => format!("The request body. {note}"),
    });
}

/// A `multipart/form-data` body (see `multipart`): its struct's fields become parts, or,
/// when the schema names no parts, the caller fills a `crate::multipart::Form`.
fn multipart_body<'a>(
    schemas: &mut Schemas<'a>,
    resolved: &Resolved<'a, openapiv3::RequestBody>,
    mt: &'a openapiv3::MediaType,
    hint: &Hint,
    mut docs: Docs,
) -> Result<Body, Error> {
    let media_at = resolved.pointer.push("content").push("multipart/form-data");
    let (ty, multipart) = multipart::lower(schemas, mt, &media_at, hint)?;
    let note = match multipart {
        Multipart::Fields(_) => "Sent as `multipart/form-data`: each field is a part named after its property.",
        Multipart::Free => "Sent as `multipart/form-data`; the spec does not name the parts, so the caller adds them to the form.",
    };
    add_note(&mut docs, note);
    Ok(Body {
        ty,
        raw_media: None,
        form: None,
        required: resolved.item.required,
        docs,
        source: resolved.pointer.clone(),
        multipart: Some(multipart),
    })
}

/// The success response (lowest 2xx, else `2XX`, else `default`, else a lone 3xx) and
/// the others that are not 2xx, sorted by status. Other 2xx responses are not errors: the
/// runtime treats every 2xx as success and decodes it as the success type (a limitation
/// when two 2xx responses declare different bodies).
pub(crate) fn responses<'a>(
    schemas: &mut Schemas<'a>,
    op: &'a ValidOperation<'a>,
    preferred: Option<&str>,
) -> Result<(Response, Vec<Response>), Error> {
    let doc = schemas.doc();
    let responses_at = op.at.push("responses");
    let mut all: Vec<(
        StatusSpec,
        &'a ReferenceOr<openapiv3::Response>,
        JsonPointer,
    )> = Vec::new();
    for (code, r) in &op.op.responses.responses {
        let status = match code {
            StatusCode::Code(c) => StatusSpec::Code(*c),
            StatusCode::Range(d) => StatusSpec::Range(u8::try_from(*d).unwrap_or(u8::MAX)),
        };
        let key = raw_status_key(doc, &responses_at, code);
        all.push((status, r, responses_at.push(key)));
    }
    if let Some(d) = &op.op.responses.default {
        all.push((StatusSpec::Default, d, responses_at.push("default")));
    }
    all.sort_by_key(|a| a.0);
    let statuses: Vec<StatusSpec> = all.iter().map(|(s, _, _)| *s).collect();
    // No success answer documented at all (only errors, say): `send()` returns whatever
    // 2xx arrives as it is (status, headers and bytes), with any `Accept`.
    let Some(ok_status) = success_status(&statuses) else {
        let mut errors = Vec::with_capacity(all.len());
        for (status, r, at) in all {
            if !is_redirect(status) {
                errors.push(response(schemas, op, status, r, &at, false, preferred)?);
            }
        }
        return Ok((undocumented_success(), errors));
    };
    let mut ok = None;
    let mut errors = Vec::new();
    for (status, r, at) in all {
        let is_ok = status == ok_status;
        if !is_ok && (is_success(status) || is_redirect(status)) {
            continue;
        }
        let response = response(schemas, op, status, r, &at, is_ok, preferred)?;
        if is_ok {
            ok = Some(response);
        } else {
            errors.push(response);
        }
    }
    // `ok_status` is one of `all`, so `ok` is set.
    Ok((ok.unwrap_or_else(undocumented_success), errors))
}

/// The success answer of an operation that documents none: any 2xx, as bytes.
fn undocumented_success() -> Response {
    Response {
        status: StatusSpec::Range(2),
        ty: None,
        raw_media: Some("*/*".to_owned()),
        content_types: Vec::new(),
        docs: Docs {
            description: Some(
                "The spec documents no success response: any 2xx answer, as is.".to_owned(),
            ),
            ..Docs::default()
        },
    }
}

/// The status `send()` answers with: the lowest 2xx, else `2XX`, else `default`, else —
/// when only a redirect is documented (GitHub's archive downloads answer `302` with a
/// `Location`) — that redirect, headers and all.
fn success_status(statuses: &[StatusSpec]) -> Option<StatusSpec> {
    let first = |wanted: fn(&StatusSpec) -> bool| statuses.iter().copied().find(wanted);
    first(|s| matches!(s, StatusSpec::Code(200..=299)))
        .or_else(|| first(|s| *s == StatusSpec::Range(2)))
        .or_else(|| first(|s| *s == StatusSpec::Default))
        .or_else(|| first(|s| matches!(s, StatusSpec::Code(300..=399))))
}

fn response<'a>(
    schemas: &mut Schemas<'a>,
    op: &ValidOperation<'a>,
    status: StatusSpec,
    r: &'a ReferenceOr<openapiv3::Response>,
    at: &JsonPointer,
    is_ok: bool,
    preferred: Option<&str>,
) -> Result<Response, Error> {
    let resolved = schemas.doc().resolver().response(r, at)?;
    let content = &resolved.item.content;
    let mut content_types: Vec<String> = content.keys().cloned().collect();
    content_types.sort();
    let mut raw_media = None;
    let ty = match pick_json(content, preferred) {
        Some((media, mt)) => {
            let hint = match (resolved.component, is_ok) {
                (Some(key), _) => Hint::parts(&[key]),
                (None, true) => Hint::parts(&[&op.label, "Response"]),
                (None, false) => Hint::parts(&[&op.label, "Response", &status_label(status)]),
            };
            let schema_at = resolved.pointer.push("content").push(media).push("schema");
            // A media type without a schema describes no body (Atlas's
            // `startStreamProcessor` 200 lists its versioned media type only to say which
            // `Accept` to send): the typed client returns `()` and ignores any bytes.
            match &mt.schema {
                Some(s) => Some(schemas.schema_ref(s, &schema_at, &hint)?),
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
        description: text(Some(&resolved.item.description)),
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

/// The key of a status in the `responses` map as written (`4xx` and `4XX` both parse to
/// the same status; pointers must use the key as written).
fn raw_status_key(doc: Document<'_>, responses_at: &JsonPointer, code: &StatusCode) -> String {
    let wanted = code.to_string();
    doc.node(responses_at)
        .and_then(|v| v.as_object())
        .and_then(|m| m.keys().find(|k| k.to_ascii_uppercase() == wanted))
        .cloned()
        .unwrap_or(wanted)
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
