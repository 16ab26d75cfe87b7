//! `allOf`: what a schema with `allOf` is, decided here once for all of lowering (`schema`
//! picks the form from it, `structs` a field's docs, flags and rules, `compose` the members
//! it merges).
//!
//! Each member (after `$ref` resolution) is one of:
//! - an **extra**: no structure of its own (`{description: …}`, `{nullable: true}`,
//!   `{maxLength: 64}`, `{xml: …}`): it adds docs, flags and constraints, never a type;
//! - an **object**: properties, `type: object`, an `allOf` of objects, a union base (a
//!   schema with a discriminator: its children `allOf` it), or a union without
//!   discriminator that lists this very schema among its variants — a back-reference
//!   (`A: {allOf: [{$ref: U}, …]}` with `U: {oneOf: [A, …]}`): like a union base, it
//!   contributes its own properties and never its variants, so `A` is not made to contain
//!   itself;
//! - a **scalar**: `type` string, number, integer or boolean, no `enum`;
//! - **typed**: anything else with a type of its own (an enum, an array, a union without
//!   discriminator, `not`).
//!
//! The schema is then:
//! - [`AllOf::Merge`] (one struct, see `compose`) when every member with structure is an
//!   object — unless there is exactly one, written as a `$ref`, and the schema adds no
//!   structure of its own: then it is that type ([`AllOf::Wrapper`]), except for a
//!   component whose member is a union base (it is a child of that union: a variant
//!   struct);
//! - [`AllOf::Wrapper`] when one member gives the type (a `$ref` first, else an inline
//!   member that is not a plain scalar, else the first scalar) and every other member is an
//!   extra or a scalar of a compatible type: the docs and `nullable` of the schema and its
//!   extras go to the field (or the alias), and every constraint is checked (see
//!   `rules::intersect`);
//! - an `Unsupported` error naming the member when an object meets a non-object, two typed
//!   members cannot be one value, or the schema's own `type`/properties contradict its
//!   members.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::keywords::{Keywords, Ty};
use crate::document::Document;
use crate::error::Error;
use crate::pointer::JsonPointer;
use crate::resolve::Resolved;

/// How deep `allOf` members that are `allOf`s themselves are followed (validate rejects
/// `allOf` loops; this bounds the walk anyway).
const MAX_DEPTH: usize = 32;

const EXPECTED: &str = "allOf members that are all objects, or one member that gives the type \
                        and others that only add docs, nullable or constraints";

/// What an `allOf` schema lowers to.
#[derive(Debug, Clone)]
pub(crate) enum AllOf<'a> {
    /// One struct: the object members' properties merged (`compose`).
    Merge,
    /// One member's type.
    Wrapper(Wrapper<'a>),
}

/// An `allOf` whose type is one member's.
#[derive(Debug, Clone)]
pub(crate) struct Wrapper<'a> {
    /// The member that gives the type; `None` when no member has a type (only extras): the
    /// schema's own keywords decide.
    pub core: Option<Member<'a>>,
    /// The other members: they add docs, flags and constraints.
    pub extras: Vec<Member<'a>>,
}

/// One member of an `allOf`.
#[derive(Debug, Clone)]
pub(crate) struct Member<'a> {
    /// As written.
    pub schema: &'a ReferenceOr<Schema>,
    /// Where it is written (`…/allOf/0`).
    pub at: JsonPointer,
    /// What it resolves to.
    pub target: Resolved<'a, Schema>,
    part: Part<'a>,
}

impl Member<'_> {
    /// Whether the member is written as a `$ref`.
    pub fn is_ref(&self) -> bool {
        matches!(self.schema, ReferenceOr::Reference { .. })
    }

    /// Whether `compose` merges its properties.
    pub fn is_object(&self) -> bool {
        matches!(self.part, Part::Object { .. })
    }
}

/// What one member contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'a> {
    Extra,
    Object {
        /// A union base or a back-referencing union: its variants are not merged.
        union_base: bool,
    },
    Scalar(Ty<'a>),
    /// Another typed value; its declared `type`, if any.
    Typed(Option<Ty<'a>>),
}

impl Part<'_> {
    fn declared(self) -> Option<Ty<'static>> {
        let ty = match self {
            Part::Scalar(t) | Part::Typed(Some(t)) => t,
            Part::Object { .. } => Ty::Object,
            Part::Extra | Part::Typed(None) => return None,
        };
        Some(match ty {
            Ty::String => Ty::String,
            Ty::Number => Ty::Number,
            Ty::Integer => Ty::Integer,
            Ty::Boolean => Ty::Boolean,
            Ty::Object => Ty::Object,
            Ty::Array => Ty::Array,
            Ty::Other(_) => return None,
        })
    }

    fn noun(self) -> String {
        match self {
            Part::Extra => "a schema without a type".to_owned(),
            Part::Object { .. } => "an object".to_owned(),
            Part::Scalar(t) => format!("{} {}", article(t), ty_name(t)),
            Part::Typed(Some(Ty::Array)) => "an array".to_owned(),
            Part::Typed(Some(t)) => format!("{} {} enum", article(t), ty_name(t)),
            Part::Typed(None) => "a union or enum".to_owned(),
        }
    }
}

fn article(t: Ty<'_>) -> &'static str {
    match t {
        Ty::Integer | Ty::Object | Ty::Array => "an",
        _ => "a",
    }
}

fn ty_name(t: Ty<'_>) -> &str {
    match t {
        Ty::String => "string",
        Ty::Number => "number",
        Ty::Integer => "integer",
        Ty::Boolean => "boolean",
        Ty::Object => "object",
        Ty::Array => "array",
        Ty::Other(o) => o,
    }
}

/// Integers are numbers: a `type: number` member may constrain an integer.
fn compatible(a: Option<Ty<'_>>, b: Option<Ty<'_>>) -> bool {
    match (a, b) {
        (Some(Ty::Integer | Ty::Number), Some(Ty::Integer | Ty::Number)) => true,
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// What the schema `kw` at `at` is, when it has `allOf` members (`None` otherwise).
/// `component`: the schema is a component (a lone `$ref` to a union base then makes it a
/// child of that union, not the union itself).
pub(crate) fn all_of<'a>(
    doc: Document<'a>,
    kw: &Keywords<'a>,
    at: &JsonPointer,
    component: bool,
) -> Result<Option<AllOf<'a>>, Error> {
    if kw.all_of.is_empty() {
        return Ok(None);
    }
    let (shape, _) = classify(doc, kw, at, component, 0)?;
    Ok(Some(shape))
}

/// The members of the `allOf` at `at` that `compose` merges: its objects, in order.
pub(crate) fn object_members<'a>(
    doc: Document<'a>,
    kw: &Keywords<'a>,
    at: &JsonPointer,
) -> Result<Vec<Member<'a>>, Error> {
    let members = members(doc, kw, at, 0)?;
    Ok(members.into_iter().filter(Member::is_object).collect())
}

fn members<'a>(
    doc: Document<'a>,
    kw: &Keywords<'a>,
    at: &JsonPointer,
    depth: usize,
) -> Result<Vec<Member<'a>>, Error> {
    if depth > MAX_DEPTH {
        return Err(doc.unsupported(
            at,
            format!("allOf members nested more than {MAX_DEPTH} levels deep"),
            "a shallower allOf",
        ));
    }
    let resolver = doc.resolver();
    let mut members = Vec::with_capacity(kw.all_of.len());
    for (i, schema) in kw.all_of.iter().enumerate() {
        let member_at = at.push("allOf").index(i);
        let target = resolver.schema(schema, &member_at)?;
        let part = part(doc, &target, at, depth)?;
        members.push(Member {
            schema,
            at: member_at,
            target,
            part,
        });
    }
    Ok(members)
}

/// The shape of the `allOf` schema `kw` at `at`, and the part it plays as a member.
fn classify<'a>(
    doc: Document<'a>,
    kw: &Keywords<'a>,
    at: &JsonPointer,
    component: bool,
    depth: usize,
) -> Result<(AllOf<'a>, Part<'a>), Error> {
    let members = members(doc, kw, at, depth)?;
    let own = own_part(kw);
    let conflict = |member: &Member<'_>, other: String| {
        doc.unsupported(
            &member.at,
            format!(
                "an allOf member that is {} beside {other}",
                member.part.noun()
            ),
            EXPECTED,
        )
    };
    let objects: Vec<&Member<'a>> = members.iter().filter(|m| m.is_object()).collect();
    let typed: Vec<&Member<'a>> = members
        .iter()
        .filter(|m| matches!(m.part, Part::Scalar(_) | Part::Typed(_)))
        .collect();
    if let (Some(first), Some(object)) = (typed.first(), objects.first()) {
        return Err(conflict(first, format!("an object ({})", object.at)));
    }
    // Keywords of the schema itself that shape its value (a bare `type: object` does not).
    let own_structure = kw.has_properties()
        || kw.items.is_some()
        || !kw.enum_values.is_empty()
        || kw.data.discriminator.is_some()
        || matches!(
            kw.additional,
            Some(AdditionalProperties::Any(true) | AdditionalProperties::Schema(_))
        );
    if typed.is_empty() {
        let adds_structure = own_structure || matches!(kw.ty, Some(t) if t != Ty::Object);
        if let [only] = objects.as_slice() {
            let child = component && matches!(only.part, Part::Object { union_base: true });
            if only.is_ref() && !adds_structure && !child {
                let part = only.part;
                let core = Some((*only).clone());
                let extras = others(&members, &only.at);
                return Ok((AllOf::Wrapper(Wrapper { core, extras }), part));
            }
        }
        if objects.is_empty() && !kw.has_properties() {
            // Only extras: the schema's own keywords are the type.
            let wrapper = Wrapper {
                core: None,
                extras: members,
            };
            return Ok((AllOf::Wrapper(wrapper), own));
        }
        if let (Some(first), Part::Scalar(_) | Part::Typed(_)) = (objects.first(), own) {
            return Err(conflict(
                first,
                format!("the {} this schema declares", own.noun()),
            ));
        }
        return Ok((AllOf::Merge, Part::Object { union_base: false }));
    }
    // Typed members only: one gives the type, the others may only be scalars alike.
    let core = typed
        .iter()
        .find(|m| m.is_ref())
        .or_else(|| typed.iter().find(|m| matches!(m.part, Part::Typed(_))))
        .or(typed.first())
        .copied();
    let Some(core) = core else {
        return Ok((AllOf::Merge, Part::Object { union_base: false }));
    };
    let declared = core.part.declared();
    for other in &typed {
        if other.at == core.at {
            continue;
        }
        let fits = matches!(other.part, Part::Scalar(t) if compatible(declared, Some(t)))
            && declared.is_some_and(|d| d != Ty::Array && d != Ty::Object);
        if !fits {
            return Err(conflict(
                other,
                format!("{} ({})", core.part.noun(), core.at),
            ));
        }
    }
    // A bare `type: object` beside a lone `$ref` to a non-object (lyft's
    // `ride_profile: {allOf: [{$ref: RideProfileEnum}], type: object}`) says nothing the
    // `$ref` does not override: the wrapper is still the referenced type.
    let own_declared = match kw.ty {
        Some(Ty::Object) if typed.len() == 1 && core.is_ref() => None,
        other => other,
    };
    if own_structure || !compatible(own_declared, declared) {
        let what = match own_declared {
            Some(t) if !own_structure => format!("`type: {}` on the schema", ty_name(t)),
            _ => "the properties, items or enum of the schema".to_owned(),
        };
        return Err(conflict(core, what));
    }
    let part = core.part;
    let extras = others(&members, &core.at);
    let core = Some(core.clone());
    Ok((AllOf::Wrapper(Wrapper { core, extras }), part))
}

fn others<'a>(members: &[Member<'a>], except: &JsonPointer) -> Vec<Member<'a>> {
    members
        .iter()
        .filter(|m| m.at != *except)
        .cloned()
        .collect()
}

/// The part a member plays in the `allOf` of the schema at `owner`.
fn part<'a>(
    doc: Document<'a>,
    target: &Resolved<'a, Schema>,
    owner: &JsonPointer,
    depth: usize,
) -> Result<Part<'a>, Error> {
    let kw = Keywords::of(target.item);
    if kw.data.discriminator.is_some() {
        return Ok(Part::Object { union_base: true });
    }
    let variants = if kw.one_of.is_empty() {
        kw.any_of
    } else {
        kw.one_of
    };
    if !variants.is_empty() {
        let resolver = doc.resolver();
        let resolved: Vec<Resolved<'a, Schema>> = variants
            .iter()
            .filter_map(|v| resolver.schema(v, &JsonPointer::root()).ok())
            .collect();
        return Ok(if resolved.iter().any(|r| r.pointer == *owner) {
            Part::Object { union_base: true }
        } else if resolved.len() == variants.len()
            && resolved.iter().all(|r| is_bare(&Keywords::of(r.item)))
        {
            // `oneOf: [{required: [a]}, {required: [b]}]`: a constraint, not a type.
            own_part(&kw)
        } else {
            Part::Typed(None)
        });
    }
    if !kw.all_of.is_empty() {
        let (_, part) = classify(doc, &kw, &target.pointer, false, depth + 1)?;
        return Ok(part);
    }
    Ok(own_part(&kw))
}

/// A schema that adds no structure at all (only docs, flags, constraints, `required`).
fn is_bare(kw: &Keywords<'_>) -> bool {
    own_part(kw) == Part::Extra
        && kw.all_of.is_empty()
        && kw.one_of.is_empty()
        && kw.any_of.is_empty()
}

/// The part the schema's own keywords (not its `allOf`, `oneOf`, `anyOf`) play.
fn own_part<'a>(kw: &Keywords<'a>) -> Part<'a> {
    let object_keywords = kw.has_properties()
        || matches!(
            kw.additional,
            Some(AdditionalProperties::Any(true) | AdditionalProperties::Schema(_))
        );
    if kw.not {
        return Part::Typed(kw.ty);
    }
    match kw.ty {
        Some(Ty::Object) => Part::Object { union_base: false },
        None if object_keywords => Part::Object { union_base: false },
        Some(t @ (Ty::String | Ty::Number | Ty::Integer | Ty::Boolean))
            if kw.enum_values.is_empty() =>
        {
            Part::Scalar(t)
        }
        None if kw.items.is_none() && kw.enum_values.is_empty() => Part::Extra,
        None if kw.items.is_some() => Part::Typed(Some(Ty::Array)),
        None => Part::Typed(
            kw.enum_values
                .iter()
                .all(serde_json::Value::is_string)
                .then_some(Ty::String),
        ),
        Some(t) => Part::Typed(Some(t)),
    }
}
