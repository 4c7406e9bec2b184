//! `gpu`: can containers use an NVIDIA GPU (`docker run --gpus all`)? Read from `docker info`:
//! an `nvidia` runtime (NVIDIA Container Toolkit, Docker Desktop's WSL 2 backend) or NVIDIA
//! devices the engine discovered through CDI (Docker 28+). Without either, the check skips
//! itself with the reason: GPU chapters are optional, and a CPU-only machine is not broken.

use serde_json::Value;

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::Checkup;
use crate::doctor::report::{Fix, FixOs, Status};

/// What the engine offers for NVIDIA GPUs, from `docker info --format '{{json .}}'`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct GpuSupport {
    /// Every runtime the engine knows (`Runtimes`), sorted.
    pub runtimes: Vec<String>,
    /// Those whose name says NVIDIA (`nvidia`, `nvidia-cdi`, …).
    pub nvidia_runtimes: Vec<String>,
    /// NVIDIA devices discovered through CDI (`DiscoveredDevices`, e.g. `nvidia.com/gpu=0`).
    pub cdi_devices: Vec<String>,
}

impl GpuSupport {
    pub fn from_info(info: &Value) -> GpuSupport {
        let mut runtimes: Vec<String> = info
            .get("Runtimes")
            .and_then(Value::as_object)
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default();
        runtimes.sort();
        let nvidia_runtimes = runtimes
            .iter()
            .filter(|name| name.to_ascii_lowercase().contains("nvidia"))
            .cloned()
            .collect();
        let cdi_devices = info
            .get("DiscoveredDevices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|device| device.get("ID").and_then(Value::as_str))
            .filter(|id| id.starts_with("nvidia.com/gpu"))
            .map(str::to_owned)
            .collect();
        GpuSupport {
            runtimes,
            nvidia_runtimes,
            cdi_devices,
        }
    }

    pub fn usable(&self) -> bool {
        !self.nvidia_runtimes.is_empty() || !self.cdi_devices.is_empty()
    }
}

pub fn gpu(s: &Checkup, _req: &DoctorRequest) -> Finding {
    if let Some(skip) = s.gate("daemon") {
        return Finding::skipped(skip);
    }
    let info = s.info();
    let parsed: Value = serde_json::from_str(info.out.stdout.trim()).unwrap_or(Value::Null);
    let support = GpuSupport::from_info(&parsed);
    outcome_for(&support).evidence(info)
}

/// The verdict for what the engine offers.
pub fn outcome_for(support: &GpuSupport) -> Finding {
    if support.usable() {
        let mut found = Vec::new();
        if !support.nvidia_runtimes.is_empty() {
            found.push(format!("runtime {}", support.nvidia_runtimes.join(", ")));
        }
        if !support.cdi_devices.is_empty() {
            found.push(format!("CDI devices {}", support.cdi_devices.join(", ")));
        }
        return Finding::pass(format!("NVIDIA GPUs usable ({})", found.join("; ")));
    }
    let runtimes = if support.runtimes.is_empty() {
        "none listed".to_owned()
    } else {
        support.runtimes.join(", ")
    };
    Finding::new(
        Status::Skip {
            because: "no NVIDIA runtime".into(),
        },
        format!(
            "skipped: no NVIDIA GPU runtime in this engine (runtimes: {runtimes}); GPU chapters are optional"
        ),
    )
    .fix(
        Fix::new(
            "Only for a machine with an NVIDIA GPU: install the NVIDIA driver and the NVIDIA Container Toolkit, register its runtime with Docker and restart the engine; `docker run --rm --gpus all ubuntu nvidia-smi` then lists the GPU.",
        )
        .step(
            FixOs::Linux,
            "After installing nvidia-container-toolkit (NVIDIA's install guide for your distribution)",
            &[
                "sudo nvidia-ctk runtime configure --runtime=docker",
                "sudo systemctl restart docker",
            ],
        )
        .step(
            FixOs::Windows,
            "Docker Desktop with the WSL 2 backend and a current NVIDIA Windows driver supports --gpus",
            &[],
        )
        .step(
            FixOs::Macos,
            "Docker on macOS cannot pass a GPU to containers (Apple GPUs are not exposed to Linux VMs)",
            &[],
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support(json: &str) -> GpuSupport {
        GpuSupport::from_info(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn a_cpu_only_engine_skips_with_its_runtimes_as_the_reason() {
        let s = support(r#"{"Runtimes":{"runc":{"path":"runc"},"io.containerd.runc.v2":{}}}"#);
        assert!(!s.usable());
        let outcome = outcome_for(&s);
        assert_eq!(
            outcome.status,
            Status::Skip {
                because: "no NVIDIA runtime".into()
            }
        );
        assert!(
            outcome
                .message
                .contains("runtimes: io.containerd.runc.v2, runc"),
            "{}",
            outcome.message
        );
        assert!(outcome.fix.is_some());
    }

    #[test]
    fn the_nvidia_runtime_or_cdi_devices_pass() {
        let runtime =
            support(r#"{"Runtimes":{"nvidia":{"path":"nvidia-container-runtime"},"runc":{}}}"#);
        assert_eq!(runtime.nvidia_runtimes, ["nvidia"]);
        assert_eq!(outcome_for(&runtime).status, Status::Pass);

        let cdi = support(
            r#"{"Runtimes":{"runc":{}},"DiscoveredDevices":[{"Source":"cdi","ID":"nvidia.com/gpu=0"},{"Source":"cdi","ID":"vendor.com/fpga=1"}]}"#,
        );
        assert_eq!(cdi.cdi_devices, ["nvidia.com/gpu=0"]);
        let outcome = outcome_for(&cdi);
        assert_eq!(outcome.status, Status::Pass);
        assert!(outcome.message.contains("nvidia.com/gpu=0"));
    }

    #[test]
    fn unreadable_info_is_no_gpu_not_a_crash() {
        let s = GpuSupport::from_info(&Value::Null);
        assert_eq!(s, GpuSupport::default());
        assert!(outcome_for(&s).message.contains("none listed"));
    }
}
