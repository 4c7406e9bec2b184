//! `docker-guide man`: the manual page, generated from the CLI definition by clap_mangen.
//! A subcommand rather than a build step because every way of installing (the wheel, `cargo
//! install`, the release archives) then has it: the release workflow runs `man --dir` on the
//! built binary to ship the pages, and a user of any install can write them where `man` looks.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory};

use super::Outcome;
use crate::cli::{Cli, GlobalArgs};

#[derive(Debug, Args)]
#[command(after_help = "Read it now:  docker-guide man | man -l -\n\
    Install:      docker-guide man --dir ~/.local/share/man/man1")]
pub struct ManArgs {
    /// Write docker-guide.1 and one page per subcommand (docker-guide-run.1, …) into DIR
    /// instead of printing the main page
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ManError {
    #[error("cannot write the man pages into {}: {source}", dir.display())]
    Write {
        dir: PathBuf,
        source: std::io::Error,
    },
}

pub fn run(_global: &GlobalArgs, args: ManArgs) -> anyhow::Result<Outcome> {
    match args.dir {
        Some(dir) => {
            let written = write_pages(&dir)?;
            println!("wrote {} man pages to {}", written.len(), dir.display());
        }
        None => {
            let page = main_page()?;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&page).and_then(|()| stdout.flush()) {
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => return Err(err.into()),
                _ => {}
            }
        }
    }
    Ok(Outcome::Success)
}

/// The sections clap does not know: environment, files, exit status, see also.
const EXTRA_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBDOCKER_GUIDE_LESSONS\fR
The course to open, as with \fB\-\-lessons\fR.
.TP
\fBDOCKER_GUIDE_WORKSPACE\fR
Where steps run, as with \fB\-\-workspace\fR.
.TP
\fBDOCKER_HOST\fR, \fBDOCKER_CONTEXT\fR
Which engine the steps and the doctor talk to (Docker Engine, Docker Desktop, Podman's
Docker\-compatible socket, ...).
.TP
\fBNO_COLOR\fR
Any non\-empty value turns colours off.
.SH FILES
.TP
\fI$XDG_STATE_HOME/docker\-guide/progress.json\fR
What you completed (\fBdocker\-guide progress\fR).
.TP
\fI$XDG_DATA_HOME/docker\-guide/workspaces/\fR
One folder per course, where its steps run.
.SH EXIT STATUS
0 success, 1 the thing checked failed (lint errors, a failed step, a failed doctor check),
2 usage or internal error.
.SH SEE ALSO
\fBdocker\fR(1), \fBpodman\fR(1)
"#;

/// The main page (`docker-guide.1`) as roff, with the extra sections.
pub fn main_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command().disable_help_subcommand(true)).render(&mut out)?;
    out.extend_from_slice(EXTRA_SECTIONS.as_bytes());
    Ok(out)
}

/// Writes `docker-guide.1` (with the extra sections) and a page per subcommand into `dir`
/// (created if missing); returns the files written.
pub fn write_pages(dir: &Path) -> Result<Vec<PathBuf>, ManError> {
    let wrap = |source| ManError::Write {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(wrap)?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(wrap)?;
    // clap_mangen's main page lacks our extra sections: replace it.
    std::fs::write(dir.join("docker-guide.1"), main_page().map_err(wrap)?).map_err(wrap)?;
    let mut written: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(wrap)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("docker-guide") && n.ends_with(".1"))
        })
        .collect();
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_main_page_is_roff_with_every_subcommand_and_our_sections() {
        let page = String::from_utf8(super::main_page().unwrap()).unwrap();
        assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
        assert!(page.contains(".TH docker-guide 1"));
        for needle in [
            "doctor",
            "completions",
            ".SH ENVIRONMENT",
            ".SH EXIT STATUS",
        ] {
            assert!(page.contains(needle), "no {needle}");
        }
    }

    #[test]
    fn dir_gets_one_page_per_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        let written = super::write_pages(&dir.path().join("man1")).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        for name in [
            "docker-guide.1",
            "docker-guide-doctor.1",
            "docker-guide-run.1",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} not in {names:?}");
        }
        let main = std::fs::read_to_string(dir.path().join("man1/docker-guide.1")).unwrap();
        assert!(main.contains(".SH FILES"));
    }
}
