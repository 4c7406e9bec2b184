//! What a course needs from the machine, read from its steps: the host ports its
//! `docker run -p` flags (and compose files) publish, and its images.

use super::DoctorRequest;
use crate::lesson::{Chapter, Course, StepKind};

impl DoctorRequest {
    /// Every default check, with the whole course's ports and images.
    pub fn for_course(course: &Course) -> Self {
        DoctorRequest {
            ids: course_check_ids(course),
            deep: false,
            ports: published_ports(course),
            images: crate::lesson::images_needed(course),
        }
    }

    /// What a chapter's `requires` names, with that chapter's ports and the course's images
    /// (`None` when the chapter requires nothing).
    pub fn for_chapter(course: &Course, chapter: &Chapter) -> Option<Self> {
        if chapter.front.requires.is_empty() {
            return None;
        }
        Some(DoctorRequest {
            ids: chapter.front.requires.clone(),
            deep: false,
            ports: chapter_ports(chapter),
            images: crate::lesson::images_needed(course),
        })
    }
}

/// The checks to run for a whole course: none named (the defaults) unless a chapter
/// `requires` a check that is not a default one (`gpu`): then the defaults plus those, so the
/// doctor panel and `doctor` tell the learner whether the chapter can run here.
fn course_check_ids(course: &Course) -> Vec<String> {
    let mut extra: Vec<String> = Vec::new();
    for id in course.chapters.iter().flat_map(|c| &c.front.requires) {
        let optional = super::CHECKS.iter().any(|c| c.id == id && !c.default);
        if optional && !extra.contains(id) {
            extra.push(id.clone());
        }
    }
    if extra.is_empty() {
        return extra;
    }
    super::CHECKS
        .iter()
        .filter(|c| c.default)
        .map(|c| c.id.to_owned())
        .chain(extra)
        .collect()
}

/// Host ports published by the course's steps, sorted and without repeats.
pub fn published_ports(course: &Course) -> Vec<u16> {
    let mut ports: Vec<u16> = course.chapters.iter().flat_map(chapter_ports).collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// Host ports published by one chapter's steps, sorted and without repeats.
pub fn chapter_ports(chapter: &Chapter) -> Vec<u16> {
    let mut ports = Vec::new();
    for step in &chapter.steps {
        match &step.kind {
            StepKind::Command { script } => ports.extend(ports_in_script(script)),
            StepKind::File { path } if is_compose_file(path) => {
                ports.extend(ports_in_compose(&step.code))
            }
            StepKind::File { .. } => {}
        }
    }
    ports.sort_unstable();
    ports.dedup();
    ports
}

pub(super) fn is_compose_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
    )
}

/// Host ports of `-p`/`--publish` flags of `docker run|create` (and `container run|create`).
pub fn ports_in_script(script: &str) -> Vec<u16> {
    let joined = script.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut ports = Vec::new();
    for command in joined.split(['\n', ';', '|', '&']) {
        let words = shell_words(command);
        let Some(at) = words.iter().position(|w| w == "docker" || w == "podman") else {
            continue;
        };
        let rest = &words[at + 1..];
        let verb_at = match rest.first().map(String::as_str) {
            Some("container") => 1,
            _ => 0,
        };
        if !matches!(
            rest.get(verb_at).map(String::as_str),
            Some("run" | "create")
        ) {
            continue;
        }
        let mut iter = rest[verb_at + 1..].iter();
        while let Some(word) = iter.next() {
            let spec = match word.as_str() {
                "-p" | "--publish" => iter.next().map(String::as_str),
                w if w.starts_with("--publish=") => Some(&w["--publish=".len()..]),
                w if w.starts_with("-p") && w.len() > 2 && !w.starts_with("--") => {
                    Some(w[2..].trim_start_matches('='))
                }
                _ => None,
            };
            if let Some(spec) = spec {
                ports.extend(host_ports(spec));
            }
        }
    }
    ports
}

/// `8080:80`, `127.0.0.1:8080:80/tcp`, `[::1]:8080:80`, `8000-8002:8000-8002` → host ports;
/// `80` alone publishes on a random host port, so none.
pub fn host_ports(spec: &str) -> Vec<u16> {
    let spec = spec.split('/').next().unwrap_or(spec);
    // Drop an IPv6 host address in brackets, then split host part from container part.
    let spec = match spec.rfind(']') {
        Some(end) => spec[end + 1..].trim_start_matches(':'),
        None => spec,
    };
    let parts: Vec<&str> = spec.split(':').collect();
    let host = match parts.len() {
        2 => parts[0],
        3 => parts[1],
        _ => return Vec::new(),
    };
    match host.split_once('-') {
        Some((first, last)) => match (first.parse::<u16>(), last.parse::<u16>()) {
            (Ok(a), Ok(b)) if a <= b && b - a < 100 => (a..=b).collect(),
            _ => Vec::new(),
        },
        None => host
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .into_iter()
            .collect(),
    }
}

/// Host ports from a compose file's `ports:` entries (short syntax and `published:`).
pub fn ports_in_compose(yaml: &str) -> Vec<u16> {
    let mut ports = Vec::new();
    let mut in_ports: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed == "ports:" {
            in_ports = Some(indent);
            continue;
        }
        match in_ports {
            Some(base) if indent > base => {
                let item = trimmed.trim_start_matches("- ").trim();
                if let Some(value) = item.strip_prefix("published:") {
                    let value = value.trim().trim_matches(['"', '\'']);
                    ports.extend(value.parse::<u16>().ok());
                } else if !item.contains(": ") && !item.ends_with(':') {
                    ports.extend(host_ports(item.trim_matches(['"', '\''])));
                }
            }
            Some(_) => in_ports = None,
            None => {}
        }
    }
    ports
}

/// Splits a command into words, honouring single and double quotes (enough for flags).
pub(super) fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Chapter, CourseSource, FrontMatter, SourcePos, Step, StepAttrs};

    #[test]
    fn run_flags_in_every_spelling() {
        let script = "docker run -d --name web -p 8080:80 nginx\n\
                      docker run -p=5000:5000 --publish 127.0.0.1:8888:8888/tcp img\n\
                      docker container create --publish=9000:9000 -p3000:3000 img";
        assert_eq!(ports_in_script(script), vec![8080, 5000, 8888, 9000, 3000]);
    }

    #[test]
    fn only_docker_run_and_create_count() {
        assert!(ports_in_script("mkdir -p 8080:80 && docker ps -p").is_empty());
        assert!(ports_in_script("docker exec web curl -p 1:2").is_empty());
        assert_eq!(
            ports_in_script("mkdir -p x && docker run -p 80:80 nginx"),
            vec![80]
        );
    }

    #[test]
    fn continuation_lines_and_quotes() {
        let script = "docker run --rm \\\n  -p \"8501:8501\" \\\n  streamlit-app";
        assert_eq!(ports_in_script(script), vec![8501]);
    }

    #[test]
    fn host_port_forms() {
        assert_eq!(host_ports("8080:80"), vec![8080]);
        assert_eq!(host_ports("0.0.0.0:8080:80/udp"), vec![8080]);
        assert_eq!(host_ports("[::1]:6006:6006"), vec![6006]);
        assert_eq!(host_ports("8000-8002:8000-8002"), vec![8000, 8001, 8002]);
        assert!(host_ports("80").is_empty(), "random host port");
        assert!(
            host_ports("127.0.0.1::80").is_empty(),
            "random host port on an address"
        );
        assert!(host_ports("abc:80").is_empty());
    }

    #[test]
    fn compose_short_and_long_syntax() {
        let yaml = "services:\n  web:\n    image: nginx\n    ports:\n      - \"8080:80\"\n      - target: 5432\n        published: 15432\n    environment:\n      - A=1:2\n";
        assert_eq!(ports_in_compose(yaml), vec![8080, 15432]);
    }

    fn step(index: usize, kind: StepKind, code: &str) -> Step {
        Step {
            id: format!("s-{index}"),
            index,
            kind,
            lang: "sh".into(),
            code: code.into(),
            attrs: StepAttrs::default(),
            pos: SourcePos {
                file: "x.md".into(),
                line: 1,
                column: 1,
            },
            span: 0..0,
            task: None,
            reading: Default::default(),
        }
    }

    #[test]
    fn a_course_publishes_the_union_sorted() {
        let steps = vec![
            step(
                0,
                StepKind::Command {
                    script: "docker run -p 8888:8888 jupyter".into(),
                },
                "",
            ),
            step(
                1,
                StepKind::File {
                    path: "app/compose.yaml".into(),
                },
                "services:\n  db:\n    ports:\n      - 5432:5432\n",
            ),
            step(
                2,
                StepKind::Command {
                    script: "docker run -p 8888:8888 -p 80:80 x".into(),
                },
                "",
            ),
        ];
        let chapter = Chapter {
            slug: "c".into(),
            file_name: "01-c.md".into(),
            display_path: "lessons/01-c.md".into(),
            title: "C".into(),
            front: FrontMatter::default(),
            markdown: Default::default(),
            body_first_line: 1,
            steps,
        };
        let course = Course {
            id: "t".into(),
            title: "T".into(),
            description: None,
            version: None,
            images: vec![
                "python:3.12-slim".into(),
                "docker.io/library/python:3.12-slim".into(),
                "jupyter".into(),
            ],
            source: CourseSource::Embedded,
            chapters: vec![chapter],
            assets: Vec::new(),
            diagnostics: Vec::new(),
        };
        assert_eq!(published_ports(&course), vec![80, 5432, 8888]);
        // course.toml first, then what the steps run; `jupyter` and `jupyter:latest` are one.
        assert_eq!(
            crate::lesson::images_needed(&course),
            vec!["python:3.12-slim", "jupyter", "x"]
        );
        assert_eq!(
            DoctorRequest::for_course(&course).ports,
            vec![80, 5432, 8888]
        );
        assert_eq!(
            DoctorRequest::for_chapter(&course, &course.chapters[0]),
            None
        );
        let mut course = course;
        course.chapters[0].front.requires = vec!["daemon".into(), "ports".into()];
        let request = DoctorRequest::for_chapter(&course, &course.chapters[0]).expect("requires");
        assert_eq!(request.ids, vec!["daemon".to_string(), "ports".to_string()]);
        assert_eq!(request.images, vec!["python:3.12-slim", "jupyter", "x"]);
        // Default checks only: nothing named, the doctor's own defaults.
        assert!(DoctorRequest::for_course(&course).ids.is_empty());
        // A chapter that requires an optional check: the defaults plus it, once.
        course.chapters[0].front.requires = vec!["gpu".into(), "daemon".into(), "gpu".into()];
        let ids = DoctorRequest::for_course(&course).ids;
        let defaults: Vec<&str> = super::super::CHECKS
            .iter()
            .filter(|c| c.default)
            .map(|c| c.id)
            .collect();
        assert_eq!(ids[..defaults.len()], defaults[..]);
        assert_eq!(ids[defaults.len()..], ["gpu"]);
    }
}
