use super::*;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/docker-messages"
);

/// (file name, expected id, message without comment lines, exit code from `# exit-code: N`).
fn fixtures() -> Vec<(String, String, String, Option<i32>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let id = name
            .trim_end_matches(".txt")
            .split("--")
            .next()
            .unwrap()
            .to_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let exit_code = text
            .lines()
            .find_map(|l| l.strip_prefix("# exit-code: "))
            .map(|code| code.trim().parse().unwrap());
        let message: String = text
            .lines()
            .filter(|l| !l.starts_with("# "))
            .map(|l| format!("{l}\n"))
            .collect();
        found.push((name, id, message, exit_code));
    }
    found.sort();
    found
}

#[test]
fn every_fixture_is_explained_by_its_entry() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 30, "only {} fixtures", fixtures.len());
    for (name, id, message, exit_code) in &fixtures {
        let got = explain_failure(message, *exit_code).map(|e| e.id);
        assert_eq!(got, Some(id.as_str()), "{name}: {message}");
    }
}

#[test]
fn every_entry_has_a_fixture() {
    let fixtures = fixtures();
    for explanation in all() {
        assert!(
            fixtures.iter().any(|(_, id, _, _)| id == explanation.id),
            "no fixture for {}",
            explanation.id
        );
    }
}

#[test]
fn ordinary_failures_are_not_explained() {
    for text in [
        "ls: cannot access 'nope': No such file or directory\n",
        "Traceback (most recent call last):\nValueError: bad\n",
        "grep: pattern not found\n",
        "",
    ] {
        assert_eq!(explain_failure(text, Some(1)), None, "{text}");
    }
    assert_eq!(
        explain_failure("", Some(137)).map(|e| e.id),
        Some("out-of-memory")
    );
}

#[test]
fn fixes_exist_for_every_os() {
    for explanation in all() {
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            assert!(!explanation.fix.for_os(os).is_empty(), "{}", explanation.id);
        }
        assert!(!explanation.cause.is_empty() && !explanation.cause.contains('\n'));
    }
}

#[test]
fn ids_are_unique() {
    let mut ids: Vec<_> = all().map(|e| e.id).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len());
}
