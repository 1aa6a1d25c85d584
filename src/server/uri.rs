//! `file:` URIs and paths (RFC 8089, as editors write them: `file:///home/u/a%20b.py`). Other schemes (`untitled:`,
//! a notebook cell's) have no path.

use std::path::{Path, PathBuf};

/// The path of a `file:` URI; `None` for another scheme or a host other than `localhost`.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://").or_else(|| uri.strip_prefix("FILE://"))?;
    let (host, path) = rest.split_at(rest.find('/')?);
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let bytes = decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        // file:///C:/x -> C:/x
        let s = String::from_utf8(bytes).ok()?;
        let s = if s.as_bytes().get(2) == Some(&b':') { &s[1..] } else { &s[..] };
        Some(PathBuf::from(s))
    }
}

/// The `file:` URI of an absolute path.
pub fn from_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') { s } else { format!("/{s}") };
    let mut out = String::from("file://");
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_through_paths() {
        assert_eq!(to_path("file:///home/u/a%20b.py"), Some(PathBuf::from("/home/u/a b.py")));
        assert_eq!(to_path("file://localhost/x.py"), Some(PathBuf::from("/x.py")));
        assert_eq!(to_path("file:///h/%C3%A9.py"), Some(PathBuf::from("/h/é.py")));
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("file://server/share/x.py"), None);
        assert_eq!(to_path("file:///bad%2"), None);
        let path = Path::new("/tmp/a b/é#1.py");
        assert_eq!(from_path(path), "file:///tmp/a%20b/%C3%A9%231.py");
        assert_eq!(to_path(&from_path(path)).as_deref(), Some(path));
    }
}
