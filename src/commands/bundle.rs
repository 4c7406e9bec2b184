//! `docker-guide bundle`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct BundleArgs {}

pub fn run(_global: &GlobalArgs, _args: BundleArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`bundle` is not implemented yet")
}
