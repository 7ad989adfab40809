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
            "{}: {} cases, {} calls; {} not in the document, {} requests it rejects (responses only), \
             {} answers Prism generated against its document (called again)",
            document.path.display(),
            cases.len(),
            tally.calls,
            tally.absent.len(),
            tally.rejected.len(),
            tally.broken_by_prism
        );
        if !document.partial && !tally.absent.is_empty() {
            failures.push(format!("{}: lacks {:?}", document.path.display(), tally.absent));
        }
        failures.extend(tally.failures);
    }
    let (failures, stale) = prism::against(failures, &expected);
    assert!(
        failures.is_empty() && stale.is_empty(),
        "{} contract failure(s):\n{}\n{} expected failure(s) that did not happen (remove them from {}):\n{stale:#?}",
        failures.len(),
        failures.join("\n"),
        stale.len(),
        prism::EXPECTED_VAR
    );
}
