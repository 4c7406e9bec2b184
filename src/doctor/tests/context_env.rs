//! `DOCKER_CONTEXT` naming a context that does not exist: `docker context use` changes
//! nothing while the variable is set, so no check may offer it as the fix (issue 12 item 11).

use super::*;
use crate::doctor::fake::*;

fn ghost_context_from_env() -> FakeProbe {
    FakeProbe::healthy()
        .cmd(VERSION, "version_context_missing_28")
        .cmd(INFO, "info_unreachable_28")
        .cmd(CONTEXTS, "context_ls_missing_28")
        .env("DOCKER_CONTEXT", "ghost")
}

#[test]
fn a_missing_context_selected_by_docker_context_is_fixed_by_unsetting_it() {
    let report = run(&ghost_context_from_env());
    for id in ["context", "daemon"] {
        let fix = fix_text(&report, id);
        assert!(fix.contains("unset DOCKER_CONTEXT"), "{id}: {fix}");
        assert!(
            fix.contains("Remove-Item Env:DOCKER_CONTEXT"),
            "{id}: {fix}"
        );
        let steps = &report.check(id).unwrap().fix.as_ref().unwrap().steps;
        let commands: Vec<&String> = steps.iter().flat_map(|s| &s.commands).collect();
        assert!(
            !commands.iter().any(|c| c.starts_with("docker context use")),
            "{id}: {fix}"
        );
        assert!(fix.contains("DOCKER_CONTEXT=ghost"), "{id}: {fix}");
        assert!(fix.contains("(default, dgtest)"), "{id}: {fix}");
    }
}

#[test]
fn without_the_variable_the_fix_still_switches_context() {
    let report = run(&ghost_context_from_env().env("DOCKER_CONTEXT", ""));
    let fix = fix_text(&report, "context");
    assert!(fix.contains("docker context use default"), "{fix}");
    assert!(!fix.contains("unset DOCKER_CONTEXT"), "{fix}");
}
