//! The spec's `pattern`s as the client's runtime compiles them: with the `regex` crate
//! (`generated-client/src/validate.rs`), which has no look-around. A documented pattern
//! it cannot compile has an equivalent here, argued next to it.

use regex::Regex;

/// Patterns the `regex` crate cannot compile (look-around), with an equivalent that it can.
/// Each entry is a documented pattern of the spec; the equivalence is argued next to it.
const LOOKAROUND_EQUIVALENTS: &[(&str, &str)] = &[(
    // UserAccessListResponse.ipAddress. In the original, each of the four octet groups ends
    // with `\.(?!$)` (a dot that is not the last character) or `$`; a group ending at `$`
    // cannot be followed by another octet, so the first three end with a dot and the whole
    // IPv4 branch means "o.o.o.o, then end of input or a dot followed by any character".
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.){3}(25[0-5]|(2[0-4]|1\d|[1-9]|)\d)($|\.[\s\S])|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
)];

/// Compiles a spec `pattern` with the `regex` crate, using the documented equivalent for the
/// look-around patterns it cannot compile.
pub fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    match Regex::new(pattern) {
        Ok(re) => Ok(re),
        Err(first) => match LOOKAROUND_EQUIVALENTS.iter().find(|(p, _)| *p == pattern) {
            Some((_, equivalent)) => Regex::new(equivalent)
                .map_err(|e| format!("equivalent of pattern {pattern:?} does not compile: {e}")),
            None => Err(format!(
                "pattern {pattern:?} does not compile with the regex crate ({first}) and has no \
                 documented equivalent in LOOKAROUND_EQUIVALENTS"
            )),
        },
    }
}
