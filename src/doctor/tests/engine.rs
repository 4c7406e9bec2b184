//! Engine states: healthy, unreachable, permission, contexts, hung, Desktop, colima.

use super::*;
use crate::doctor::fake::*;
use crate::doctor::probe::{CommandOutput, OsFamily, Platform};
use crate::doctor::report::Status;

#[test]
fn healthy_engine_of_this_machine() {
    let report = run(&FakeProbe::healthy());
    for id in [
        "docker",
        "daemon",
        "permission",
        "context",
        "compose",
        "disk",
        "memory",
        "arch",
        "ports",
        "images",
    ] {
        assert_eq!(
            status(&report, id),
            &Status::Pass,
            "{id}: {:?}",
            report.check(id)
        );
    }
    assert_eq!(status(&report, "buildx"), &Status::Warn);
    assert!(
        report.check("registry").is_none(),
        "registry runs only with --deep"
    );
    let daemon = report.check("daemon").expect("daemon");
    assert!(
        daemon
            .message
            .contains("engine 20.10.24+dfsg1, API 1.41, linux/amd64"),
        "{}",
        daemon.message
    );
    let runtime = report.runtime.as_ref().expect("runtime");
    assert_eq!(runtime.kind.as_deref(), Some("engine"));
    assert_eq!(runtime.client_version.as_deref(), Some("28.2.2"));
    assert_eq!(
        report.check("memory").expect("memory").message,
        "23.5 GiB memory, 2 CPUs for containers"
    );
    assert_eq!(
        report.headline(),
        ("Docker 20.10 · 1 issue".to_string(), Status::Warn)
    );
    assert!(!report.failed(false));
    assert!(report.failed(true), "--strict counts the buildx warning");
}

#[test]
fn old_client_20_10_reports_the_same_engine() {
    let fake = FakeProbe::healthy()
        .cmd(VERSION, "version_healthy_20")
        .cmd(INFO, "info_healthy_20")
        .cmd(CONTEXTS, "context_ls_default_20")
        .cmd(CLIENT_INFO, "clientinfo_none_20")
        .cmd(COMPOSE, "compose_missing_20")
        .cmd(COMPOSE_V1, "compose_v1_short");
    let report = run(&fake);
    assert_eq!(status(&report, "daemon"), &Status::Pass);
    assert_eq!(status(&report, "disk"), &Status::Pass);
    assert_eq!(status(&report, "context"), &Status::Pass);
    let compose = report.check("compose").expect("compose");
    assert_eq!(compose.status, Status::Warn);
    assert!(
        compose.message.contains("legacy docker-compose 1.29.2"),
        "{}",
        compose.message
    );
    assert!(fix_text(&report, "compose").contains("docker-compose-plugin"));
}

#[test]
fn no_docker_on_path_fails_docker_skips_the_rest_and_spawns_nothing() {
    let fake = FakeProbe::empty().env("PATH", "/usr/bin:/bin");
    let report = run(&fake);
    assert_eq!(status(&report, "docker"), &Status::Fail);
    for check in report.checks.iter().filter(|c| c.id != "docker") {
        assert_eq!(check.status, skipped("docker"), "{}", check.id);
    }
    assert!(fake.calls().is_empty(), "spawned {:?}", fake.calls());
    assert!(fix_text(&report, "docker").contains("get.docker.com"));
    assert_eq!(
        report.headline(),
        ("docker not found".to_string(), Status::Fail)
    );
}

#[test]
fn wsl_without_desktop_integration_gets_the_integration_fix() {
    let mut fake = FakeProbe::empty();
    fake.platform.wsl = true;
    let report = run(&fake);
    assert!(fix_text(&report, "docker").contains("WSL Integration"));
}

#[test]
fn unreachable_via_docker_host_blames_docker_host_with_both_info_behaviours() {
    for (version, info) in [
        ("version_unreachable_28", "info_unreachable_28"),
        ("version_unreachable_20", "info_unreachable_20"),
    ] {
        let fake = FakeProbe::healthy()
            .env("DOCKER_HOST", "unix:///nonexistent.sock")
            .cmd(VERSION, version)
            .cmd(INFO, info);
        let report = run(&fake);
        let daemon = report.check("daemon").expect("daemon");
        assert_eq!(daemon.status, Status::Fail, "{version}");
        assert!(
            daemon
                .message
                .contains("DOCKER_HOST=unix:///nonexistent.sock"),
            "{}",
            daemon.message
        );
        assert!(fix_text(&report, "daemon").contains("unset DOCKER_HOST"));
        assert_eq!(daemon.evidence[0].exit_code, Some(1));
        assert!(
            daemon.evidence[0]
                .stderr_head
                .contains("Cannot connect to the Docker daemon")
        );
        for id in ["disk", "memory", "arch", "images"] {
            assert_eq!(status(&report, id), &skipped("daemon"), "{id} with {info}");
        }
        assert_eq!(
            status(&report, "compose"),
            &Status::Pass,
            "client-side checks still run"
        );
        assert!(report.runtime.is_none());
        assert_eq!(report.headline().0, "daemon not running");
    }
}

#[test]
fn engine_not_running_says_how_to_start_it_per_os() {
    for version in ["version_unreachable_28", "version_unreachable_29"] {
        let fake = FakeProbe::healthy()
            .cmd(VERSION, version)
            .cmd(INFO, "info_unreachable_28");
        let report = run(&fake);
        assert_eq!(status(&report, "daemon"), &Status::Fail);
        let fix = fix_text(&report, "daemon");
        assert!(fix.contains("[Linux] Start the service (and enable it at boot) sudo systemctl enable --now docker"), "{fix}");
        assert!(
            fix.contains("[Macos]") && fix.contains("open -a Docker"),
            "{fix}"
        );
        assert!(fix.contains("[Windows]"), "{fix}");
        assert!(!fix.contains("chmod 666"));
    }
}

#[test]
fn windows_pipe_missing_is_not_running() {
    let mut fake = FakeProbe::healthy()
        .cmd(VERSION, "version_unreachable_windows")
        .cmd(INFO, "info_unreachable_28");
    fake.platform = Platform {
        os: OsFamily::Windows,
        arch: "amd64".into(),
        wsl: false,
    };
    let report = run(&fake);
    let daemon = report.check("daemon").expect("daemon");
    assert!(daemon.message.contains("not running"), "{}", daemon.message);
}

#[test]
fn rootless_socket_present_points_to_the_rootless_context() {
    let fake = FakeProbe::healthy()
        .cmd(VERSION, "version_unreachable_28")
        .cmd(INFO, "info_unreachable_28")
        .env("XDG_RUNTIME_DIR", "/run/user/1000")
        .socket("/run/user/1000/docker.sock", 0o660, 1000, true);
    let report = run(&fake);
    assert!(fix_text(&report, "daemon").contains("docker context use rootless"));
}

#[test]
fn permission_denied_gets_the_docker_group_fix_never_chmod_666() {
    for (version, info) in [
        ("version_permission_28", "info_permission_28"),
        ("version_permission_20", "info_permission_20"),
    ] {
        let mut fake = FakeProbe::healthy()
            .cmd(VERSION, version)
            .cmd(INFO, info)
            .socket(SOCKET, 0o660, 999, false)
            .file("/etc/group", "root:x:0:\ndocker:x:999:\n");
        fake.user.groups = vec![1000];
        let report = run(&fake);
        let daemon = report.check("daemon").expect("daemon");
        assert_eq!(daemon.status, Status::Fail);
        assert!(
            daemon.message.contains("permission denied"),
            "{}",
            daemon.message
        );
        let permission = report.check("permission").expect("permission");
        assert_eq!(permission.status, Status::Fail);
        assert!(
            permission
                .message
                .contains("alice may not use /var/run/docker.sock (owner group: docker"),
            "{}",
            permission.message
        );
        let fix = fix_text(&report, "permission");
        assert!(fix.contains("sudo usermod -aG docker alice"), "{fix}");
        assert!(fix.contains("Never `chmod 666`"), "{fix}");
        assert_eq!(report.headline().0, "Docker socket: permission denied");
        assert_eq!(status(&report, "disk"), &skipped("daemon"));
    }
}

#[test]
fn added_to_the_group_but_not_logged_in_again_suggests_newgrp() {
    let mut fake = FakeProbe::healthy()
        .cmd(VERSION, "version_permission_28")
        .socket(SOCKET, 0o660, 999, false);
    fake.user.groups = vec![1000];
    let report = run_ids(&fake, &["permission"]);
    let fix = fix_text(&report, "permission");
    assert!(
        fix.contains("session started before") && fix.contains("newgrp docker"),
        "{fix}"
    );
}

#[test]
fn world_writable_socket_is_a_warning() {
    let fake = FakeProbe::healthy().socket(SOCKET, 0o666, 999, true);
    let report = run_ids(&fake, &["permission"]);
    assert_eq!(status(&report, "permission"), &Status::Warn);
    assert!(fix_text(&report, "permission").contains("sudo chmod 660 /var/run/docker.sock"));
}

#[test]
fn missing_current_context_fails_daemon_and_context() {
    let fake = FakeProbe::healthy()
        .cmd(VERSION, "version_context_missing_28")
        .cmd(INFO, "info_unreachable_28")
        .cmd(CONTEXTS, "context_ls_missing_28");
    let report = run(&fake);
    assert_eq!(
        report.check("daemon").expect("daemon").message,
        "the current Docker context does not exist"
    );
    let context = report.check("context").expect("context");
    assert_eq!(context.status, Status::Fail);
    assert!(
        context.message.contains("\"ghost\" does not exist"),
        "{}",
        context.message
    );
    let fix = fix_text(&report, "context");
    assert!(
        fix.contains("docker context use default") && fix.contains("existing: default, dgtest"),
        "{fix}"
    );
}

#[test]
fn docker_host_overriding_an_active_context_warns() {
    let fake = FakeProbe::healthy()
        .cmd(CONTEXTS, "context_ls_override_28")
        .env("DOCKER_HOST", "unix:///var/run/docker.sock")
        .env("HOME", "/home/alice")
        .file(
            "/home/alice/.docker/config.json",
            r#"{"currentContext": "dgtest"}"#,
        );
    let report = run_ids(&fake, &["context"]);
    let context = report.check("context").expect("context");
    assert_eq!(context.status, Status::Warn);
    assert!(
        context
            .message
            .contains("overrides the active context \"dgtest\""),
        "{}",
        context.message
    );
    assert!(fix_text(&report, "context").contains("unset DOCKER_HOST"));
}

#[test]
fn hung_engine_times_out_and_skips_dependents() {
    let hung = CommandOutput::hung(std::time::Duration::from_secs(5));
    let fake = FakeProbe::healthy()
        .output(VERSION, hung.clone())
        .output(INFO, hung);
    let report = run(&fake);
    let daemon = report.check("daemon").expect("daemon");
    assert_eq!(daemon.status, Status::Timeout);
    assert!(
        daemon
            .message
            .contains("accepted the connection but did not answer within 5 s")
    );
    assert!(daemon.evidence[0].timed_out);
    assert!(fix_text(&report, "daemon").contains("sudo systemctl restart docker"));
    assert_eq!(status(&report, "memory"), &skipped("daemon"));
    assert_eq!(
        report.headline(),
        ("Docker engine not answering".to_string(), Status::Timeout)
    );
    assert!(report.failed(false));
}

#[test]
fn docker_desktop_on_macos() {
    let mut fake = FakeProbe::healthy()
        .cmd(VERSION, "version_desktop_mac")
        .cmd(INFO, "info_desktop_mac")
        .cmd(COMPOSE, "compose_v2")
        .cmd(BUILDX, "buildx_desktop")
        .cmd(SYSTEM_DF, "system_df_28");
    fake.platform = Platform {
        os: OsFamily::Macos,
        arch: "arm64".into(),
        wsl: false,
    };
    let report = run(&fake);
    let runtime = report.runtime.as_ref().expect("runtime");
    assert_eq!(runtime.kind.as_deref(), Some("desktop"));
    assert_eq!(runtime.product.as_deref(), Some("Docker Desktop 4.37.1"));
    assert_eq!(runtime.arch.as_deref(), Some("arm64"));
    let disk = report.check("disk").expect("disk");
    assert!(
        disk.message.contains("inside the engine's VM"),
        "{}",
        disk.message
    );
    assert!(
        disk.details
            .iter()
            .any(|d| d.starts_with("Images: 153.3MB")),
        "{:?}",
        disk.details
    );
    assert_eq!(status(&report, "buildx"), &Status::Pass);
    assert_eq!(status(&report, "arch"), &Status::Pass);
    assert_eq!(
        report.headline(),
        ("Docker Desktop 4.37.1".to_string(), Status::Pass)
    );
}

#[test]
fn colima_with_its_default_two_gib_warns_about_memory() {
    let fake = FakeProbe::healthy().cmd(INFO, "info_colima");
    let report = run(&fake);
    assert_eq!(
        report.runtime.as_ref().and_then(|r| r.kind.as_deref()),
        Some("colima")
    );
    let memory = report.check("memory").expect("memory");
    assert_eq!(memory.status, Status::Warn, "{}", memory.message);
    assert!(fix_text(&report, "memory").contains("colima start --memory 4"));
    // The engine is arm64 while this fake host is amd64: not the emulation case; just a pass.
    assert_eq!(status(&report, "arch"), &Status::Pass);
}

#[test]
fn old_cli_hanging_on_version_points_at_the_engine() {
    // CLI 20.10 pings the engine even for `--version` (seen with a socket that never answers).
    let fake = FakeProbe::healthy().output(
        DOCKER_V,
        CommandOutput::hung(std::time::Duration::from_secs(3)),
    );
    let report = run(&fake);
    let docker = report.check("docker").expect("docker");
    assert_eq!(docker.status, Status::Timeout);
    assert!(fix_text(&report, "docker").contains("sudo systemctl restart docker"));
    assert_eq!(status(&report, "daemon"), &skipped("docker"));
    assert_eq!(report.headline().0, "Docker engine not answering");
}

#[test]
fn a_crashing_check_fails_alone_and_hangs_nothing() {
    let mut fake = FakeProbe::healthy();
    fake.panic_on = Some(VERSION.to_string());
    let report = run(&fake);
    let daemon = report.check("daemon").expect("daemon");
    assert_eq!(daemon.status, Status::Fail);
    assert!(daemon.message.contains("crashed"), "{}", daemon.message);
    assert_eq!(status(&report, "disk"), &skipped("daemon"));
    assert_eq!(status(&report, "compose"), &Status::Pass);
}
