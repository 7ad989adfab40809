//! Drift between pages: the policy row by row (two declarations in, the merged schema and the
//! reconciliation lines out, from `tests/fixtures/drift/policy.yaml`), docs sites mixed from
//! Baseten's July and August specs through the whole pipeline, and the reviewed decisions
//! that settle a real conflict.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use xtask::Page;
use xtask::merge::{Outcome, Reconciliation};

use crate::check;

const JULY: &str = "baseten-management-2026-07-01.json";
const AUGUST: &str = "baseten-management-2026-08-22.json";

/// A standard-form page for one operation using `component` (declared as `schema`) as
/// its request body (`POST`) or its answer (`GET`); every other component it references is
/// declared as an empty object, alike on every page.
fn page(name: &str, component: &str, schema: &Value, sends: bool) -> Page {
    let reference = json!({ "$ref": format!("#/components/schemas/{component}") });
    let mut operation = json!({
        "summary": name,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
    });
    let method = if sends {
        operation["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": reference}}});
        "post"
    } else {
        operation["responses"]["200"]["content"]["application/json"]["schema"] = reference;
        "get"
    };
    let mut schemas = json!({ component: schema });
    for other in xtask::schema::refs(schema) {
        if let Some((_, name)) = xtask::schema::component_ref(other) {
            schemas[name.as_str()] = json!({"type": "object"});
        }
    }
    let path = format!("/v1/{name}");
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": { path.clone(): { method: operation } },
        "components": {"schemas": schemas},
    });
    // JSON is YAML: the page holds the document as the docs site's exporter might.
    let text = format!("# {name}\n\n````yaml {method} {path}\n{document:#}\n````\n");
    Page::new(format!("spec/{name}.md"), text)
}

struct Case {
    name: String,
    row: String,
    component: String,
    pages: Vec<Page>,
    expected: Result<(Value, Vec<String>), Vec<String>>,
}

fn cases() -> Vec<Case> {
    let path = crate::repo_root().join("tests/fixtures/drift/policy.yaml");
    let text = std::fs::read_to_string(&path).expect("tests/fixtures/drift/policy.yaml");
    let cases = xtask::yaml::from_str(&text).expect("policy.yaml parses");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().expect("a list").iter().map(|s| s.as_str().expect("a string").to_string()).collect()
    };
    cases
        .as_array()
        .expect("a list of cases")
        .iter()
        .map(|case| {
            let text =
                |key: &str| case[key].as_str().unwrap_or_else(|| panic!("a case without `{key}`: {case}")).to_string();
            let (row, component, direction) = (text("row"), text("component"), text("direction"));
            let july_sends = direction != "response";
            let august_sends = direction == "request";
            let pages = vec![
                page("july", &component, &case["july"], july_sends),
                page("august", &component, &case["august"], august_sends),
            ];
            let expected = match case.get("conflict") {
                Some(lines) => Err(strings(lines)),
                None => Ok((case["merged"].clone(), strings(&case["says"]))),
            };
            Case { name: format!("{row}: {}", text("source")), row, component, pages, expected }
        })
        .collect()
}

/// One case as it came out: the merged schema and reconciliation lines, or the error.
fn settle(case: &Case) -> Result<(Value, Vec<String>), String> {
    let merged = xtask::normalize_pages(&case.pages)
        .and_then(|operations| xtask::merge::merge(operations, &xtask::Decisions::default()));
    match merged {
        Ok(merged) => {
            let schema = merged.document["components"]["schemas"][&case.component].clone();
            Ok((schema, merged.reconciliations.iter().map(ToString::to_string).collect()))
        }
        Err(errors) => Err(errors.to_string()),
    }
}

/// What a case says when it does not come out as expected: every row's failure at once, each
/// with what it gave, in the fixture's own form.
fn mismatch(case: &Case) -> Option<String> {
    let gave = |merged: &Value, says: &[String]| {
        let says: String = says.iter().map(|l| format!("    - {}\n", Value::from(l.as_str()))).collect();
        format!("  merged: {merged}\n  says:\n{says}")
    };
    match (settle(case), &case.expected) {
        (Ok(actual), Ok(expected)) if actual == *expected => None,
        (Ok((merged, says)), Ok(_)) => {
            Some(format!("{}: merged otherwise; it gave\n{}", case.name, gave(&merged, &says)))
        }
        (Err(message), Err(needles)) => {
            let missing: Vec<&String> = needles.iter().filter(|n| !message.contains(n.as_str())).collect();
            (!missing.is_empty()).then(|| format!("{}: the error lacks {missing:?}:\n{message}", case.name))
        }
        (Ok((merged, says)), Err(_)) => {
            Some(format!("{}: merged, but a conflict was expected; it gave\n{}", case.name, gave(&merged, &says)))
        }
        (Err(message), Ok(_)) => Some(format!("{}: a conflict, but a merge was expected:\n{message}", case.name)),
    }
}

#[test]
fn each_policy_row_settles_its_case() {
    let failures: Vec<String> = cases().iter().filter_map(mismatch).collect();
    assert!(failures.is_empty(), "tests/fixtures/drift/policy.yaml:\n\n{}", failures.join("\n\n"));
}

#[test]
fn every_policy_row_has_a_case() {
    let covered: Vec<String> = cases().into_iter().map(|case| case.row).collect();
    let uncovered: Vec<String> = xtask::merge::policy::POLICY
        .iter()
        .filter(|row| !row.keywords.iter().any(|k| covered.iter().any(|c| c == k)))
        .map(|row| row.keywords.join(", "))
        .collect();
    check("tests/fixtures/drift/policy.yaml", "policy rows without a case", uncovered, vec![]);
    let unknown: Vec<&String> = covered
        .iter()
        .filter(|c| !xtask::merge::policy::POLICY.iter().any(|row| row.keywords.contains(&c.as_str())))
        .collect();
    check("tests/fixtures/drift/policy.yaml", "cases naming no policy row", unknown, vec![]);
}

#[test]
fn the_architecture_shows_the_policy_table_of_the_code() {
    let architecture = std::fs::read_to_string(crate::repo_root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let table = xtask::merge::policy::markdown();
    assert!(
        architecture.contains(&table),
        "ARCHITECTURE.md's drift policy table differs from the code's; it should read:\n{table}"
    );
}

fn spec(name: &str) -> Value {
    let text = std::fs::read_to_string(crate::repo_root().join("tests/fixtures/openapi").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A docs site whose pages were exported months apart: each operation's page from July or
/// August as `seed` picks, through the whole pipeline.
fn mixed_eras_build_and_report_drift_both_ways(seed: u64) {
    let mixed = xtask::cut::mix(&[spec(JULY), spec(AUGUST)], seed);
    let era: BTreeMap<String, usize> = mixed.iter().map(|m| (m.page.path.clone(), m.era)).collect();
    let july = era.values().filter(|e| **e == 0).count();
    assert!(july * 4 > era.len() && july * 4 < era.len() * 3, "mix {seed}: {july} of {} pages from July", era.len());
    let pages: Vec<Page> = mixed.into_iter().map(|m| m.page).collect();
    let run = crate::build(&pages).unwrap_or_else(|e| panic!("mix {seed}: the pipeline stopped:\n{e}"));
    check(&format!("mix {seed}"), "operations", run.endpoints.len(), era.len());
    // Something August's pages declare and July's lack, and the other way round.
    let direction = |has: usize| {
        run.reconciliations.iter().find(|r| {
            let side =
                |present: bool| r.sides.iter().find(|s| (s.says == "absent" || s.says.starts_with("not ")) != present);
            let pure = |side: Option<&xtask::merge::Side>, want: usize| {
                side.is_some_and(|s| s.pages.iter().all(|p| era[p] == want))
            };
            r.sides.len() == 2 && pure(side(true), has) && pure(side(false), 1 - has)
        })
    };
    let (added, dropped) = (direction(1), direction(0));
    assert!(added.is_some(), "mix {seed}: nothing August's pages declare and July's lack was reported");
    assert!(dropped.is_some(), "mix {seed}: nothing July's pages declare and August's lack was reported");
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (a whole-API site of two eras): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn mixed_eras_1() {
    mixed_eras_build_and_report_drift_both_ways(1);
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (a whole-API site built twice): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn a_mix_gives_the_same_bytes_whatever_the_order_of_its_pages() {
    let pages: Vec<Page> = xtask::cut::mix(&[spec(JULY), spec(AUGUST)], 2).into_iter().map(|m| m.page).collect();
    let forward = crate::build(&pages).unwrap_or_else(|e| panic!("mix 2: {e}"));
    let mut reversed = pages;
    reversed.reverse();
    let backward = crate::build(&reversed).unwrap_or_else(|e| panic!("mix 2 reversed: {e}"));
    check("mix 2, pages reversed", "generated files", &backward.files, &forward.files);
    let lines = |run: &xtask::Run| run.reconciliations.iter().map(ToString::to_string).collect::<Vec<_>>();
    check("mix 2, pages reversed", "reconciliations", lines(&backward), lines(&forward));
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (a whole-API site of two eras): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn mixed_eras_2() {
    mixed_eras_build_and_report_drift_both_ways(2);
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (a whole-API site of two eras): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn mixed_eras_3() {
    mixed_eras_build_and_report_drift_both_ways(3);
}

/// Reconciliations a run applied decisions in, as `(pointer, page, line)`.
fn decided(reconciliations: &[Reconciliation]) -> Vec<(String, String, usize)> {
    reconciliations
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Decided { page, line } => Some((r.at.clone(), page.clone(), *line)),
            _ => None,
        })
        .collect()
}

/// A scratch repository whose `spec/` holds the two pages of `tests/fixtures/drift/conflict/`:
/// July's `CreateGroupRequestV1.hierarchy` is a `GroupHierarchyV1`, August's a
/// `CreateGroupHierarchyV1`.
fn conflicting_pages(name: &str) -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("drift").join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("spec")).unwrap();
    for page in [JULY_PAGE, AUGUST_PAGE] {
        let from = crate::repo_root().join("tests/fixtures/drift/conflict").join(page.trim_start_matches("spec/"));
        std::fs::copy(from, root.join(page)).unwrap();
    }
    root
}

const JULY_PAGE: &str = "spec/post-v1-gateway-groups.md";
const AUGUST_PAGE: &str = "spec/post-v1-teams--team-id--gateway-groups.md";
const HIERARCHY: &str = "/components/schemas/CreateGroupRequestV1/properties/hierarchy";

#[test]
fn a_real_conflict_names_both_pages_and_the_decision_that_settles_it() {
    let root = conflicting_pages("conflict");
    let errors = xtask::codegen(&root).err().expect("a `$ref` naming another component is a conflict");
    let message = errors.to_string();
    let keep_august = format!("keep {AUGUST_PAGE} at #{HIERARCHY}");
    for needle in [
        format!("{AUGUST_PAGE}:47:9: `#{HIERARCHY}/$ref` differs between pages"),
        format!("on {JULY_PAGE}"),
        format!("keep {JULY_PAGE} at #{HIERARCHY}"),
        keep_august.clone(),
        "spec/drift-decisions.txt".to_string(),
    ] {
        assert!(message.contains(&needle), "the error lacks {needle:?}:\n{message}");
    }
    assert!(!root.join("generated").exists(), "a failed run wrote generated/");

    // The maintainer reviews it and keeps August's declaration.
    std::fs::write(root.join("spec/drift-decisions.txt"), format!("# August's page is today's API.\n{keep_august}\n"))
        .unwrap();
    let run = xtask::codegen(&root).unwrap_or_else(|e| panic!("the decision must settle the conflict:\n{e}")).run;
    check(
        "the decision",
        "decisions applied",
        decided(&run.reconciliations),
        vec![(HIERARCHY.to_string(), AUGUST_PAGE.to_string(), 2)],
    );
    check(
        "the decision",
        "the merged `hierarchy`",
        &run.merged.pointer(HIERARCHY).unwrap()["$ref"],
        &json!("#/components/schemas/CreateGroupHierarchyV1"),
    );
    let summary: Vec<String> = run.reconciliations.iter().map(ToString::to_string).collect();
    assert!(
        summary
            .iter()
            .any(|l| l.contains(&format!("{AUGUST_PAGE}'s declaration kept, as decided on line 2"))),
        "{summary:#?}"
    );

    // The pages come to agree (July's page is gone): the decision is stale, and says so.
    std::fs::remove_file(root.join(JULY_PAGE)).unwrap();
    let errors = xtask::codegen(&root).err().expect("a decision that settles nothing fails the run");
    check(
        "a stale decision",
        "errors",
        errors.0.iter().map(|e| format!("{}:{:?}: {}", e.file, e.line, e.message)).collect::<Vec<_>>(),
        vec![format!(
            "spec/drift-decisions.txt:Some(2): no conflict at `#{HIERARCHY}` any more: every page declares it alike, or none does"
        )],
    );
}

#[test]
fn a_decision_for_a_page_that_does_not_declare_the_pointer_fails() {
    let root = conflicting_pages("wrong-page");
    std::fs::write(root.join("spec/drift-decisions.txt"), format!("keep spec/other.md at #{HIERARCHY}\n")).unwrap();
    let message = xtask::codegen(&root).err().expect("the decision names no declaring page").to_string();
    let expected = format!("spec/drift-decisions.txt:1:1: spec/other.md does not declare `#{HIERARCHY}`");
    assert!(message.contains(&expected), "the error lacks {expected:?}:\n{message}");
}

#[test]
fn a_line_that_is_not_a_decision_fails_with_its_position() {
    let text = "# comments and blank lines are fine\n\nkeep spec/a.md\n  keep spec/a.md at /components/schemas/X\nkeep a.txt at #/components/schemas/X\nkeep spec/a.md at #/components/schemas/X\nkeep spec/b.md at #/components/schemas/X\n";
    let errors = xtask::Decisions::parse("spec/drift-decisions.txt", text).expect_err("four bad lines");
    let positions: Vec<(Option<u32>, Option<u32>)> = errors.0.iter().map(|e| (e.line, e.column)).collect();
    check(
        "four bad lines",
        "positions",
        positions,
        vec![(Some(3), Some(1)), (Some(4), Some(3)), (Some(5), Some(1)), (Some(7), Some(1))],
    );
    assert!(errors.0[3].message.contains("the first is on line 6"), "{errors}");
}

#[test]
fn the_policy_reconciles_every_subschema_the_walker_knows() {
    use xtask::merge::policy::{Rule, rule};
    // The merge visits a schema's children through its policy rows: they must be the same
    // children every other stage visits through `xtask::schema`.
    let unreconciled: Vec<&str> = xtask::schema::SUBSCHEMA_KEYWORDS
        .iter()
        .map(|(keyword, _)| *keyword)
        .filter(|keyword| !matches!(rule(keyword), Rule::Union | Rule::Members | Rule::Positional | Rule::Subschema))
        .collect();
    check(
        "xtask::schema::SUBSCHEMA_KEYWORDS",
        "keywords whose subschemas the merge does not reconcile",
        unreconciled,
        vec![],
    );
}

/// The two real spellings of `RequestBackpressurePolicyV1`, a page each, merged with `decisions`.
fn respelled(decisions: &str) -> Result<Value, String> {
    let schema = |values: [&str; 2]| json!({"type": "string", "title": "RequestBackpressurePolicyV1", "enum": values});
    let pages = [
        page("july", "RequestBackpressurePolicyV1", &schema(["queue_on_full", "reject_on_full"]), true),
        page("august", "RequestBackpressurePolicyV1", &schema(["QUEUE_ON_FULL", "REJECT_ON_FULL"]), false),
    ];
    let decisions = xtask::Decisions::parse("spec/drift-decisions.txt", decisions).map_err(|e| e.to_string())?;
    let merged = xtask::normalize_pages(&pages)
        .and_then(|operations| xtask::merge::merge(operations, &decisions))
        .map_err(|e| e.to_string())?;
    Ok(merged.document["components"]["schemas"]["RequestBackpressurePolicyV1"].clone())
}

#[test]
fn a_send_decision_picks_the_spelling_a_respelled_value_sends() {
    let at = "#/components/schemas/RequestBackpressurePolicyV1";
    let both = format!("send queue_on_full at {at}\nsend reject_on_full at {at}\n");
    let merged = respelled(&both).unwrap_or_else(|e| panic!("{e}"));
    check(
        "send queue_on_full, send reject_on_full",
        "the merged enum",
        merged,
        json!({
            "enum": ["queue_on_full", "QUEUE_ON_FULL", "reject_on_full", "REJECT_ON_FULL"],
            "title": "RequestBackpressurePolicyV1",
            "type": "string",
            "x-aliases": {"QUEUE_ON_FULL": "queue_on_full", "REJECT_ON_FULL": "reject_on_full"},
        }),
    );
    let one = respelled(&format!("send queue_on_full at {at}\n")).unwrap_or_else(|e| panic!("{e}"));
    check(
        "send queue_on_full",
        "the aliases",
        &one["x-aliases"],
        &json!({"QUEUE_ON_FULL": "queue_on_full", "reject_on_full": "REJECT_ON_FULL"}),
    );
    let twice = respelled(&format!("send queue_on_full at {at}\nsend QUEUE_ON_FULL at {at}\n"))
        .expect_err("two spellings of one value");
    let expected =
        "spec/drift-decisions.txt:2:1: `QUEUE_ON_FULL` and `queue_on_full` (line 1) are spellings of one value";
    assert!(twice.contains(expected), "the error lacks {expected:?}:\n{twice}");
    let stale = respelled(&format!("# no such spelling\nsend queue_on_ful at {at}\n")).expect_err("a stale spelling");
    let expected =
        format!("spec/drift-decisions.txt:2:1: `{at}` has no value spelled several ways that `queue_on_ful`");
    assert!(stale.contains(&expected), "the error lacks {expected:?}:\n{stale}");
    let nowhere = "#/components/schemas/Nothing";
    let unused = respelled(&format!("send X at {nowhere}\n")).expect_err("a spelling for no enum");
    let expected = format!("spec/drift-decisions.txt:1:1: no enum at `{nowhere}` spells a value several ways");
    assert!(unused.contains(&expected), "the error lacks {expected:?}:\n{unused}");
}

/// Where eras' bounds disagree so much that what every era accepts is narrower than any page
/// meant (`max_scale_down_rate`: a rate in (1, 2], then a percentage in [1, 50]), a `keep` line
/// chooses one page's bounds; without it the client sends the intersection.
#[test]
fn a_keep_decision_chooses_one_page_s_bounds_over_their_intersection() {
    const AT: &str = "/components/schemas/UpdateAutoscalingSettingsV1/properties/max_scale_down_rate";
    let settings = |rate: Value| json!({"type": "object", "properties": {"max_scale_down_rate": rate}});
    let pages = vec![
        page(
            "july",
            "UpdateAutoscalingSettingsV1",
            &settings(json!({"type": "number", "exclusiveMinimum": 1, "maximum": 2})),
            true,
        ),
        page(
            "august",
            "UpdateAutoscalingSettingsV1",
            &settings(json!({"type": "integer", "minimum": 1, "maximum": 50})),
            true,
        ),
    ];
    let merge = |decisions: &str| {
        let decisions = xtask::Decisions::parse("spec/drift-decisions.txt", decisions).expect("decisions parse");
        let operations = xtask::normalize_pages(&pages).expect("pages normalize");
        xtask::merge::merge(operations, &decisions).unwrap_or_else(|e| panic!("{e}"))
    };
    let bounds = |merged: &xtask::merge::Merged| {
        let rate = merged.document.pointer(AT).expect("the property").clone();
        (rate.get("minimum").cloned(), rate.get("exclusiveMinimum").cloned(), rate.get("maximum").cloned())
    };
    let intersection = merge("");
    check("no decision", "bounds", bounds(&intersection), (Some(json!(1)), Some(json!(1)), Some(json!(2))));
    let decided_merge = merge(&format!("# today's API takes a percentage\nkeep spec/august.md at #{AT}\n"));
    check("keep august", "bounds", bounds(&decided_merge), (Some(json!(1)), None, Some(json!(50))));
    check(
        "keep august",
        "decided",
        decided(&decided_merge.reconciliations),
        vec![(AT.to_string(), "spec/august.md".to_string(), 2)],
    );
}
