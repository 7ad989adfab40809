//! The docs that list what the code has stay true: CONTRIBUTING's list of the client's test
//! modules is the modules `main.rs` puts behind the `client` feature.

use crate::{check, repo_root};

/// The modules `main.rs` declares right after `#[cfg(feature = "client")]`.
fn client_modules(main: &str) -> Vec<String> {
    let lines: Vec<&str> = main.lines().collect();
    let after_the_feature = lines.windows(2).filter(|pair| pair[0].trim() == r#"#[cfg(feature = "client")]"#);
    let names = after_the_feature.filter_map(|pair| pair[1].trim().strip_prefix("mod ")?.strip_suffix(';'));
    names.map(str::to_string).collect()
}

/// The modules CONTRIBUTING names in its sentence on the client's tests.
fn listed_in_contributing(contributing: &str) -> Vec<String> {
    let start = contributing.find("The client's tests (").expect("CONTRIBUTING.md's sentence on the client's tests");
    let list = &contributing[start + "The client's tests (".len()..];
    let list = &list[..list.find(')').expect("the list closes")];
    list.split(',').map(|name| name.trim().trim_matches('`').to_string()).collect()
}

#[test]
fn contributing_lists_the_client_test_modules() {
    let read = |path: &str| std::fs::read_to_string(repo_root().join(path)).expect(path);
    let declared = client_modules(&read("tests/it/main.rs"));
    assert!(declared.len() > 5, "main.rs's client modules not found: {declared:?}");
    check("CONTRIBUTING.md", "the client's test modules", listed_in_contributing(&read("CONTRIBUTING.md")), declared);
}
