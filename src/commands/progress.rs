//! `docker-guide progress`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ProgressArgs {}

pub fn run(_global: &GlobalArgs, _args: ProgressArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`progress` is not implemented yet")
}
