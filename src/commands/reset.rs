//! `docker-guide reset`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ResetArgs {}

pub fn run(_global: &GlobalArgs, _args: ResetArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`reset` is not implemented yet")
}
