//! `docker-guide doctor`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub fn run(_global: &GlobalArgs, _args: DoctorArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`doctor` is not implemented yet")
}
