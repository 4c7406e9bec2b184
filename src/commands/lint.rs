//! `docker-guide lint`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct LintArgs {}

pub fn run(_global: &GlobalArgs, _args: LintArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`lint` is not implemented yet")
}
