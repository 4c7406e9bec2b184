//! Reading `docker …` command lines: which subcommand, which flags, which image, which
//! container name. Used to infer `interactive`, to lint cleanups and to list images.
//!
//! Flag tables are deliberately inverted: the few *boolean* flags are listed, every other
//! flag takes a value. That keeps `docker build -t NAME` (a tag) apart from `docker run -t`
//! (a TTY) and finds the image even behind flags this table has never heard of.

use super::shell::SimpleCommand;

/// A `docker` (or `docker-compose`) call: its subcommand path and the arguments after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerCall {
    /// `run`, `exec`, `build`, `pull`, `compose up`, … (`container run` is read as `run`).
    pub command: String,
    pub args: Vec<String>,
}

/// The `docker` call in a simple command, if it is one (after `sudo`, `time`, `VAR=x`).
pub fn docker_call(cmd: &SimpleCommand) -> Option<DockerCall> {
    let mut words = cmd.words.iter().map(String::as_str).peekable();
    while let Some(&w) = words.peek() {
        let assignment = w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if assignment || matches!(w, "sudo" | "time" | "command" | "exec" | "nohup" | "env") {
            words.next();
        } else if w.starts_with('-') && w.len() > 1 {
            // Options of those wrappers; `sudo -u USER` and `-g GROUP` take a value.
            words.next();
            if matches!(w, "-u" | "-g" | "-C" | "-h") {
                words.next();
            }
        } else {
            break;
        }
    }
    let program = words.next()?;
    let program = program.rsplit('/').next().unwrap_or(program);
    let rest: Vec<&str> = words.collect();
    match program {
        "docker" => {
            let rest = skip_flags(&rest, &["-D", "--debug", "--tls", "--tlsverify"], "");
            let (&sub, tail) = rest.split_first()?;
            match sub {
                "compose" => compose_call(tail),
                "container" | "image" | "builder" | "network" | "volume" => {
                    let (&verb, tail) = tail.split_first()?;
                    let command = match (sub, verb) {
                        ("container" | "image" | "builder", _) => verb.to_string(),
                        _ => format!("{sub} {verb}"),
                    };
                    Some(call(&command, tail))
                }
                _ => Some(call(sub, tail)),
            }
        }
        "docker-compose" => compose_call(&rest),
        _ => None,
    }
}

fn compose_call(args: &[&str]) -> Option<DockerCall> {
    let rest = skip_flags(
        args,
        &["--dry-run", "--compatibility", "--all-resources"],
        "",
    );
    let (&verb, tail) = rest.split_first()?;
    Some(call(&format!("compose {verb}"), tail))
}

fn call(command: &str, args: &[&str]) -> DockerCall {
    DockerCall {
        command: command.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

/// Skips leading flags (and their values) and returns the words from the first positional.
fn skip_flags<'a, 'b>(args: &'b [&'a str], bool_long: &[&str], bool_short: &str) -> &'b [&'a str] {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match flag(arg, bool_long, bool_short) {
            Flag::Positional => break,
            Flag::End => return &args[(i + 1).min(args.len())..],
            Flag::Bool => i += 1,
            Flag::Value => i += 2,
        }
    }
    &args[i.min(args.len())..]
}

enum Flag {
    Positional,
    End,
    Bool,
    /// Takes the next word as its value.
    Value,
}

fn flag(arg: &str, bool_long: &[&str], bool_short: &str) -> Flag {
    if arg == "--" {
        Flag::End
    } else if bool_long.contains(&arg) {
        Flag::Bool
    } else if let Some(long) = arg.strip_prefix("--") {
        if long.contains('=') {
            Flag::Bool
        } else {
            Flag::Value
        }
    } else if let Some(short) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
        // A cluster such as `-dit` or `-dp 80:80`: a value flag ends it, taking the rest of
        // the cluster or, when it is last, the next word.
        for (i, c) in short.char_indices() {
            if !bool_short.contains(c) {
                return if i + c.len_utf8() == short.len() {
                    Flag::Value
                } else {
                    Flag::Bool
                };
            }
        }
        Flag::Bool
    } else {
        Flag::Positional
    }
}

/// Whether a cluster or long flag sets one of `letters` / `long` (`-dit` sets `t`).
fn sets(arg: &str, letters: &str, long: &[&str]) -> bool {
    if arg.starts_with("--") {
        let (name, value) = arg.split_once('=').unwrap_or((arg, "true"));
        long.contains(&name) && value != "false"
    } else if let Some(short) = arg.strip_prefix('-') {
        short.chars().any(|c| letters.contains(c))
    } else {
        false
    }
}

/// What a `docker run` / `docker create` / `docker exec` / compose call does with the terminal
/// and the containers it starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Launch {
    pub tty: bool,
    pub detach: bool,
    pub rm: bool,
    pub name: Option<String>,
    /// The image (`run`, `create`) or container / service (`exec`).
    pub target: Option<String>,
    /// The command after the target.
    pub command: Vec<String>,
}

const RUN_BOOL_LONG: &[&str] = &[
    "--detach",
    "--interactive",
    "--tty",
    "--rm",
    "--privileged",
    "--init",
    "--read-only",
    "--publish-all",
    "--no-healthcheck",
    "--oom-kill-disable",
    "--sig-proxy",
    "--help",
    "--quiet",
    "--disable-content-trust",
    "--use-api-socket",
    "--no-TTY",
    "--no-deps",
    "--service-ports",
    "--build",
    "--remove-orphans",
    "--quiet-pull",
    "--index",
];

/// Reads the flags of `run`, `create`, `exec`, `compose run` and `compose exec`.
pub fn launch(call: &DockerCall) -> Option<Launch> {
    let compose = call.command.starts_with("compose ");
    let bool_short = if compose { "dTiP" } else { "ditPq" };
    if !matches!(
        call.command.as_str(),
        "run" | "create" | "exec" | "compose run" | "compose exec"
    ) {
        return None;
    }
    let args: Vec<&str> = call.args.iter().map(String::as_str).collect();
    let rest = skip_flags(&args, RUN_BOOL_LONG, bool_short);
    let flags = &args[..args.len() - rest.len()];
    let mut out = Launch::default();
    let mut iter = flags.iter();
    while let Some(arg) = iter.next() {
        if let Some(name) = arg.strip_prefix("--name=") {
            out.name = Some(name.to_string());
        } else if *arg == "--name" {
            out.name = iter.next().map(|s| s.to_string());
        }
        out.detach |= sets(arg, "d", &["--detach"]);
        out.rm |= sets(arg, "", &["--rm"]);
        out.tty |= !compose && sets(arg, "t", &["--tty"]);
    }
    let no_tty = flags.iter().any(|a| sets(a, "T", &["--no-TTY"]));
    let mut rest = rest.iter().map(|s| s.to_string());
    out.target = rest.next();
    out.command = rest.collect();
    if compose {
        // Compose allocates a TTY by default; it matters when the command is a bare shell or REPL.
        const REPLS: &[&str] = &[
            "sh",
            "bash",
            "ash",
            "zsh",
            "python",
            "python3",
            "ipython",
            "node",
            "irb",
            "mysql",
            "psql",
            "redis-cli",
            "mongosh",
        ];
        out.tty = !no_tty && out.command.len() == 1 && REPLS.contains(&out.command[0].as_str());
    }
    Some(out)
}

/// Whether the call needs the learner's real terminal: a TTY without `--detach`, or `attach`.
pub fn needs_tty(call: &DockerCall) -> bool {
    call.command == "attach" || launch(call).is_some_and(|l| l.tty && !l.detach)
}

/// The positional arguments of a call whose flags are unknown to us, e.g. `rm -f a b`.
pub fn positionals(call: &DockerCall) -> Vec<&str> {
    let bool_long = [
        "--force",
        "--all",
        "--volumes",
        "--link",
        "--quiet",
        "--all-tags",
    ];
    let mut out = Vec::new();
    let mut rest: Vec<&str> = call.args.iter().map(String::as_str).collect();
    loop {
        let args = skip_flags(&rest, &bool_long, "faqvl");
        let Some((first, tail)) = args.split_first() else {
            return out;
        };
        out.push(*first);
        rest = tail.to_vec();
    }
}

/// The tags a `docker build` / `buildx build` gives (`-t NAME`, `--tag=NAME`).
pub fn build_tags(call: &DockerCall) -> Vec<String> {
    if !matches!(call.command.as_str(), "build" | "buildx") {
        return Vec::new();
    }
    let mut tags = Vec::new();
    let mut iter = call.args.iter();
    while let Some(arg) = iter.next() {
        if let Some(tag) = arg
            .strip_prefix("--tag=")
            .or_else(|| arg.strip_prefix("-t="))
        {
            tags.push(tag.to_string());
        } else if arg == "-t" || arg == "--tag" {
            tags.extend(iter.next().cloned());
        } else if let Some(tag) = arg.strip_prefix("-t").filter(|t| !t.is_empty()) {
            tags.push(tag.to_string());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::shell::simple_commands;

    fn call(line: &str) -> DockerCall {
        docker_call(&simple_commands(line)[0]).expect("a docker call")
    }

    #[test]
    fn subcommands_behind_global_flags_and_groups() {
        assert_eq!(call("docker --context remote -D ps -a").command, "ps");
        assert_eq!(call("/usr/local/bin/docker container run x").command, "run");
        assert_eq!(
            call("docker compose -f c.yaml -p proj up -d").command,
            "compose up"
        );
        assert_eq!(call("docker-compose down").command, "compose down");
        assert_eq!(call("docker network create net").command, "network create");
        assert!(docker_call(&simple_commands("dockerd --debug")[0]).is_none());
    }

    #[test]
    fn launch_reads_flags_image_and_command() {
        let l = launch(&call(
            "docker run -dp 8080:80 --rm --name=web -v \"$PWD:/srv\" --platform linux/amd64 nginx:1.27 nginx -g 'daemon off;'",
        ))
        .unwrap();
        assert!(l.detach && l.rm && !l.tty);
        assert_eq!(l.name.as_deref(), Some("web"));
        assert_eq!(l.target.as_deref(), Some("nginx:1.27"));
        assert_eq!(l.command, ["nginx", "-g", "daemon off;"]);
        let l = launch(&call("docker exec -it --user root db psql")).unwrap();
        assert!(l.tty);
        assert_eq!(l.target.as_deref(), Some("db"));
        assert!(launch(&call("docker build -t x .")).is_none());
    }

    #[test]
    fn positionals_and_tags() {
        assert_eq!(positionals(&call("docker rm -f -v a b")), ["a", "b"]);
        assert_eq!(positionals(&call("docker stop -t 5 web")), ["web"]);
        assert_eq!(
            build_tags(&call("docker build -t a:1 --tag=b --build-arg X=1 -tc .")),
            ["a:1", "b", "c"]
        );
    }
}
