//! Parameter serialization, as OpenAPI 3.0.3's Parameter Object says (`style`, `explode`,
//! `allowReserved`): generated code hands each parameter's [`Param`] (decided by the
//! generator) and its [`Value`] to a [`Params`]; the runtime encodes the path segments,
//! the query string, the headers and the `Cookie` header from it, once per call.
//!
//! Shapes the specification leaves undefined are encoded one documented way:
//! - a member that is itself an array or an object (an array of objects, a nested object)
//!   is sent as its JSON text, except under `deepObject`, which nests brackets
//!   (`filter[a][b]=1`, `filter[tags][]=x`; an array at the top is `expand[]=a&expand[]=b`,
//!   Stripe's form; a single value is `name=value`);
//! - `null` members are left out; a `null` value sends nothing;
//! - `spaceDelimited` and `pipeDelimited` with `explode: true`, or with a single value,
//!   are `form`;
//! - cookies are `form` pairs joined by `; ` (`color=blue; color=black`), values
//!   percent-encoded like the query.
//!
//! Query keys and values are percent-encoded as RFC 3986 unreserved-only (`%20` for a
//! space, never `+`, which non-form parsers read as a plus); delimiters (`,` `|` `[` `]`,
//! `%20` for `spaceDelimited`) are not. `allowReserved` keeps `:/?@!$'()*,;[]` as they are
//! (`&`, `=`, `+` and `#` are still encoded: they would change how the query is split).
//! Header values are sent as they are (a value a header cannot hold is an error before
//! anything is sent).

use percent_encoding::{utf8_percent_encode, AsciiSet};
use serde_json::Value as Json;

use super::{ToParam, SEGMENT};
use crate::Error;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    /// A path segment (see [`crate::client::PathPart::Value`]).
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

/// OpenAPI's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `blue,black,brown` (path and header default).
    Simple,
    /// `.blue.black.brown` (path).
    Label,
    /// `;color=blue,black,brown` (path).
    Matrix,
    /// `color=blue&color=black` (query and cookie default).
    Form,
    /// `color=blue%20black%20brown` (query).
    SpaceDelimited,
    /// `color=blue|black|brown` (query).
    PipeDelimited,
    /// `color[R]=100&color[G]=200` (query).
    DeepObject,
}

/// How one parameter is sent: decided by the generator, handed over by generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The wire name.
    pub name: &'static str,
    /// Location.
    pub at: In,
    /// `style`.
    pub style: Style,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved` (query only).
    pub allow_reserved: bool,
}

impl Param {
    const fn new(name: &'static str, at: In, style: Style, explode: bool) -> Self {
        Self {
            name,
            at,
            style,
            explode,
            allow_reserved: false,
        }
    }

    /// A path parameter: `simple`, not exploded.
    pub const fn path(name: &'static str) -> Self {
        Self::new(name, In::Path, Style::Simple, false)
    }

    /// A query parameter: `form`, exploded.
    pub const fn query(name: &'static str) -> Self {
        Self::new(name, In::Query, Style::Form, true)
    }

    /// A header: `simple`, not exploded.
    pub const fn header(name: &'static str) -> Self {
        Self::new(name, In::Header, Style::Simple, false)
    }

    /// A cookie: `form`, exploded.
    pub const fn cookie(name: &'static str) -> Self {
        Self::new(name, In::Cookie, Style::Form, true)
    }

    /// A property of an `application/x-www-form-urlencoded` body: `form`, exploded.
    pub const fn field(name: &'static str) -> Self {
        Self::new(name, In::Query, Style::Form, true)
    }

    /// With another `style` and `explode`.
    pub const fn style(self, style: Style, explode: bool) -> Self {
        Self {
            style,
            explode,
            ..self
        }
    }

    /// With `allowReserved: true`.
    pub const fn allow_reserved(self) -> Self {
        Self {
            allow_reserved: true,
            ..self
        }
    }
}

/// A parameter's value: a primitive's text, a list of texts, or any value by its JSON
/// form (objects, maps, unions, free-form values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value(Json);

impl Value {
    /// An array of primitives (each by its [`ToParam`] text).
    pub fn list<I>(items: I) -> Self
    where
        I: IntoIterator,
        I::Item: ToParam,
    {
        Self(Json::Array(
            items
                .into_iter()
                .map(|item| Json::String(item.to_param()))
                .collect(),
        ))
    }

    /// Any value, by its JSON form: an object's members in declaration order.
    pub fn of<T: serde::Serialize + ?Sized>(value: &T, name: &str) -> Result<Self, Error> {
        serde_json::to_value(value)
            .map(Self)
            .map_err(|e| unencodable(name, &e))
    }

    /// The JSON text of `value`, as one string (a parameter described by `content`
    /// `application/json`).
    pub fn json_text<T: serde::Serialize + ?Sized>(value: &T, name: &str) -> Result<Self, Error> {
        serde_json::to_string(value)
            .map(|text| Self(Json::String(text)))
            .map_err(|e| unencodable(name, &e))
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Self(Json::String(text))
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Self(Json::String(text.to_owned()))
    }
}

fn unencodable(name: &str, e: &serde_json::Error) -> Error {
    Error::InvalidArgument {
        parameter: name.to_owned(),
        rule: format!("must be encodable as a parameter ({e})"),
    }
}

/// The parameters of one call, in the order generated code adds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(Param, Value)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `param` with `value`.
    pub fn push(&mut self, param: Param, value: impl Into<Value>) {
        self.entries.push((param, value.into()));
    }

    /// Adds `param` with the text of `value` ([`ToParam`]), if there is one (an optional
    /// parameter the caller did not set is left out).
    pub fn push_some<T: ToParam + ?Sized>(&mut self, param: Param, value: Option<&T>) {
        if let Some(value) = value {
            self.push(param, value.to_param());
        }
    }

    /// The query string (without `?`), `None` when there is nothing to send.
    pub(crate) fn query(&self) -> Option<String> {
        let pairs: Vec<String> = self
            .at(In::Query)
            .flat_map(|(p, v)| {
                let enc = if p.allow_reserved {
                    query_reserved
                } else {
                    component
                };
                form_pairs(p.name, p.style, p.explode, &v.0, enc)
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
            })
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("&"))
    }

    /// The header parameters, `(name, value)`, values as they are sent.
    pub(crate) fn headers(&self) -> Vec<(&'static str, String)> {
        self.at(In::Header)
            .filter_map(|(p, v)| Some((p.name, simple(p.explode, &v.0, raw)?)))
            .collect()
    }

    /// The `Cookie` header's value for the cookie parameters, if any.
    pub(crate) fn cookies(&self) -> Option<String> {
        let pairs: Vec<String> = self
            .at(In::Cookie)
            .flat_map(|(p, v)| {
                form_pairs(p.name, p.style, p.explode, &v.0, component)
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
            })
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    fn at(&self, at: In) -> impl Iterator<Item = &(Param, Value)> {
        self.entries.iter().filter(move |(p, _)| p.at == at)
    }
}

impl<V: Into<Value>> FromIterator<(Param, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (Param, V)>>(iter: I) -> Self {
        Self {
            entries: iter.into_iter().map(|(p, v)| (p, v.into())).collect(),
        }
    }
}

/// The text of a path parameter, percent-encoded, delimiters (`.`, `;`, `=`, `,`) not.
pub(crate) fn path_text(param: &Param, value: &Value) -> String {
    let v = &value.0;
    let enc = segment;
    let name = enc(param.name);
    match param.style {
        Style::Label => {
            let inner = match (shape(v), param.explode) {
                (Shape::Object(pairs), true) => join_pairs(&pairs, "=", ".", enc),
                (Shape::Object(pairs), false) => join_pairs(&pairs, ".", ".", enc),
                _ => simple(false, v, enc).unwrap_or_default().replace(',', "."),
            };
            format!(".{inner}")
        }
        Style::Matrix => match (shape(v), param.explode) {
            (Shape::Object(pairs), true) => {
                let inner = join_pairs(&pairs, "=", ";", enc);
                format!(";{inner}")
            }
            (Shape::List(items), true) if !items.is_empty() => items
                .iter()
                .map(|item| format!(";{name}={}", enc(item)))
                .collect(),
            _ => match simple(false, v, enc) {
                Some(text) if !text.is_empty() => format!(";{name}={text}"),
                _ => format!(";{name}"),
            },
        },
        _ => simple(param.explode, v, enc).unwrap_or_default(),
    }
}

/// The value split into what the styles distinguish: members that are themselves arrays
/// or objects are their JSON text; `null` members are left out.
enum Shape {
    Null,
    One(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

fn shape(v: &Json) -> Shape {
    match v {
        Json::Null => Shape::Null,
        Json::Array(items) => Shape::List(items.iter().filter_map(text).collect()),
        Json::Object(map) => Shape::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), text(v)?)))
                .collect(),
        ),
        other => Shape::One(text(other).unwrap_or_default()),
    }
}

/// A member's text: a string as it is, a number or boolean as written, an array or
/// object as its JSON text; `None` for `null`.
fn text(v: &Json) -> Option<String> {
    match v {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn join_pairs(pairs: &[(String, String)], kv: &str, sep: &str, enc: fn(&str) -> String) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}{kv}{}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join(sep)
}

/// `simple`: `blue`, `blue,black,brown`, `R,100,G,200` (`R=100,G=200` exploded); `None`
/// for `null`.
fn simple(explode: bool, v: &Json, enc: fn(&str) -> String) -> Option<String> {
    Some(match shape(v) {
        Shape::Null => return None,
        Shape::One(s) => enc(&s),
        Shape::List(items) => items.iter().map(|i| enc(i)).collect::<Vec<_>>().join(","),
        Shape::Object(pairs) if explode => join_pairs(&pairs, "=", ",", enc),
        Shape::Object(pairs) => join_pairs(&pairs, ",", ",", enc),
    })
}

/// The encoded `key=value` pairs of a query (or cookie) parameter.
fn form_pairs(
    name: &str,
    style: Style,
    explode: bool,
    v: &Json,
    enc: fn(&str) -> String,
) -> Vec<(String, String)> {
    let name = enc(name);
    let delimiter = match (style, explode) {
        (Style::DeepObject, _) => {
            let mut out = Vec::new();
            deep(&name, v, enc, &mut out);
            return out;
        }
        (Style::SpaceDelimited, false) => "%20",
        (Style::PipeDelimited, false) => "|",
        (_, explode) if explode => {
            return match shape(v) {
                Shape::Null => Vec::new(),
                Shape::One(s) => vec![(name, enc(&s))],
                Shape::List(items) if items.is_empty() => vec![(name, String::new())],
                Shape::List(items) => items.iter().map(|i| (name.clone(), enc(i))).collect(),
                Shape::Object(pairs) if pairs.is_empty() => vec![(name, String::new())],
                Shape::Object(pairs) => pairs.iter().map(|(k, v)| (enc(k), enc(v))).collect(),
            };
        }
        _ => ",",
    };
    let joined = match shape(v) {
        Shape::Null => return Vec::new(),
        Shape::One(s) => enc(&s),
        Shape::List(items) => items
            .iter()
            .map(|i| enc(i))
            .collect::<Vec<_>>()
            .join(delimiter),
        Shape::Object(pairs) => pairs
            .iter()
            .flat_map(|(k, v)| [enc(k), enc(v)])
            .collect::<Vec<_>>()
            .join(delimiter),
    };
    vec![(name, joined)]
}

/// `deepObject`, nested: `key[a][b]=v`, arrays `key[a][]=v`; a primitive is `key=v`.
fn deep(key: &str, v: &Json, enc: fn(&str) -> String, out: &mut Vec<(String, String)>) {
    match v {
        Json::Null => {}
        Json::Array(items) => {
            let key = format!("{key}[]");
            for item in items {
                deep(&key, item, enc, out);
            }
        }
        Json::Object(map) => {
            for (k, member) in map {
                deep(&format!("{key}[{}]", enc(k)), member, enc, out);
            }
        }
        other => out.push((key.to_owned(), enc(&text(other).unwrap_or_default()))),
    }
}

/// `allowReserved`: RFC 3986 reserved characters stay, except those that split a query.
const QUERY_RESERVED: &AsciiSet = &SEGMENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b',')
    .remove(b';')
    .remove(b'[')
    .remove(b']');

fn component(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

fn segment(s: &str) -> String {
    component(s)
}

fn query_reserved(s: &str) -> String {
    utf8_percent_encode(s, QUERY_RESERVED).to_string()
}

fn raw(s: &str) -> String {
    s.to_owned()
}

/// An `application/x-www-form-urlencoded` body: each member of `value`'s JSON object as a
/// `form` parameter of its own, exploded (`fields`: the style of those the spec's
/// `encoding` names), joined by `&`, percent-encoded like a query (`%20` for a space).
pub fn form_body<T: serde::Serialize + ?Sized>(
    value: &T,
    fields: &[Param],
) -> Result<crate::client::Body, Error> {
    let Json::Object(map) = Value::of(value, "body")?.0 else {
        return Err(Error::InvalidArgument {
            parameter: "body".to_owned(),
            rule: "a form body must be an object".to_owned(),
        });
    };
    let mut pairs = Vec::new();
    for (name, member) in &map {
        let field = fields.iter().find(|f| f.name == name);
        let enc = if field.is_some_and(|f| f.allow_reserved) {
            query_reserved
        } else {
            component
        };
        let (style, explode) = field.map_or((Style::Form, true), |f| (f.style, f.explode));
        for (k, v) in form_pairs(name, style, explode, member, enc) {
            pairs.push(format!("{k}={v}"));
        }
    }
    Ok(crate::client::Body {
        content_type: "application/x-www-form-urlencoded",
        bytes: bytes::Bytes::from(pairs.join("&")),
        multipart: None,
    })
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
