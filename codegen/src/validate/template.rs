//! Path templates: `/processor/{processorName}:start` → literal and parameter pieces. The
//! one parser of templates: `validate` runs it on every path key and hands the pieces to
//! `lower` (through `Validated`), so both stages read a template the same way.
//!
//! A template starts with `/`. A parameter may sit anywhere in a segment (`{name}:start`,
//! `v{major}.{minor}`) or next to another (`{a}{b}`); braces pair up, enclose a non-blank
//! name without `/` or `{`, and each name appears once.

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text (it may contain `/`).
    Literal(String),
    /// `{name}`: the name inside the braces.
    Param(String),
}

/// Splits `template` into pieces (adjacent literal text is one piece), or says what is
/// wrong with it: the reason completes "path template …".
pub fn parse(template: &str) -> Result<Vec<Piece>, String> {
    if !template.starts_with('/') {
        return Err("does not start with `/`".into());
    }
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut open: Option<String> = None;
    for c in template.chars() {
        match (c, open.as_mut()) {
            ('{', None) => {
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                open = Some(String::new());
            }
            ('{', Some(name)) => return Err(format!("has a `{{` inside `{{{name}…`")),
            ('}', None) => return Err("has a `}` with no matching `{`".into()),
            ('}', Some(name)) => {
                if name.trim().is_empty() {
                    return Err(format!("has an empty `{{{name}}}`"));
                }
                let name = std::mem::take(name);
                if pieces.contains(&Piece::Param(name.clone())) {
                    return Err(format!("has `{{{name}}}` more than once"));
                }
                pieces.push(Piece::Param(name));
                open = None;
            }
            // Names cannot hold `/`: the `}` is missing.
            ('/', Some(name)) => {
                return Err(format!(
                    "has `{{{name}` with no closing `}}` before the next `/`"
                ))
            }
            (c, Some(name)) => name.push(c),
            (c, None) => literal.push(c),
        }
    }
    if let Some(name) = open {
        return Err(format!("has `{{{name}` with no closing `}}`"));
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Piece {
        Piece::Literal(s.to_owned())
    }

    fn param(s: &str) -> Piece {
        Piece::Param(s.to_owned())
    }

    #[test]
    fn templates() {
        let table: Vec<(&str, Vec<Piece>)> = vec![
            (
                "/processor/{processorName}:start",
                vec![lit("/processor/"), param("processorName"), lit(":start")],
            ),
            ("/a/{a}{b}", vec![lit("/a/"), param("a"), param("b")]),
            (
                "/groups/{groupId}/",
                vec![lit("/groups/"), param("groupId"), lit("/")],
            ),
            (
                "/v{major}.{minor}",
                vec![lit("/v"), param("major"), lit("."), param("minor")],
            ),
            (
                "/p/{name}:start/{x}",
                vec![lit("/p/"), param("name"), lit(":start/"), param("x")],
            ),
            ("/", vec![lit("/")]),
        ];
        for (template, want) in table {
            assert_eq!(parse(template).unwrap(), want, "{template}");
        }
    }

    #[test]
    fn bad_templates() {
        let table = [
            ("/a/{id", "has `{id` with no closing `}`"),
            (
                "/a/{id/x",
                "has `{id` with no closing `}` before the next `/`",
            ),
            ("/a/id}", "has a `}` with no matching `{`"),
            ("/a/{}", "has an empty `{}`"),
            ("/a/{ }", "has an empty `{ }`"),
            ("/a/{x{id}}", "has a `{` inside `{x…`"),
            ("/a/{id}/{id}", "has `{id}` more than once"),
            ("/a/{id}{id}", "has `{id}` more than once"),
            ("a/b", "does not start with `/`"),
            ("{a}/x", "does not start with `/`"),
            ("", "does not start with `/`"),
        ];
        for (template, want) in table {
            assert_eq!(parse(template).unwrap_err(), want, "{template}");
        }
    }
}
