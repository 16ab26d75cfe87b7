//! Spec prose → rustdoc-safe Markdown (used by `docs`).
//!
//! Spec text is Markdown written for a web page, and rustdoc reads it differently: bare URLs
//! warn, `[x]` is an intra-doc link, `<tag>` is HTML, and any untagged or indented code
//! block is compiled as a doctest. `sanitize` rewrites exactly those constructs (the
//! prost-build approach, ast.rs) so `cargo doc` stays warning-free, and re-wraps paragraph
//! lines to [`WRAP_WIDTH`] so the generated source reads like hand-written docs.

/// Spec prose is re-wrapped to this many characters per doc line (rustdoc joins the lines
/// of a paragraph again).
const WRAP_WIDTH: usize = 90;

/// Spec prose → rustdoc-safe Markdown lines (see the module docs). Blank lines are
/// collapsed and trimmed at both ends.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    // The content column of the list item the previous lines belong to: a line after it
    // that starts at column 0 continues the item (CommonMark's lazy continuation), and is
    // indented to that column, as rustdoc's readers and clippy's `doc_lazy_continuation`
    // expect; the rendered docs do not change.
    let mut item: Option<usize> = None;
    for raw in text.lines() {
        let expanded = raw.replace('\t', "    ");
        let line = expanded.trim_end();
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str())
                && trimmed.trim_start_matches(['`', '~']).is_empty()
            {
                out.push("```".to_owned());
                fence = None;
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            // Untagged fences would be compiled as doctests; spec code is never Rust.
            out.push("```text".to_owned());
            fence = Some(marker);
            item = None;
        } else if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            item = None;
        } else {
            // Four spaces of indentation would start an indented code block (a doctest):
            // keep at most three, enough for nested lists.
            let indent = (line.len() - trimmed.len()).min(3);
            let escaped = escape_inline(trimmed, true);
            if indent == 0 && is_plain_text(&escaped) {
                let pad = " ".repeat(item.unwrap_or(0));
                out.extend(wrap(&escaped).into_iter().map(|l| format!("{pad}{l}")));
            } else {
                if let Some(marker) = list_marker(&escaped) {
                    item = Some(indent + marker);
                } else if escaped.starts_with(['#', '|']) {
                    item = None;
                }
                out.push(format!("{}{escaped}", " ".repeat(indent)));
            }
        }
    }
    if fence.is_some() {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Whether a line is paragraph text that can be re-wrapped: not a list item, heading,
/// quote, table row or setext underline, whose meaning depends on where lines break.
pub(crate) fn is_plain_text(line: &str) -> bool {
    let first_word = line.split(' ').next().unwrap_or("");
    let ordered = first_word.len() > 1
        && first_word.ends_with(['.', ')'])
        && first_word
            .trim_end_matches(['.', ')'])
            .bytes()
            .all(|b| b.is_ascii_digit());
    let rule = !first_word.is_empty() && first_word.chars().all(|c| c == '*' || c == '_');
    !(line.starts_with(' ')
        || ordered
        || rule
        || matches!(first_word, "-" | "*" | "+")
        || line.starts_with(['#', '>', '|', '=', '-']))
}

/// Where the text of a list item starts, relative to its marker (`-`, `*`, `+`, `1.`,
/// `2)`…): after the marker and the one to four spaces that follow it (CommonMark; with
/// five or more, the text starts one space after the marker). `None` for a line that is
/// not a list item.
fn list_marker(line: &str) -> Option<usize> {
    let (first, rest) = line.split_once(' ')?;
    let ordered = first.len() > 1
        && first.ends_with(['.', ')'])
        && first[..first.len() - 1].bytes().all(|b| b.is_ascii_digit());
    let text = rest.trim_start_matches(' ');
    let spaces = 1 + rest.len() - text.len();
    let spaces = if spaces > 4 { 1 } else { spaces };
    (matches!(first, "-" | "*" | "+") || ordered)
        .then_some(first.len() + spaces)
        .filter(|_| !text.is_empty())
}

/// Breaks a line at spaces into lines of at most [`WRAP_WIDTH`] characters (a longer word
/// stays whole, and so does a code span). A continuation line never starts with something
/// that would make it a list item or heading: such a word stays on the previous line.
pub(crate) fn wrap(line: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in words(line) {
        let word = word.as_str();
        let fits = current.chars().count() + 1 + word.chars().count() <= WRAP_WIDTH;
        if current.is_empty() || fits || !is_plain_text(word) {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(word);
        }
    }
    lines.push(current);
    lines
}

/// A list item (`- …`, already rustdoc-safe) wrapped like prose, its continuation lines
/// indented under the text.
pub(crate) fn list_item(item: &str) -> Vec<String> {
    let body = item.strip_prefix("- ").unwrap_or(item);
    wrap(body)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("- {l}")
            } else {
                format!("  {l}")
            }
        })
        .collect()
}

/// The words of a line, a code span with spaces counting as one word (an odd number of
/// backticks opens or closes a span; `escape_inline` escaped the unmatched ones).
fn words(line: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut open = false;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        let ticks = word.matches('`').count() - word.matches("\\`").count();
        if ticks % 2 == 1 {
            open = !open;
        }
    }
    words
}

/// The opening fence of a code block (three or more backticks or tildes).
fn fence_marker(line: &str) -> Option<String> {
    let c = line.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = line.len() - line.trim_start_matches(c).len();
    let info = line.get(len..).unwrap_or("");
    (len >= 3 && !(c == '`' && info.contains('`'))).then(|| c.to_string().repeat(len))
}

pub(crate) fn is_url_start(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Escapes one line outside code blocks: code spans and autolinks are kept, web links
/// `[text](https://…)` are kept, other brackets and `<` are escaped, bare URLs are wrapped.
fn escape_inline(line: &str, wrap_urls: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let (emitted, used) = match c {
            '`' => code_span(rest),
            '<' => match autolink_len(rest) {
                Some(len) => (rest.get(..len).unwrap_or("").to_owned(), len),
                None => ("\\<".to_owned(), 1),
            },
            '[' => match web_link(rest) {
                Some((text, url, len)) => (format!("[{}]({url})", escape_inline(text, false)), len),
                None => ("\\[".to_owned(), 1),
            },
            ']' => ("\\]".to_owned(), 1),
            'h' if wrap_urls
                && is_url_start(rest)
                && !out.ends_with(|p: char| p.is_alphanumeric() || p == '/') =>
            {
                let len = bare_url_len(rest);
                (format!("<{}>", rest.get(..len).unwrap_or("")), len)
            }
            _ => (c.to_string(), c.len_utf8()),
        };
        out.push_str(&emitted);
        rest = rest.get(used..).unwrap_or("");
    }
    out
}

/// A code span at the start of `s`, kept verbatim; an unmatched run of backticks is escaped.
fn code_span(s: &str) -> (String, usize) {
    let n = s.len() - s.trim_start_matches('`').len();
    let after = s.get(n..).unwrap_or("");
    let mut offset = 0;
    while let Some(found) = after.get(offset..).and_then(|a| a.find('`')) {
        let start = offset + found;
        let run = after
            .get(start..)
            .map_or(0, |a| a.len() - a.trim_start_matches('`').len());
        if run == n {
            let len = n + start + run;
            return (s.get(..len).unwrap_or("").to_owned(), len);
        }
        offset = start + run;
    }
    ("\\`".repeat(n), n)
}

/// `<https://…>` at the start of `s`: its length including the brackets.
fn autolink_len(s: &str) -> Option<usize> {
    let inner = s.get(1..)?;
    if !is_url_start(inner) {
        return None;
    }
    let end = inner.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    inner.get(end..)?.starts_with('>').then_some(end + 2)
}

/// `[text](https://…)` at the start of `s`: text, URL and total length.
fn web_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find(']')?;
    let text = s.get(1..close)?;
    if text.contains('[') {
        return None;
    }
    let after = s.get(close + 1..)?.strip_prefix('(')?;
    let end = after.find(')')?;
    let url = after.get(..end)?;
    let valid = is_url_start(url) && !url.contains(|c: char| c.is_whitespace() || c == '<');
    valid.then_some((text, url, close + 2 + end + 1))
}

/// The length of a bare URL at the start of `s`, without trailing punctuation or an
/// unbalanced closing bracket (`(see https://x.y/z).` → `https://x.y/z`).
fn bare_url_len(s: &str) -> usize {
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(s.len());
    let mut url = s.get(..end).unwrap_or("");
    loop {
        let unbalanced = |open: char, close: char| {
            url.ends_with(close) && url.matches(close).count() > url.matches(open).count()
        };
        if url.ends_with(['.', ',', ';', ':', '!', '?', '\'', '*'])
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            url = url.get(..url.len() - 1).unwrap_or("");
        } else {
            return url.len();
        }
    }
}
