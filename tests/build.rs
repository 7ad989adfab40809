//! Takes the environment's `RUN_SLOW_TESTS` and `CI`, gives the test binary `cfg(slow_tests)`.
//!
//! The slow tier (Baseten's history, Prism, the fuzz round, mixed eras, the whole API) is marked
//! `#[cfg_attr(not(slow_tests), ignore = "...")]`: without the switch, libtest lists each one as
//! ignored with the reason and counts it, so a test left out never passes as if it ran. The
//! switch is read when the tests are compiled (changing it rebuilds only this crate's tests).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(slow_tests)");
    println!("cargo::rerun-if-env-changed=RUN_SLOW_TESTS");
    println!("cargo::rerun-if-env-changed=CI");
    if on("RUN_SLOW_TESTS") || on("CI") {
        println!("cargo::rustc-cfg=slow_tests");
    }
}

/// Set, and not empty, `0` or `false`: `CI=true` and `RUN_SLOW_TESTS=1` turn it on.
fn on(variable: &str) -> bool {
    std::env::var(variable).is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"))
}
