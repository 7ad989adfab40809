//! Every operation of the client against Prism serving the crate's own `openapi.yaml` (or the
//! documents `BASETEN_CONTRACT_DOCUMENTS` names): requests the document accepts, responses the
//! types decode, no enum value the client does not list. The cases are generated from the
//! spec (`contract/cases.rs`); `contract/prism.rs` runs them.

#[path = "contract/cases.rs"]
mod cases;
#[path = "contract/prism.rs"]
mod prism;

#[test]
fn every_operation_against_prism() {
    let cases = cases::cases();
    let expected = prism::expected();
    let mut failures = Vec::new();
    for document in prism::documents(env!("CARGO_MANIFEST_DIR")) {
        let tally = prism::run(&document, &cases, prism::calls_per_case());
        eprintln!(
            "{}: {} cases, {} calls; {} not in the document, {} requests it rejects (responses only)",
            document.path.display(),
            cases.len(),
            tally.calls,
            tally.absent.len(),
            tally.rejected.len()
        );
        if !document.partial && !tally.absent.is_empty() {
            failures.push(format!("{}: lacks {:?}", document.path.display(), tally.absent));
        }
        failures.extend(tally.failures);
    }
    // `doc: operation` covers both of its cases; `doc: operation (arguments)` one.
    let covers = |e: &str, failure: &str| failure.starts_with(&format!("{e} (")) || failure.starts_with(&format!("{e},"));
    let (known, failures): (Vec<String>, Vec<String>) =
        failures.into_iter().partition(|failure| expected.iter().any(|e| covers(e, failure)));
    let stale: Vec<&String> = expected.iter().filter(|e| !known.iter().any(|k| covers(e, k))).collect();
    assert!(
        failures.is_empty() && stale.is_empty(),
        "{} contract failure(s):\n{}\n{} expected failure(s) that did not happen (remove them from {}):\n{stale:#?}",
        failures.len(),
        failures.join("\n"),
        stale.len(),
        prism::EXPECTED_VAR
    );
}
