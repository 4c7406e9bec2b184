//! `--deep`: can the engine pull from Docker Hub? One tiny pull, failures sorted by cause.

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{Checkup, REGISTRY_TIMEOUT};
use crate::doctor::probe::CommandOutput;
use crate::doctor::report::{Fix, FixOs, Status};

/// The smallest official image (about 10 KB); a pull of an unchanged tag costs no rate limit.
pub const PROBE_IMAGE: &str = "hello-world:latest";

pub fn registry(s: &Checkup, _req: &DoctorRequest) -> Finding {
    if let Some(skip) = s.gate("daemon") {
        return Finding::skipped(skip);
    }
    let run = s.docker(&["pull", "--quiet", PROBE_IMAGE], REGISTRY_TIMEOUT);
    let mut outcome = classify_pull(&run.out).evidence(&run);
    let shell_proxy = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]
        .into_iter()
        .find_map(|name| s.env(name).map(|v| (name, v)));
    let engine_proxy = s
        .info_json()
        .map(|i| {
            if i.https_proxy.is_empty() {
                i.http_proxy
            } else {
                i.https_proxy
            }
        })
        .filter(|p| !p.is_empty());
    match (shell_proxy, engine_proxy) {
        (Some((name, value)), None) if outcome.status != Status::Pass => {
            outcome = outcome.detail(format!(
                "your shell uses a proxy ({name}={value}) but the engine does not: pulls go through the engine"
            ));
        }
        (_, Some(proxy)) => outcome = outcome.detail(format!("engine proxy: {proxy}")),
        _ => {}
    }
    outcome
}

fn proxy_fix(text: &str) -> Fix {
    Fix::new(text.to_string())
        .step(
            FixOs::Linux,
            "Give the engine the proxy (\"proxies\" in /etc/docker/daemon.json, Docker 23+), then restart it",
            &["sudoedit /etc/docker/daemon.json", "sudo systemctl restart docker"],
        )
        .step(FixOs::Macos, "Docker Desktop › Settings › Resources › Proxies", &[])
        .step(FixOs::Windows, "Docker Desktop › Settings › Resources › Proxies", &[])
}

/// Why a `docker pull` failed (texts: docker-failures.md #21-25).
pub fn classify_pull(out: &CommandOutput) -> Finding {
    if out.timed_out {
        return Finding::new(
            Status::Timeout,
            format!(
                "no answer from the registry within {} s",
                REGISTRY_TIMEOUT.as_secs()
            ),
        )
        .fix(proxy_fix(
            "A firewall or proxy may be swallowing the connection.",
        ));
    }
    if out.success() {
        return Finding::pass(format!("pulled {PROBE_IMAGE} from Docker Hub"));
    }
    let err = out.stderr.to_ascii_lowercase();
    let has = |needle: &str| err.contains(needle);
    if has("toomanyrequests") || has("pull rate limit") {
        return Finding::fail(
            "Docker Hub's pull rate limit is reached (a classroom shares one IP address)",
            Fix::new(
                "Log in (higher limit), use a mirror, or load the images from a workshop bundle.",
            )
            .step(
                FixOs::All,
                "",
                &["docker login", "docker-guide bundle load BUNDLE.tar"],
            ),
        );
    }
    if has("x509") || has("certificate signed by unknown authority") || has("tls: failed to verify")
    {
        return Finding::fail(
            "TLS: the registry's certificate is not trusted (x509), usually a company proxy inspecting traffic",
            Fix::new("Install your organisation's root CA where the engine looks, then restart the engine.")
                .step(FixOs::Linux, "System store (or /etc/docker/certs.d/<registry>/ca.crt)", &[
                    "sudo cp company-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates",
                    "sudo systemctl restart docker",
                ])
                .step(FixOs::Macos, "Add the CA to the System keychain, then restart Docker Desktop", &[])
                .step(FixOs::Windows, "Add the CA to Trusted Root Certification Authorities, then restart Docker Desktop", &[]),
        );
    }
    if has("proxyconnect") {
        return Finding::fail(
            "the engine's proxy refused or failed the connection",
            proxy_fix("Check the proxy address the engine uses."),
        );
    }
    if has("error getting credentials") || has("docker-credential-") {
        return Finding::fail(
            "the credential helper named in ~/.docker/config.json is missing",
            Fix::new(
                "Remove \"credsStore\" from ~/.docker/config.json, or install the helper it names.",
            ),
        );
    }
    if has("lookup ")
        && (has("no such host")
            || has("server misbehaving")
            || has("i/o timeout")
            || has("temporary failure"))
    {
        return Finding::fail(
            "DNS: the engine cannot resolve the registry's name (offline, or DNS blocked)",
            proxy_fix(
                "Check the network connection and DNS; behind a proxy, the engine needs it too.",
            ),
        );
    }
    let network = [
        "client.timeout exceeded",
        "i/o timeout",
        "connection refused",
        "network is unreachable",
        "connection reset",
        "no route to host",
        "tls handshake timeout",
    ];
    if network.iter().any(|n| has(n)) {
        return Finding::fail(
            "cannot reach the registry (network or firewall)",
            proxy_fix("Check the network connection; behind a proxy, the engine needs it too."),
        );
    }
    if has("unauthorized") || has("pull access denied") {
        return Finding::fail(
            "the registry refused the pull (authentication)",
            Fix::new("Log in again.").step(FixOs::All, "", &["docker logout", "docker login"]),
        );
    }
    Finding::unexplained(
        "the pull failed",
        &out.stderr,
        "Try it yourself and read the error.",
        "docker pull hello-world",
    )
}
