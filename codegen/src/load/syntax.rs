//! Text → JSON value, through serde_json or serde_yaml into a visitor that counts depth
//! (the pointer where [`MAX_DEPTH`] is exceeded is reported), turns YAML keys such as `200`
//! into strings, and rejects what JSON cannot hold (tags, merge keys, NaN, duplicate keys).
//! Syntax errors keep the parser's `line:col`.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::problem::Problem;
use crate::error::ErrorKind;
use crate::pointer::JsonPointer;

/// How deeply mappings and sequences may nest. Real specs stay under ~30 levels. The limit
/// bounds every recursive pass downstream (serde, openapiv3, lowering, drop), and sits below
/// serde_json's and serde_yaml's own limits (127/128) so ours is the one reported, with a
/// pointer.
pub const MAX_DEPTH: usize = 64;

/// Text → JSON value. `*.json` files are JSON. Other documents that look like JSON
/// (`{`-first) go through serde_json for its messages, and through serde_yaml if that fails
/// (`{a: 1}` is YAML, not JSON); the error reported is the JSON one. The rest is YAML.
pub(super) fn parse(text: &str, json_file: bool) -> Result<Value, Problem> {
    let parsed = if json_file {
        parse_json(text)
    } else if text.trim_start().starts_with(['{', '[']) {
        match parse_json(text) {
            Ok(v) => Ok(v),
            Err(e @ (_, ErrorKind::TooDeep { .. })) => Err(e),
            Err(json_err) => parse_yaml(text).map_err(|_| json_err),
        }
    } else {
        parse_yaml(text)
    }?;
    match parsed {
        // A document with nothing but comments.
        Value::Null => Err((JsonPointer::root(), ErrorKind::Empty)),
        v => Ok(v),
    }
}

fn parse_json(text: &str) -> Result<Value, Problem> {
    let state = State::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let result = ValueSeed {
        state: &state,
        depth: 0,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let (line, column) = (e.line(), e.column());
        state.into_problem("JSON", e.to_string(), line, column)
    })
}

fn parse_yaml(text: &str) -> Result<Value, Problem> {
    let state = State {
        yaml: true,
        ..State::default()
    };
    let result = ValueSeed {
        state: &state,
        depth: 0,
    }
    .deserialize(serde_yaml::Deserializer::from_str(text));
    result.map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        state.into_problem("YAML", e.to_string(), line, column)
    })
}

/// What the value visitors saw when they stopped the parser.
#[derive(Default)]
struct State {
    /// Where we are (maintained on the way down; only read when an error is raised).
    path: RefCell<Vec<String>>,
    /// Set when the depth limit was hit, at that pointer.
    too_deep: RefCell<Option<JsonPointer>>,
    /// Our own message for a problem the visitors raised (duplicate key, YAML tag…).
    message: RefCell<Option<String>>,
    /// Parsing YAML (rather than JSON).
    yaml: bool,
}

impl State {
    fn pointer(&self) -> JsonPointer {
        self.path
            .borrow()
            .iter()
            .fold(JsonPointer::root(), |p, t| p.push(t.as_str()))
    }

    fn fail<E: de::Error>(&self, message: String) -> E {
        let e = E::custom(&message);
        *self.message.borrow_mut() = Some(message);
        e
    }

    fn into_problem(self, lang: &str, display: String, line: usize, column: usize) -> Problem {
        if let Some(pointer) = self.too_deep.into_inner() {
            return (pointer, ErrorKind::TooDeep { limit: MAX_DEPTH });
        }
        let message = match self.message.into_inner() {
            Some(m) => m,
            // The parsers append their position (`… at line 3 column 5`); we print it first.
            None => {
                let message = display.replacen(&format!(" at line {line} column {column}"), "", 1);
                match message.as_str() {
                    "deserializing from YAML containing more than one document is not supported" => {
                        "the file holds more than one YAML document (`---`); expected exactly one"
                            .to_owned()
                    }
                    "repetition limit exceeded" => {
                        "aliases expand to too many nodes (repetition limit exceeded); expected \
                         a document that does not multiply anchors"
                            .to_owned()
                    }
                    _ => message,
                }
            }
        };
        let message = format!("invalid {lang}: {message}");
        (
            JsonPointer::root(),
            ErrorKind::Syntax {
                line,
                column,
                message,
            },
        )
    }
}

/// Deserializes any YAML/JSON value into a [`Value`], counting depth and rejecting what
/// JSON cannot represent.
#[derive(Clone, Copy)]
struct ValueSeed<'s> {
    state: &'s State,
    /// How many mappings/sequences enclose this value.
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl ValueSeed<'_> {
    /// Enters a mapping or sequence: the seed for its children, or the depth error.
    fn enter<E: de::Error>(self) -> Result<Self, E> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            *self.state.too_deep.borrow_mut() = Some(self.state.pointer());
            return Err(E::custom("nesting limit exceeded"));
        }
        Ok(Self { depth, ..self })
    }

    /// An integer beyond 64 bits (serde_yaml hands those over as 128-bit integers).
    fn too_big<E: de::Error>(self, v: impl fmt::Display) -> E {
        self.state.fail(format!(
            "the integer {v} does not fit in 64 bits (at {}); expected at most 18446744073709551615",
            self.state.pointer()
        ))
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Value::Number(v.into())),
            Err(_) => Err(self.too_big(v)),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(v) => Ok(Value::Number(v.into())),
            Err(_) => Err(self.too_big(v)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        match Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(self.state.fail(format!(
                "{v} is not a number JSON can represent (at {})",
                self.state.pointer()
            ))),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let seed = self.enter()?;
        let mut items = Vec::new();
        loop {
            self.state.path.borrow_mut().push(items.len().to_string());
            let item = seq.next_element_seed(seed)?;
            self.state.path.borrow_mut().pop();
            match item {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let seed = self.enter()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed { state: self.state })? {
            if key == "<<" {
                return Err(self.state.fail(format!(
                    "YAML merge keys (`<<`) are not supported (at {}); write the keys out",
                    self.state.pointer()
                )));
            }
            if object.contains_key(&key) {
                // serde_yaml reports the position of the mapping, serde_json that of the key.
                let pointer = self.state.pointer();
                let place = if self.state.yaml {
                    format!("that starts here ({pointer})")
                } else {
                    format!("at {pointer}")
                };
                return Err(self.state.fail(format!(
                    "duplicate key `{key}` in the mapping {place}; expected each key once"
                )));
            }
            self.state.path.borrow_mut().push(key.clone());
            let value = map.next_value_seed(seed)?;
            self.state.path.borrow_mut().pop();
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Value, A::Error> {
        Err(self.state.fail(format!(
            "YAML tags such as `!name` are not supported (at {})",
            self.state.pointer()
        )))
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Value, E> {
        Err(self.state.fail(format!(
            "binary values are not supported (at {})",
            self.state.pointer()
        )))
    }
}

/// Mapping keys: strings, or scalars that become strings (`200:` → `"200"`).
struct KeySeed<'s> {
    state: &'s State,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or number as a mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_scalar("a sequence"))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_scalar("a mapping"))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.not_scalar("a tagged value"))
    }
}

impl KeySeed<'_> {
    fn not_scalar<E: de::Error>(&self, what: &str) -> E {
        self.state.fail(format!(
            "a mapping key is {what} (at {}); expected a string or a number",
            self.state.pointer()
        ))
    }
}
