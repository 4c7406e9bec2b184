//! Tools, resources, ports, images, registry, selection and the output snapshots.

use super::*;
use crate::doctor::fake::*;
use crate::doctor::probe::{BindError, CommandOutput, DiskSpace};
use crate::doctor::report::{FixOs, Status};
use crate::doctor::{DoctorError, DoctorRequest, run_checks};

#[test]
fn rootless_engine_cannot_publish_low_ports() {
    let mut fake = FakeProbe::healthy().cmd(INFO, "info_rootless");
    fake.ports.insert(80, BindError::PermissionDenied);
    let request = DoctorRequest {
        ports: vec![80, 8888],
        ..Default::default()
    };
    let report = run_checks(&fake, &request);
    assert_eq!(
        report.runtime.as_ref().and_then(|r| r.kind.as_deref()),
        Some("rootless")
    );
    let ports = report.check("ports").expect("ports");
    assert_eq!(ports.status, Status::Fail);
    assert!(
        ports
            .message
            .contains("rootless engine cannot publish port(s) 80"),
        "{}",
        ports.message
    );
    assert_eq!(report.blocked_ports, [80]);
}

#[test]
fn busy_port_names_the_container_holding_it() {
    let mut fake = FakeProbe::healthy().output(
        "docker ps --format '{{.Names}}\t{{.Ports}}'",
        CommandOutput::exited(0, "dg-jupyter\t0.0.0.0:8888->8888/tcp\n", ""),
    );
    fake.ports.insert(8888, BindError::InUse);
    let request = DoctorRequest {
        ports: vec![8888, 5000],
        ..Default::default()
    };
    let report = run_checks(&fake, &request);
    let ports = report.check("ports").expect("ports");
    assert_eq!(ports.status, Status::Fail);
    assert_eq!(ports.message, "in use: 8888");
    // The TUI judges each chapter's `requires: [ports]` by these, not by the message.
    assert_eq!(report.blocked_ports, [8888]);
    assert_eq!(
        ports.details,
        vec!["port 8888 is held by container dg-jupyter".to_string()]
    );
    let fix = fix_text(&report, "ports");
    assert!(
        fix.contains("docker rm -f dg-jupyter") && fix.contains("sport = :8888"),
        "{fix}"
    );
}

#[test]
fn windows_containers_mode_fails_arch() {
    let fake = FakeProbe::healthy().cmd(INFO, "info_windows_containers");
    let report = run_ids(&fake, &["arch"]);
    assert_eq!(status(&report, "arch"), &Status::Fail);
    assert!(fix_text(&report, "arch").contains("Switch to Linux containers"));
}

#[test]
fn podman_shim_is_named() {
    let fake = FakeProbe::healthy().cmd(DOCKER_V, "dockerv_podman");
    let report = run_ids(&fake, &["docker"]);
    let docker = report.check("docker").expect("docker");
    assert_eq!(docker.status, Status::Warn);
    assert!(
        docker.message.contains("Podman 4.9.3"),
        "{}",
        docker.message
    );
}

#[test]
fn compose_missing_everywhere_fails_with_the_plugin_fix() {
    for (listing, fixture) in [
        ("clientinfo_none_28", "compose_missing_28"),
        ("clientinfo_none_20", "compose_missing_20"),
    ] {
        let mut fake = FakeProbe::healthy()
            .cmd(CLIENT_INFO, listing)
            .cmd(COMPOSE, fixture);
        fake.on_path.remove("docker-compose");
        let report = run_ids(&fake, &["compose"]);
        assert_eq!(status(&report, "compose"), &Status::Fail, "{fixture}");
        let check = report.check("compose").expect("compose");
        assert_eq!(check.evidence[0].exit_code, Some(1));
    }
}

#[test]
fn plugins_are_read_from_the_cli_listing_without_running_them() {
    let fake = FakeProbe::healthy();
    let report = run_ids(&fake, &["compose", "buildx"]);
    let compose = report.check("compose").expect("compose");
    assert_eq!(compose.status, Status::Pass);
    assert_eq!(compose.message, "Docker Compose 2.99.0");
    assert_eq!(
        compose.details,
        vec!["plugin: /usr/local/lib/docker/cli-plugins/docker-compose".to_string()]
    );
    assert!(
        !fake.calls().iter().any(|c| c == COMPOSE),
        "{:?}",
        fake.calls()
    );
    // buildx is not listed: its own command gives the evidence.
    assert!(fake.calls().iter().any(|c| c == BUILDX));

    let broken = FakeProbe::healthy().cmd(CLIENT_INFO, "clientinfo_broken_compose");
    let report = run_ids(&broken, &["compose", "buildx"]);
    let compose = report.check("compose").expect("compose");
    assert_eq!(compose.status, Status::Fail);
    assert!(
        compose
            .message
            .contains("/Users/alice/.docker/cli-plugins/docker-compose is broken")
    );
    assert!(compose.details[0].contains("no such file or directory"));
    assert_eq!(
        report.check("buildx").expect("buildx").message,
        "buildx 0.19.2"
    );
}

#[test]
fn registry_failures_are_classified() {
    let cases = [
        ("pull_dns_28", "DNS:"),
        ("pull_ratelimit", "rate limit"),
        ("pull_x509", "TLS:"),
        ("pull_proxy", "proxy"),
        ("pull_timeout", "cannot reach the registry"),
    ];
    for (fixture, expected) in cases {
        let fake = FakeProbe::healthy().cmd(PULL, fixture);
        let request = DoctorRequest {
            deep: true,
            ..Default::default()
        };
        let report = run_checks(&fake, &request);
        let registry = report.check("registry").expect("registry runs with --deep");
        assert_eq!(registry.status, Status::Fail, "{fixture}");
        assert!(
            registry.message.contains(expected),
            "{fixture}: {}",
            registry.message
        );
    }
    let fake =
        FakeProbe::healthy().output(PULL, CommandOutput::hung(std::time::Duration::from_secs(8)));
    let report = run_ids(&fake, &["registry"]);
    assert_eq!(status(&report, "registry"), &Status::Timeout);
}

#[test]
fn missing_course_images_warn_with_pull_and_bundle_fix() {
    for fixture in ["image_inspect_partial_28", "image_inspect_partial_20"] {
        let fake = FakeProbe::healthy().cmd(
            "docker image inspect --format '{{.Os}}/{{.Architecture}}' python:3.12-slim dg-test-nonexistent:1",
            fixture,
        );
        let request = DoctorRequest {
            ids: vec!["images".into()],
            images: vec!["python:3.12-slim".into(), "dg-test-nonexistent:1".into()],
            ..Default::default()
        };
        let report = run_checks(&fake, &request);
        let images = report.check("images").expect("images");
        assert_eq!(images.status, Status::Warn, "{fixture}");
        assert_eq!(
            images.message,
            "1 of 2 course images not here yet: dg-test-nonexistent:1"
        );
        assert_eq!(
            images.details,
            vec!["python:3.12-slim (linux/amd64)".to_string()]
        );
        let fix = fix_text(&report, "images");
        assert!(
            fix.contains("docker pull dg-test-nonexistent:1")
                && fix.contains("docker-guide bundle load"),
            "{fix}"
        );
    }
}

#[test]
fn low_disk_warns_then_fails() {
    let gib = 1024 * 1024 * 1024;
    for (available, expected) in [(3 * gib, Status::Warn), (gib / 2, Status::Fail)] {
        let mut fake = FakeProbe::healthy();
        fake.disk = Some(DiskSpace {
            available,
            total: 100 * gib,
        });
        let report = run_ids(&fake, &["disk"]);
        assert_eq!(status(&report, "disk"), &expected);
        assert!(fix_text(&report, "disk").contains("docker system prune"));
    }
}

#[test]
fn naming_a_check_runs_it_and_what_it_needs() {
    let fake = FakeProbe::healthy();
    let report = run_ids(&fake, &["disk"]);
    let ids: Vec<&str> = report.checks.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec!["docker", "daemon", "disk"]);
    let typo = DoctorRequest {
        ids: vec!["dns".into(), "docker".into()],
        ..Default::default()
    };
    assert_eq!(
        crate::doctor::select(&typo).err(),
        Some(DoctorError::UnknownCheck { id: "dns".into() })
    );
    let report = run_checks(&fake, &typo);
    assert_eq!(report.unknown_checks, vec!["dns".to_string()]);
    assert_eq!(status(&report, "docker"), &Status::Pass);
    assert!(report.failed(false), "an unknown requirement is not a pass");
}

#[test]
fn fixes_for_the_current_os_only() {
    let report = run(&FakeProbe::healthy().cmd(VERSION, "version_unreachable_28"));
    let fix = report
        .check("daemon")
        .and_then(|c| c.fix.as_ref())
        .expect("fix");
    let oses: Vec<FixOs> = fix.steps_for(&report.platform).map(|s| s.os).collect();
    assert_eq!(oses, vec![FixOs::Linux]);
}

#[test]
fn json_schema_snapshot() {
    let fake = FakeProbe::healthy()
        .cmd(VERSION, "version_unreachable_28")
        .cmd(INFO, "info_unreachable_28");
    let report = stable(run(&fake));
    insta::assert_snapshot!(
        "doctor_json_daemon_down",
        crate::doctor::json::to_json_string(&report)
    );
    let report = stable(run(&FakeProbe::healthy()));
    insta::assert_snapshot!(
        "doctor_json_healthy",
        crate::doctor::json::to_json_string(&report)
    );
}

#[test]
fn human_report_snapshot() {
    let fake = FakeProbe::healthy()
        .cmd(VERSION, "version_unreachable_28")
        .cmd(INFO, "info_unreachable_28");
    let report = stable(run(&fake));
    let opts = crate::doctor::text::TextOptions {
        color: false,
        verbose: false,
    };
    insta::assert_snapshot!(
        "doctor_text_daemon_down",
        crate::doctor::text::format_report(&report, opts)
    );
}

#[test]
fn the_check_table_lists_exactly_the_check_ids() {
    let table: Vec<&str> = crate::doctor::CHECKS.iter().map(|c| c.id).collect();
    assert_eq!(table, crate::doctor::CHECK_IDS);
}
