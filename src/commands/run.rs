//! `docker-guide run`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct RunArgs {}

pub fn run(_global: &GlobalArgs, _args: RunArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`run` is not implemented yet")
}
