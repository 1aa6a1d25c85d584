//! What a run of the test command says about each test: pytest's JUnit XML report when it wrote one, else the
//! output of `python -m unittest -v` / `python -m test -v` (`name (id) ... ok|FAIL|ERROR` lines and the
//! `FAIL: name (id)` sections with their tracebacks), else only the exit status. And `broken`: the tests a run
//! fails that the baseline passed.

use std::collections::BTreeMap;

use super::command::{Ended, Ran};

/// One run, read.
#[derive(Clone, Debug)]
pub struct Results {
    pub ended: Ended,
    /// Test id -> `None` passed, `Some(first error line)` failed or errored (skipped tests are left out). Empty
    /// when the output names no test.
    pub tests: BTreeMap<String, Option<String>>,
    /// The output's last non-empty line: what a failure of the command as a whole says.
    pub last_line: String,
}

/// A test a run broke (or the command as a whole, named `(the command)`), with its first error line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    pub test: String,
    pub error: String,
}

/// What stands for the command as a whole when no test is named.
pub const WHOLE: &str = "(the command)";

impl Results {
    pub fn read(ran: &Ran) -> Results {
        let mut tests = ran.junit.as_deref().map(junit).unwrap_or_default();
        if tests.is_empty() {
            tests = unittest(&ran.output);
        }
        let last_line = ran.output.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
        Results { ended: ran.ended.clone(), tests, last_line }
    }

    pub fn passed(&self) -> bool {
        self.ended == Ended::Exited(0)
    }

    pub fn failed(&self) -> impl Iterator<Item = (&String, &String)> {
        self.tests.iter().filter_map(|(t, e)| e.as_ref().map(|e| (t, e)))
    }

    /// "3 tests: 2 passed, 1 failed (a.T.test_x)" or "exit status 1".
    pub fn describe(&self) -> String {
        let status = match &self.ended {
            Ended::Exited(code) => format!("exit status {code}"),
            Ended::TimedOut(t) => format!("timed out after {} s", t.as_secs()),
            Ended::Interrupted => "interrupted".to_string(),
        };
        if self.tests.is_empty() {
            return status;
        }
        let failed: Vec<&str> = self.failed().map(|(t, _)| t.as_str()).collect();
        let mut s = format!("{} tests, {} passed", self.tests.len(), self.tests.len() - failed.len());
        if !failed.is_empty() {
            s.push_str(&format!(", {} failed ({})", failed.len(), failed.join(", ")));
        }
        format!("{s}; {status}")
    }
}

/// The tests `now` fails that `baseline` passed; when neither names tests that explain it, the command as a whole
/// (it passed before and fails now, or it now times out). Tests in `flaky` are not counted.
pub fn broken(baseline: &Results, now: &Results, flaky: &std::collections::BTreeSet<String>) -> Vec<Broken> {
    let mut out: Vec<Broken> = now
        .failed()
        .filter(|(t, _)| !flaky.contains(*t))
        .filter(|(t, _)| match baseline.tests.get(*t) {
            Some(before) => before.is_none(),
            // A test the baseline did not name: new only when the baseline named no test and passed.
            None => baseline.tests.is_empty() && baseline.passed(),
        })
        .map(|(t, e)| Broken { test: t.clone(), error: e.clone() })
        .collect();
    if !out.is_empty() || flaky.contains(WHOLE) {
        return out;
    }
    let whole = match &now.ended {
        Ended::TimedOut(t) if !matches!(baseline.ended, Ended::TimedOut(_)) => {
            Some(format!("timed out after {} s", t.as_secs()))
        }
        Ended::Exited(code) if *code != 0 && baseline.passed() => {
            Some(format!("exit status {code}: {}", now.last_line))
        }
        // Tests the baseline passed that no longer ran (the run crashed part-way).
        Ended::Exited(code) if *code != 0 && !now.tests.is_empty() => {
            let missing = baseline.tests.iter().find(|(t, e)| e.is_none() && !now.tests.contains_key(*t));
            missing.map(|(t, _)| format!("{t} no longer ran; exit status {code}: {}", now.last_line))
        }
        _ => None,
    };
    out.extend(whole.map(|error| Broken { test: WHOLE.to_string(), error }));
    out
}

/// pytest's `--junitxml` report: `<testcase classname=".." name="..">` with a `<failure message="..">` or
/// `<error message="..">` child when it failed.
fn junit(xml: &str) -> BTreeMap<String, Option<String>> {
    let mut tests = BTreeMap::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<testcase") {
        rest = &rest[start + "<testcase".len()..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let id = match (attribute(tag, "classname"), attribute(tag, "name")) {
            (Some(c), Some(n)) if !c.is_empty() => format!("{c}.{n}"),
            (_, Some(n)) => n,
            _ => continue,
        };
        let body = if tag.ends_with('/') {
            ""
        } else {
            let end = rest.find("</testcase>").unwrap_or(rest.len());
            &rest[tag_end..end]
        };
        if body.contains("<skipped") {
            continue;
        }
        let failure = ["<failure", "<error"].iter().find_map(|open| {
            let at = body.find(open)?;
            let tag = &body[at..body[at..].find('>').map_or(body.len(), |e| at + e)];
            Some(attribute(tag, "message").unwrap_or_default().lines().next().unwrap_or("").to_string())
        });
        tests.insert(id, failure);
    }
    tests
}

/// The value of `name="..."` in an XML start tag, unescaped.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')? + at;
    let raw = &tag[at..end];
    Some(
        raw.replace("&#10;", "\n")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// unittest's verbose lines and failure sections. A test id is `module.Class.name`.
fn unittest(output: &str) -> BTreeMap<String, Option<String>> {
    let mut tests = BTreeMap::new();
    let lines: Vec<&str> = output.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((head, status)) = line.rsplit_once(" ... ") else { continue };
        // A docstring's first line stands between the test's name and its status.
        let id = test_id(head).or_else(|| i.checked_sub(1).and_then(|p| test_id(lines[p])));
        let Some(id) = id else { continue };
        let status = status.trim();
        // A skipped test neither passed nor failed: it cannot break.
        if status.starts_with("skipped") || status == "expected failure" {
            continue;
        }
        let failed = status == "FAIL" || status == "ERROR" || status == "unexpected success";
        tests.insert(id, failed.then(|| status.to_string()));
    }
    // The sections: "FAIL: name (id)", a rule of dashes, the traceback; its last unindented line is the error.
    let mut i = 0;
    while i < lines.len() {
        let section = ["FAIL: ", "ERROR: "].iter().find_map(|p| lines[i].strip_prefix(p)).and_then(test_id);
        let Some(id) = section else {
            i += 1;
            continue;
        };
        let mut error = String::new();
        i += 1;
        while i < lines.len() && !lines[i].starts_with("=====") && !lines[i].starts_with("-----") {
            i += 1;
        }
        i += 1;
        while i < lines.len() && !lines[i].starts_with("=====") && !lines[i].starts_with("-----") {
            let l = lines[i];
            if !l.trim().is_empty() && !l.starts_with(' ') && !l.starts_with("Traceback") {
                error = l.trim().to_string();
            }
            i += 1;
        }
        if error.is_empty() {
            error = "failed".to_string();
        }
        tests.insert(id, Some(error));
    }
    tests
}

/// `name (module.Class.name)` (Python 3.11+) or `name (module.Class)` -> `module.Class.name`.
fn test_id(head: &str) -> Option<String> {
    let head = head.trim();
    let (name, rest) = head.split_once(" (")?;
    let inner = rest.split_once(')')?.0;
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if !ok(name) || !ok(inner) || !inner.contains('.') {
        return None;
    }
    Some(if inner.ends_with(&format!(".{name}")) { inner.to_string() } else { format!("{inner}.{name}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ran(output: &str, code: i32) -> Results {
        Results::read(&Ran { ended: Ended::Exited(code), output: output.to_string(), junit: None })
    }

    #[test]
    fn unittest_verbose_lines_and_sections() {
        let out = "test_a (t.T.test_a) ... ok\ntest_s (t.T.test_s) ... skipped 'no network'\ntest_b (t.T.test_b)\nIts docstring ... FAIL\n\
                   test_c (t.T) ... ERROR\n\
                   ======================================================================\n\
                   FAIL: test_b (t.T.test_b)\n\
                   ----------------------------------------------------------------------\n\
                   Traceback (most recent call last):\n  File \"t.py\", line 3, in test_b\n    x()\n\
                   AssertionError: 1 != 2\n\n\
                   ======================================================================\n\
                   ERROR: test_c (t.T)\n\
                   ----------------------------------------------------------------------\n\
                   Traceback (most recent call last):\nKeyError: 'x'\n\n\
                   ----------------------------------------------------------------------\n\
                   Ran 3 tests in 0.001s\n\nFAILED (failures=1, errors=1)\n";
        let r = ran(out, 1);
        assert_eq!(r.tests.get("t.T.test_a"), Some(&None));
        assert_eq!(r.tests.get("t.T.test_s"), None);
        assert_eq!(r.tests.get("t.T.test_b"), Some(&Some("AssertionError: 1 != 2".to_string())));
        assert_eq!(r.tests.get("t.T.test_c"), Some(&Some("KeyError: 'x'".to_string())));
        assert_eq!(r.last_line, "FAILED (failures=1, errors=1)");
    }

    #[test]
    fn junit_report() {
        let xml = r#"<testsuite><testcase classname="tests.test_a" name="test_ok" time="0.1" />
            <testcase classname="tests.test_a" name="test_bad"><failure message="assert 1 == 2&#10;more">x</failure></testcase>
            </testsuite>"#;
        let r = Results::read(&Ran { ended: Ended::Exited(1), output: String::new(), junit: Some(xml.into()) });
        assert_eq!(r.tests.get("tests.test_a.test_ok"), Some(&None));
        assert_eq!(r.tests.get("tests.test_a.test_bad"), Some(&Some("assert 1 == 2".to_string())));
    }

    #[test]
    fn broken_is_what_passed_before_and_fails_now() {
        let before = ran("test_a (t.T.test_a) ... ok\ntest_b (t.T.test_b) ... FAIL\n", 1);
        let now = ran("test_a (t.T.test_a) ... FAIL\ntest_b (t.T.test_b) ... FAIL\n", 1);
        let none = Default::default();
        let b = broken(&before, &now, &none);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].test, "t.T.test_a");
        // No test named: the command as a whole, when it passed before.
        let b = broken(&ran("fine\n", 0), &ran("boom\n", 2), &none);
        assert_eq!(b, vec![Broken { test: WHOLE.into(), error: "exit status 2: boom".into() }]);
        assert!(broken(&ran("x\n", 1), &ran("y\n", 1), &none).is_empty());
    }
}
