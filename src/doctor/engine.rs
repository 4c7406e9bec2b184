//! What docker prints about itself, parsed: `docker version`, `docker info` and
//! `docker context ls` JSON (every field optional: versions differ), and the engine's kind.

use serde::Deserialize;

use super::probe::normalize_arch;
use super::report::EngineIdentity;

/// `docker version --format '{{json .}}'`. `Server` is null when the engine is unreachable.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VersionJson {
    pub client: Option<ClientVersion>,
    pub server: Option<ServerVersion>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ClientVersion {
    pub version: String,
    pub api_version: String,
    pub os: String,
    pub arch: String,
    pub context: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ServerVersion {
    pub platform: Option<NamedThing>,
    pub components: Option<Vec<NamedThing>>,
    pub version: String,
    pub api_version: String,
    #[serde(rename = "MinAPIVersion")]
    pub min_api_version: String,
    pub os: String,
    pub arch: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NamedThing {
    pub name: String,
    pub version: String,
}

/// `docker info --format '{{json .}}'`. Before CLI 28.1 a dead engine gives exit 0 and
/// `ServerErrors`; from 28.1 exit 1 and empty fields: [`InfoJson::reachable`] handles both.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InfoJson {
    pub server_errors: Option<Vec<String>>,
    pub server_version: String,
    pub operating_system: String,
    #[serde(rename = "OSType")]
    pub os_type: String,
    pub architecture: String,
    #[serde(rename = "NCPU")]
    pub ncpu: u64,
    pub mem_total: u64,
    pub docker_root_dir: String,
    pub name: String,
    pub security_options: Option<Vec<String>>,
    pub http_proxy: String,
    pub https_proxy: String,
    pub no_proxy: String,
    pub warnings: Option<Vec<String>>,
}

impl InfoJson {
    pub fn parse(stdout: &str) -> Option<InfoJson> {
        serde_json::from_str(stdout.trim()).ok()
    }

    /// The engine answered: no server errors and a server version.
    pub fn reachable(&self) -> bool {
        self.server_errors.as_ref().is_none_or(|e| e.is_empty()) && !self.server_version.is_empty()
    }

    pub fn is_rootless(&self) -> bool {
        self.security_options
            .iter()
            .flatten()
            .any(|o| o.split(',').any(|part| part == "name=rootless"))
    }

    /// Architecture normalised to Go style.
    pub fn arch(&self) -> String {
        normalize_arch(&self.architecture)
    }
}

impl VersionJson {
    /// Parses the JSON even from a failed run (the client half is still printed).
    pub fn parse(stdout: &str) -> Option<VersionJson> {
        // Some CLIs print warnings before the JSON on stdout; take the first JSON line.
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with('{'))
            .and_then(|l| serde_json::from_str(l.trim()).ok())
    }
}

/// `docker info --format '{{json .ClientInfo}}'`: the CLI and its plugins. CLI 28 answers it
/// without the engine; 20.10 still connects (so it gets a timeout like any engine call).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ClientInfoJson {
    pub version: String,
    pub plugins: Vec<PluginJson>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PluginJson {
    pub name: String,
    pub version: String,
    pub path: String,
    /// Why the CLI could not use the plugin (a string or an object, by CLI version).
    pub err: Option<serde_json::Value>,
}

impl PluginJson {
    pub fn error(&self) -> Option<String> {
        match self.err.as_ref()? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) if s.is_empty() => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
}

impl ClientInfoJson {
    pub fn parse(stdout: &str) -> Option<ClientInfoJson> {
        serde_json::from_str(stdout.trim()).ok()
    }

    pub fn plugin(&self, name: &str) -> Option<&PluginJson> {
        self.plugins.iter().find(|p| p.name == name)
    }
}

/// One line of `docker context ls --format '{{json .}}'`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ContextJson {
    pub name: String,
    pub current: bool,
    pub docker_endpoint: String,
    pub error: String,
}

pub fn parse_contexts(stdout: &str) -> Vec<ContextJson> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l.trim()).ok())
        .collect()
}

/// The engine's flavour, which decides the fixes (Desktop settings vs systemd vs colima).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Engine,
    Desktop,
    Colima,
    Rootless,
    Podman,
    OrbStack,
    RancherDesktop,
}

impl EngineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Engine => "engine",
            EngineKind::Desktop => "desktop",
            EngineKind::Colima => "colima",
            EngineKind::Rootless => "rootless",
            EngineKind::Podman => "podman",
            EngineKind::OrbStack => "orbstack",
            EngineKind::RancherDesktop => "rancher-desktop",
        }
    }

    /// Whether the engine runs in a VM, so host disk and ports say little about it.
    pub fn in_vm(self) -> bool {
        matches!(
            self,
            EngineKind::Desktop
                | EngineKind::Colima
                | EngineKind::OrbStack
                | EngineKind::RancherDesktop
        )
    }
}

pub fn engine_kind(server: &ServerVersion, info: Option<&InfoJson>, context: &str) -> EngineKind {
    let platform = server
        .platform
        .as_ref()
        .map(|p| p.name.as_str())
        .unwrap_or("");
    let os = info.map(|i| i.operating_system.as_str()).unwrap_or("");
    let host_name = info.map(|i| i.name.as_str()).unwrap_or("");
    let podman = server
        .components
        .iter()
        .flatten()
        .any(|c| c.name.to_ascii_lowercase().contains("podman"));
    if platform.contains("Docker Desktop") || os == "Docker Desktop" {
        EngineKind::Desktop
    } else if podman {
        EngineKind::Podman
    } else if os.contains("OrbStack") {
        EngineKind::OrbStack
    } else if host_name.contains("rancher-desktop") || os.contains("Rancher Desktop") {
        EngineKind::RancherDesktop
    } else if context == "colima" || context.starts_with("colima-") || host_name == "colima" {
        EngineKind::Colima
    } else if info.is_some_and(InfoJson::is_rootless) {
        EngineKind::Rootless
    } else {
        EngineKind::Engine
    }
}

/// `20.10.24+dfsg1` → `20.10`; `v2.29.1` → `2.29`.
pub fn major_minor(version: &str) -> String {
    let v = version.trim().trim_start_matches('v');
    let parts: Vec<&str> = v
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|p| !p.is_empty())
        .take(2)
        .collect();
    if parts.is_empty() {
        v.to_string()
    } else {
        parts.join(".")
    }
}

/// The first `N.N[.N]` in a text (`Docker Compose version v2.29.1` → `2.29.1`).
pub fn first_version(text: &str) -> Option<String> {
    static VERSION: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\d+\.\d+(\.\d+)?").expect("valid regex"));
    VERSION.find(text).map(|m| m.as_str().to_string())
}

/// The runtime description for the report.
pub fn runtime(
    version: &VersionJson,
    info: Option<&InfoJson>,
    context: Option<&ContextJson>,
) -> EngineIdentity {
    let client = version.client.as_ref();
    let context_name = context
        .map(|c| c.name.clone())
        .or_else(|| client.map(|c| c.context.clone()))
        .filter(|c| !c.is_empty());
    let mut runtime = EngineIdentity {
        client_version: client.map(|c| c.version.clone()).filter(|v| !v.is_empty()),
        context: context_name.clone(),
        endpoint: context
            .map(|c| c.docker_endpoint.clone())
            .filter(|e| !e.is_empty()),
        ..EngineIdentity::default()
    };
    if let Some(server) = &version.server {
        let kind = engine_kind(server, info, context_name.as_deref().unwrap_or(""));
        let mm = major_minor(&server.version);
        let product = match kind {
            EngineKind::Desktop => server
                .platform
                .as_ref()
                .map(|p| p.name.split(" (").next().unwrap_or(&p.name).to_string())
                .filter(|n| n.contains(char::is_numeric))
                .unwrap_or_else(|| format!("Docker Desktop · Docker {mm}")),
            EngineKind::Podman if info.is_some_and(InfoJson::is_rootless) => {
                format!("Podman {mm} (rootless)")
            }
            EngineKind::Podman => format!("Podman {mm}"),
            EngineKind::Rootless => format!("Docker {mm} (rootless)"),
            EngineKind::Colima => format!("colima · Docker {mm}"),
            EngineKind::OrbStack => format!("OrbStack · Docker {mm}"),
            EngineKind::RancherDesktop => format!("Rancher Desktop · Docker {mm}"),
            EngineKind::Engine => format!("Docker {mm}"),
        };
        runtime.server_version = Some(server.version.clone());
        runtime.api_version = Some(server.api_version.clone()).filter(|v| !v.is_empty());
        runtime.os = Some(server.os.clone()).filter(|v| !v.is_empty());
        runtime.arch = Some(normalize_arch(&server.arch)).filter(|v| !v.is_empty());
        runtime.kind = Some(kind.as_str().to_string());
        runtime.product = Some(product);
    }
    runtime
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_shorten() {
        assert_eq!(major_minor("20.10.24+dfsg1"), "20.10");
        assert_eq!(major_minor("v2.29.1"), "2.29");
        assert_eq!(major_minor("28.2.2"), "28.2");
        assert_eq!(
            first_version("Docker Compose version v2.29.1-desktop.1").as_deref(),
            Some("2.29.1")
        );
        assert_eq!(first_version("no digits"), None);
    }
}
