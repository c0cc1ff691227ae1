//! The metadata header of a guest program.
//!
//! A guest program may start with `//` comment lines; those of the form `// key: value`
//! with a known key configure how it is run. Other comment lines are just description.
//!
//! | key       | meaning                                                             |
//! |-----------|---------------------------------------------------------------------|
//! | `args:`   | command-line arguments after argv[0], shell-quoted (`a "b c" ''`)  |
//! | `env:`    | environment variables, `K=V` words, shell-quoted; added to the base |
//! | `stdin:`  | one line of standard input (a newline is appended); may repeat      |
//! | `cflags:` | extra compiler flags (e.g. `-lm`), shell-quoted                     |
//! | `exit:`   | the exit code qemu must report (128 + N if killed by signal N)     |
//! | `fault:`  | the translated run must end stderr with elfconv2's fault report     |
//! |           | starting with this text (e.g. `SIGSEGV: invalid memory access at 0x10`); |
//! |           | qemu prints no such line, so it is removed before comparing         |
//! | `translate:` | extra `elfconv2 translate`/`run` options, e.g. `-O0`            |
//! | `interpreted:` | `yes`: the program hides code from discovery on purpose, so     |
//! |           | `elfconv2 run` may interpret it; every other program runs with      |
//! |           | `--no-interpret`, where reaching code discovery missed is a failure |
//!
//! `args:`, `env:`, `cflags:` and `translate:` may repeat; their words accumulate.

/// Parsed header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub stdin: Vec<u8>,
    pub cflags: Vec<String>,
    pub exit: Option<i32>,
    pub fault: Option<String>,
    pub interpreted: bool,
    pub translate: Vec<String>,
}

/// How elfconv2's runtime starts the one-line report of a fatal guest fault.
pub const FAULT_REPORT_PREFIX: &str = "elfconv2: guest ";

impl Meta {
    /// Checks that `stderr` ends with the fault report the header asks for
    /// and returns `stderr` without it (qemu prints no report). Without a
    /// `fault:` key, `stderr` is returned unchanged.
    pub fn strip_fault_report(&self, stderr: &[u8]) -> Result<Vec<u8>, String> {
        let Some(want) = &self.fault else {
            return Ok(stderr.to_vec());
        };
        let text = String::from_utf8_lossy(stderr);
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let (before, last) = match body.rfind('\n') {
            Some(i) => (&body[..=i], &body[i + 1..]),
            None => ("", body),
        };
        let expected = format!("{FAULT_REPORT_PREFIX}{want}");
        if !last.starts_with(&expected) {
            return Err(format!(
                "stderr must end with a fault report starting `{expected}`, but its last line is `{last}`"
            ));
        }
        Ok(before.as_bytes().to_vec())
    }
}

impl Meta {
    /// Parses the leading comment block of `source`.
    pub fn parse(source: &str) -> Result<Meta, String> {
        let mut meta = Meta::default();
        for (lineno, line) in source.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let Some(comment) = line.strip_prefix("//") else {
                break;
            };
            let comment = comment.trim_start();
            let Some((key, value)) = comment.split_once(':') else {
                continue;
            };
            let at = |e: String| format!("line {}: {e}", lineno + 1);
            match key.trim() {
                "args" => meta.args.extend(split_words(value).map_err(at)?),
                "cflags" => meta.cflags.extend(split_words(value).map_err(at)?),
                "translate" => meta.translate.extend(split_words(value).map_err(at)?),
                "env" => {
                    for word in split_words(value).map_err(at)? {
                        let Some((k, v)) = word.split_once('=') else {
                            return Err(at(format!("env entry `{word}` is not K=V")));
                        };
                        meta.env.push((k.to_string(), v.to_string()));
                    }
                }
                "stdin" => {
                    // One space after the colon separates; the rest is taken verbatim.
                    let v = value.strip_prefix(' ').unwrap_or(value);
                    meta.stdin.extend_from_slice(v.as_bytes());
                    meta.stdin.push(b'\n');
                }
                "exit" => {
                    let v = value.trim();
                    meta.exit = Some(
                        v.parse()
                            .map_err(|_| at(format!("exit code `{v}` is not a number")))?,
                    );
                }
                "fault" => meta.fault = Some(value.trim().to_string()),
                "interpreted" => match value.trim() {
                    "yes" => meta.interpreted = true,
                    "no" => meta.interpreted = false,
                    other => {
                        return Err(at(format!("interpreted: expects yes or no, got `{other}`")))
                    }
                },
                _ => {}
            }
        }
        Ok(meta)
    }
}

/// Splits a string into words like a POSIX shell would (no expansions):
/// whitespace separates, `'...'` is literal, `"..."` allows `\"` and `\\`, `\x` outside quotes is `x`.
pub fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => cur.push(c),
                        None => return Err(format!("unterminated ' in `{s}`")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => cur.push(c),
                            Some(c) => {
                                cur.push('\\');
                                cur.push(c);
                            }
                            None => return Err(format!("unterminated \" in `{s}`")),
                        },
                        Some(c) => cur.push(c),
                        None => return Err(format!("unterminated \" in `{s}`")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => cur.push(c),
                    None => return Err(format!("trailing backslash in `{s}`")),
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(
            split_words(r#"a "b c" '' 'd"e' f\ g "h\"i""#).unwrap(),
            vec!["a", "b c", "", "d\"e", "f g", "h\"i"]
        );
        assert_eq!(split_words("   ").unwrap(), Vec::<String>::new());
        assert!(split_words("'open").is_err());
    }

    #[test]
    fn header() {
        let src = "// A description: with a colon in it\n\
                   // args: one \"two words\"\n\
                   // env: FOO=bar EMPTY=\n\
                   // stdin: line one\n\
                   // stdin:   indented\n\
                   // exit: 42\n\
                   #include <stdio.h>\n\
                   // args: ignored after code\n";
        let m = Meta::parse(src).unwrap();
        assert_eq!(m.args, vec!["one", "two words"]);
        assert_eq!(
            m.env,
            vec![
                ("FOO".to_string(), "bar".to_string()),
                ("EMPTY".to_string(), String::new())
            ]
        );
        assert_eq!(m.stdin, b"line one\n  indented\n");
        assert_eq!(m.exit, Some(42));
    }

    #[test]
    fn bad_env() {
        assert!(Meta::parse("// env: NOEQUALS\n").is_err());
    }
}
