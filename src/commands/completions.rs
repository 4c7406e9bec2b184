//! `docker-guide completions SHELL`: print the shell's completion script, generated from the
//! CLI definition by clap_complete (so it never drifts from the real flags and subcommands).

use std::io::Write;

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;

use super::Outcome;
use crate::cli::{Cli, GlobalArgs};

/// The shells a script is made for (clap_complete's, named the way users type them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "pwsh")]
    Powershell,
    Elvish,
}

impl From<CompletionShell> for Shell {
    fn from(shell: CompletionShell) -> Shell {
        match shell {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
            CompletionShell::Powershell => Shell::PowerShell,
            CompletionShell::Elvish => Shell::Elvish,
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Install (pick your shell):\n  \
    bash:  docker-guide completions bash > ~/.local/share/bash-completion/completions/docker-guide\n  \
    zsh:   docker-guide completions zsh > ~/.zfunc/_docker-guide   (with fpath+=(~/.zfunc) before compinit)\n  \
    fish:  docker-guide completions fish > ~/.config/fish/completions/docker-guide.fish\n  \
    PowerShell:  docker-guide completions powershell | Out-String | Invoke-Expression   (add to $PROFILE)")]
pub struct CompletionsArgs {
    /// The shell to print a completion script for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: CompletionShell,
}

pub fn run(_global: &GlobalArgs, args: CompletionsArgs) -> anyhow::Result<Outcome> {
    let script = script(args.shell);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`… | head`) is not an error worth a message.
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(Outcome::Success),
    }
}

const BIN_NAME: &str = "docker-guide";

/// The completion script for `shell`.
pub fn script(shell: CompletionShell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(Shell::from(shell), &mut command, BIN_NAME, &mut out);
    if shell == CompletionShell::Bash {
        out = fix_bash_states(&out);
    }
    out
}

/// clap_complete 4.6 (clap-rs/clap#6421, still open in 4.6.12) spells the bash states of a
/// hyphenated binary two ways: the loop walking the words arrives at
/// `docker__guide__subcmd__doctor`, the `case` arms say `docker__subcmd__guide__subcmd__doctor`,
/// so no arm matches and nothing after a subcommand completes (`docker-guide doctor --j<TAB>`
/// offered nothing). Spell the arms the way the loop does.
fn fix_bash_states(script: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let wrong = BIN_NAME.replace('-', "__subcmd__");
    let right = BIN_NAME.replace('-', "__");
    text.replace(&wrong, &right).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::{CompletionShell, script};

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in CompletionShell::value_variants() {
            let text = String::from_utf8(script(*shell)).unwrap();
            for word in ["doctor", "run", "completions", "--lessons"] {
                assert!(text.contains(word), "{shell:?} script lacks {word}");
            }
        }
    }

    use clap::ValueEnum;

    #[test]
    fn bash_case_arms_are_spelled_as_the_loop_spells_the_state() {
        let text = String::from_utf8(script(CompletionShell::Bash)).unwrap();
        assert!(text.contains("cmd=\"docker__guide__subcmd__doctor\""));
        assert!(text.contains("        docker__guide__subcmd__doctor)"));
        assert!(!text.contains("docker__subcmd__guide"));
    }
}
