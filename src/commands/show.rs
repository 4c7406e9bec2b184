//! `docker-guide show`.

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;

#[derive(Debug, Args)]
pub struct ShowArgs {}

pub fn run(_global: &GlobalArgs, _args: ShowArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`show` is not implemented yet")
}
