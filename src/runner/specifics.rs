//! What a known failure's message names (the port, the container, the image, the file), so
//! the fix can say `docker rm -f web` instead of `docker rm -f NAME`.

use std::sync::LazyLock;

use regex::Regex;

use super::explain::Explanation;

/// Turns the thing a message names into the line shown to the learner.
type Say = fn(&str) -> String;

/// Per explanation id: a regex whose first capture is the thing named, and how to say it.
const SPECIFICS: &[(&str, &str, Say)] = &[
    (
        "port-in-use",
        r"(?:Bind for \S*:(\d+) failed|listen tcp\S* \S*:(\d+): bind: address already in use)",
        |port| {
            format!(
                "port {port} is taken: `docker ps --filter publish={port}` shows a container holding it"
            )
        },
    ),
    (
        "container-name-in-use",
        r#"The container name "/?([^"]+)" is already in use"#,
        |name| format!("the name is `{name}`: `docker rm -f {name}` frees it"),
    ),
    (
        "image-not-found",
        r"(?:pull access denied for ([^\s,]+)|manifest for (\S+) not found|Unable to find image '([^']+)')",
        |image| format!("the image is `{image}`"),
    ),
    (
        "build-context",
        r#"(?:"/?([^"]+)": not found|stat ([^:\s]+): file does not exist)"#,
        |file| format!("the missing file is `{file}`"),
    ),
    ("no-such-container", r"No such container: (\S+)", |name| {
        format!("the container is `{name}`")
    }),
    (
        "context-not-found",
        r#"context "([^"]+)": context not found"#,
        |context| format!("the missing context is `{context}`"),
    ),
];

static COMPILED: LazyLock<Vec<(&'static str, Regex, Say)>> = LazyLock::new(|| {
    SPECIFICS
        .iter()
        .map(|(id, pattern, say)| {
            let regex = Regex::new(pattern).expect("specifics patterns are valid");
            (*id, regex, *say)
        })
        .collect()
});

/// One line saying what the failure's message names, when the explanation knows how to find it.
pub fn specifics(explanation: &Explanation, output: &str) -> Option<String> {
    let (_, regex, say) = COMPILED.iter().find(|(id, _, _)| *id == explanation.id)?;
    let captures = regex.captures(output)?;
    let named = captures.iter().skip(1).flatten().next()?.as_str();
    Some(say(named))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::explain;

    fn said(output: &str) -> Option<String> {
        specifics(explain(output)?, output)
    }

    #[test]
    fn names_the_port_the_container_the_image_and_the_file() {
        // Real messages, captured from the engine on the development machine.
        let port = "docker: Error response from daemon: driver failed programming external connectivity on endpoint dg-test-x (abc): Bind for 0.0.0.0:5000 failed: port is already allocated.";
        assert_eq!(
            said(port).as_deref(),
            Some(
                "port 5000 is taken: `docker ps --filter publish=5000` shows a container holding it"
            )
        );
        let host = "docker: Error response from daemon: driver failed programming external connectivity on endpoint web (abc): Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address already in use.";
        assert!(said(host).is_some_and(|s| s.starts_with("port 8080 ")));
        let name = r#"docker: Error response from daemon: Conflict. The container name "/flask-api" is already in use by container "0f3c". You have to remove (or rename) that container to be able to reuse that name."#;
        assert_eq!(
            said(name).as_deref(),
            Some("the name is `flask-api`: `docker rm -f flask-api` frees it")
        );
        let image = "docker: Error response from daemon: pull access denied for flask-apii, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.";
        assert_eq!(said(image).as_deref(), Some("the image is `flask-apii`"));
        let copy = "COPY failed: file not found in build context or excluded by .dockerignore: stat requirements.txt: file does not exist";
        assert_eq!(
            said(copy).as_deref(),
            Some("the missing file is `requirements.txt`")
        );
        let buildkit = r#"ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref abc::xyz: "/train.py": not found"#;
        assert_eq!(
            said(buildkit).as_deref(),
            Some("the missing file is `train.py`")
        );
    }

    #[test]
    fn says_nothing_when_the_message_names_nothing() {
        let daemon = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?";
        assert!(explain(daemon).is_some());
        assert_eq!(said(daemon), None);
        // Address in use without a port in the text.
        let bare = "Error: address already in use";
        assert!(explain(bare).is_some());
        assert_eq!(said(bare), None);
    }
}
