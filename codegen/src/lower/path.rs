//! Path templates: `/processor/{processorName}:start` → literal and parameter pieces.
//! A parameter may sit anywhere in a segment (`{name}:start`, `v{major}.{minor}`), next to
//! another (`{a}{b}`) or first (`{a}/x`); braces must pair up and enclose a name.

/// One piece of a template before parameters get their Rust names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Literal(String),
    Param(String),
}

/// Splits `template` into pieces, or says what is wrong with it (the reason completes
/// "path template …").
pub(crate) fn parse(template: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = template.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some((_, '}')) => break,
                        Some((j, '{')) => {
                            return Err(format!(
                                "`{template}` has `{{` inside a parameter at byte {j}"
                            ))
                        }
                        Some((_, ch)) => name.push(ch),
                        None => {
                            return Err(format!("`{template}` has an unclosed `{{` at byte {i}"))
                        }
                    }
                }
                if name.trim().is_empty() {
                    return Err(format!(
                        "`{template}` has an empty parameter `{{}}` at byte {i}"
                    ));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Param(name));
            }
            '}' => return Err(format!("`{template}` has a `}}` without `{{` at byte {i}")),
            other => literal.push(other),
        }
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
            ("{a}/x", vec![param("a"), lit("/x")]),
            (
                "/groups/{groupId}/",
                vec![lit("/groups/"), param("groupId"), lit("/")],
            ),
            (
                "/v{major}.{minor}",
                vec![lit("/v"), param("major"), lit("."), param("minor")],
            ),
            ("/", vec![lit("/")]),
            ("", vec![]),
        ];
        for (template, want) in table {
            assert_eq!(parse(template).unwrap(), want, "{template}");
        }
    }

    #[test]
    fn bad_templates() {
        let table = [
            ("/a/{b", "has an unclosed `{` at byte 3"),
            ("/a/b}", "has a `}` without `{` at byte 4"),
            ("/a/{}", "has an empty parameter `{}` at byte 3"),
            ("/a/{b{c}}", "has `{` inside a parameter at byte 5"),
        ];
        for (template, want) in table {
            let got = parse(template).unwrap_err();
            assert_eq!(got, format!("`{template}` {want}"));
        }
    }
}
