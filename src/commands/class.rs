//! `docker-guide class`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ClassArgs {}

pub fn run(_global: &GlobalArgs, _args: ClassArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`class` is not implemented yet")
}
