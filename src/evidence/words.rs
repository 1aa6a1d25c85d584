//! Numbers as a verdict says them: counts with thousands separators (`48,213`), sizes in decimal units (`120 MB`).

/// `48213` -> `48,213`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `412_000_000` -> `412 MB`, `3_100_000` -> `3.1 MB`, `900` -> `900 bytes`: one decimal below 10 of a unit.
pub fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "KB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let v = bytes as f64 / unit as f64;
            return if v < 10.0 { format!("{v:.1} {name}") } else { format!("{:.0} {name}", v.floor()) };
        }
    }
    if bytes == 1 {
        "1 byte".into()
    } else {
        format!("{bytes} bytes")
    }
}

/// `1 entry` / `2 entries` style plurals: `word` is the singular, `plural` the plural.
pub fn counted(n: u64, word: &str, plural: &str) -> String {
    format!("{} {}", count(n), if n == 1 { word } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_204), "1,204");
        assert_eq!(count(48_213), "48,213");
        assert_eq!(count(3_100_000), "3,100,000");
        assert_eq!(size(412_000_000), "412 MB");
        assert_eq!(size(3_150_000), "3.1 MB");
        assert_eq!(size(56_000), "56 KB");
        assert_eq!(size(900), "900 bytes");
        assert_eq!(counted(1, "entry", "entries"), "1 entry");
    }
}
