//! `docker-guide list`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ListArgs {}

pub fn run(_global: &GlobalArgs, _args: ListArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`list` is not implemented yet")
}
