//! Reading a source file's bytes: decoding (UTF-8, BOM, PEP 263) and encoding the fixed text back the same way, and
//! the generated-file test on a file's first lines. No IO: callers pass the bytes in.

/// A Python file's text as pyfix edits it, and how to write it back byte for byte.
#[derive(Debug)]
pub struct Decoded<'b> {
    /// Borrowed from the bytes when they are UTF-8 already (nearly every file): decoding copies nothing then.
    pub text: std::borrow::Cow<'b, str>,
    bom: bool,
    /// The declared (PEP 263) encoding when the file is not UTF-8.
    encoding: Option<&'static encoding_rs::Encoding>,
}

impl Decoded<'_> {
    /// The bytes to write for `text`: BOM and encoding as the file had them. `Err` when `text` holds a character
    /// the file's encoding cannot represent.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(b"\xef\xbb\xbf");
        }
        match self.encoding {
            None => out.extend_from_slice(text.as_bytes()),
            Some(enc) => {
                let (bytes, _, unmappable) = enc.encode(text);
                if unmappable {
                    return Err(format!("the fixed text cannot be encoded as {}; not written", enc.name()));
                }
                out.extend_from_slice(&bytes);
            }
        }
        Ok(out)
    }
}

/// Decodes a source file: UTF-8 (with or without BOM), else the encoding its PEP 263 declaration names, provided
/// the bytes survive a round trip through it (so writing back changes nothing but the edits).
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    // `memchr`'s vector search: `<[u8]>::contains` reads a word at a time (0.6 % of a run's instructions).
    if memchr::memchr(0, bytes).is_some() {
        return Err("binary file (contains NUL bytes); not a Python source file".into());
    }
    let (body, bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded { text: text.into(), bom, encoding: None }),
        Err(e) => {
            let Some(declared) = coding_declaration(body) else {
                return Err(format!(
                    "cannot decode as UTF-8 (invalid byte at offset {}) and no encoding is declared",
                    e.valid_up_to()
                ));
            };
            // Python's names for Latin-1 differ from the WHATWG labels encoding_rs knows.
            let label = match declared.as_str() {
                "latin-1" | "latin1" | "l1" | "iso-latin-1" | "iso8859-1" => "iso-8859-1",
                other => other,
            };
            let enc = encoding_rs::Encoding::for_label(label.as_bytes())
                .ok_or_else(|| format!("cannot decode: declared encoding `{declared}` is not supported"))?;
            // `# coding: utf-8` (or a BOM) over bytes that are not UTF-8: the bytes are wrong, not the declaration.
            if bom || enc == encoding_rs::UTF_8 {
                let declares = if bom { "a UTF-8 BOM".to_string() } else { format!("`coding: {declared}`") };
                return Err(format!(
                    "cannot decode as UTF-8 (invalid byte at offset {}) although it has {declares}",
                    e.valid_up_to()
                ));
            }
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            let round_trip = enc.encode(&text).0;
            if had_errors || round_trip.as_ref() != body {
                return Err(format!("cannot decode as declared encoding `{declared}` without loss"));
            }
            Ok(Decoded { text: text.into_owned().into(), bom, encoding: Some(enc) })
        }
    }
}

/// The PEP 263 encoding named in the first two lines, lowercased, with `_` read as `-`.
fn coding_declaration(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let trimmed = line.trim_start();
        if !trimmed.starts_with('#') {
            continue;
        }
        if let Some(i) = trimmed.find("coding") {
            let rest = &trimmed[i + "coding".len()..];
            if let Some(rest) = rest.strip_prefix([':', '=']) {
                let name: String = rest
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    .collect();
                if !name.is_empty() {
                    return Some(name.to_lowercase().replace('_', "-"));
                }
            }
        }
    }
    None
}

/// What `is_generated` reads of a file: its first 10 lines, within its first 4096 bytes (decoding no more).
pub(crate) fn head(bytes: &[u8]) -> &[u8] {
    let bytes = &bytes[..bytes.len().min(4096)];
    let tenth_newline = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(9);
    let end = tenth_newline.map_or(bytes.len(), |(i, _)| i + 1);
    &bytes[..end]
}

/// True when the first lines say the file is generated: a fix there is lost at the next generation, so such files
/// are left alone unless `include-generated` is set. What counts is `generated_line`'s.
pub fn is_generated(text: &str) -> bool {
    generated_line(text).is_some()
}

/// The first of the first 10 lines that says the file is generated (1-based, trimmed), ignoring case: `@generated`,
/// "do not edit", "automatically generated", or a comment saying "generated by" (`# Generated by Django 4.2`,
/// `# file generated by setuptools_scm`, `# Autogenerated by Thrift`). The README's list is this one. Nothing
/// looser: a Sphinx `conf.py` calls itself an "autogenerated file", and its owner edits it.
pub fn generated_line(text: &str) -> Option<(usize, &str)> {
    text.lines().take(10).enumerate().find(|(_, line)| says_generated(line)).map(|(i, line)| (i + 1, line.trim()))
}

fn says_generated(line: &str) -> bool {
    let l = line.to_lowercase();
    l.contains("@generated")
        || l.contains("do not edit")
        || l.contains("automatically generated")
        || (l.trim_start().starts_with('#') && l.contains("generated by"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_round_trips_bom_and_declared_encodings() {
        let d = decode(b"\xef\xbb\xbfx = 1\n").unwrap();
        assert_eq!(d.text, "x = 1\n");
        assert_eq!(d.encode("y = 2\n").unwrap(), b"\xef\xbb\xbfy = 2\n");
        let latin = b"# -*- coding: latin-1 -*-\ns = '\xe9'\n";
        let d = decode(latin).unwrap();
        assert!(d.text.contains('\u{e9}'));
        assert_eq!(d.encode(&d.text).unwrap(), latin);
        assert!(decode(b"x = '\xff'\n").unwrap_err().contains("UTF-8"));
        assert!(decode(b"x = 1\0\n").unwrap_err().contains("binary"));
    }

    #[test]
    fn generated_markers_are_the_readmes_and_ignore_case() {
        for head in [
            "# @generated\n",
            "# Code generated by protoc. DO NOT EDIT.\n",
            "# -*- coding: utf-8 -*-\n# Generated by Django 4.2 on 2024-01-01\n",
            "# file generated by setuptools_scm\n",
            "# Autogenerated by Thrift Compiler (0.9.3)\n",
            "\"\"\"This module was automatically generated.\"\"\"\n",
            "# Do Not Edit\n",
        ] {
            assert!(is_generated(head), "{head:?}");
        }
        // Sphinx's conf.py (sphinx-quickstart before 1.8), edited by hand.
        let sphinx = "# Configuration file for the Sphinx documentation builder.\n#\n# This file only contains a \
                      selection of the most common options. For a full\n# list see the documentation.\n# Note that \
                      not all possible configuration values are present in this\n# autogenerated file.\n";
        assert!(!is_generated(sphinx));
        assert!(!is_generated("# an auto-generated id\nx = 1\n"));
        assert!(!is_generated("x = 'generated by hand'\n"));
        assert_eq!(generated_line("x = 1\n  # @generated  \n"), Some((2, "# @generated")));
    }
}
