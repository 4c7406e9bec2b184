//! The attributes docker-guide reads on a code block ([`Attr`]: key, flag or value, an
//! example value), and the ones other tools write that are accepted quietly.

/// An attribute of ours on a code block: its key, whether it is a flag, how a value looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Id,
    Norun,
    Timeout,
    Exit,
    Expect,
    Check,
    Background,
    Ready,
    Confirm,
    Interactive,
    File,
    Task,
    Watch,
    Isolated,
}

impl Attr {
    pub const ALL: [Attr; 14] = [
        Attr::Id,
        Attr::Norun,
        Attr::Timeout,
        Attr::Exit,
        Attr::Expect,
        Attr::Check,
        Attr::Background,
        Attr::Ready,
        Attr::Confirm,
        Attr::Interactive,
        Attr::File,
        Attr::Task,
        Attr::Watch,
        Attr::Isolated,
    ];

    /// The key as written in a block's info string.
    pub const fn key(self) -> &'static str {
        match self {
            Attr::Id => "id",
            Attr::Norun => "norun",
            Attr::Timeout => "timeout",
            Attr::Exit => "exit",
            Attr::Expect => "expect",
            Attr::Check => "check",
            Attr::Background => "background",
            Attr::Ready => "ready",
            Attr::Confirm => "confirm",
            Attr::Interactive => "interactive",
            Attr::File => "file",
            Attr::Task => "task",
            Attr::Watch => "watch",
            Attr::Isolated => "isolated",
        }
    }

    pub fn from_key(key: &str) -> Option<Attr> {
        Attr::ALL.into_iter().find(|attr| attr.key() == key)
    }

    /// A flag is written alone (`background`); the others take a value, e.g. this one.
    pub const fn example(self) -> Option<&'static str> {
        match self {
            Attr::Norun
            | Attr::Background
            | Attr::Confirm
            | Attr::Interactive
            | Attr::Task
            | Attr::Isolated => None,
            Attr::Id => Some("id=build-image"),
            Attr::Timeout => Some("timeout=300"),
            Attr::Exit => Some("exit=1"),
            Attr::Expect => Some("expect=\"Successfully\""),
            Attr::Check => Some("check=\"docker image inspect NAME\""),
            Attr::Ready => Some("ready=\"http://localhost:5000/health\""),
            Attr::File => Some("file=\"Dockerfile\""),
            Attr::Watch => Some("watch=\"Dockerfile app/*.py\""),
        }
    }
}

/// The keys of [`Attr`], for "did you mean" and for telling our blocks from others'.
pub const KNOWN_ATTRS: &[&str] = &{
    let mut keys = [""; Attr::ALL.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = Attr::ALL[i].key();
        i += 1;
    }
    keys
};

/// Attributes other tools write on code blocks, accepted quietly: MkDocs / Docker's docs
/// (`collapse`, `title`, `hl_lines`, `linenums`), Sphinx/MyST, Docusaurus, and runme's
/// (`name`, `cwd`, `excludeFromRunAll` are mapped to ours; the others have no meaning here).
pub const FOREIGN_ATTRS: &[&str] = &[
    "collapse",
    "title",
    "hl_lines",
    "linenums",
    "linenos",
    "lineno-start",
    "emphasize-lines",
    "caption",
    "class",
    "filename",
    "highlight",
    "lang",
    "language",
    "showLineNumbers",
    "copy",
    "wrap",
    "mark",
    "ins",
    "del",
    "name",
    "cwd",
    "excludeFromRunAll",
    "closeTerminalOnSuccess",
    "mimeType",
    "terminalRows",
    "promptEnv",
    "category",
    "interpreter",
    "skipPrompts",
];

#[cfg(test)]
mod tests {
    use super::{Attr, KNOWN_ATTRS};

    #[test]
    fn every_attr_has_one_key_and_flags_have_no_example() {
        assert_eq!(KNOWN_ATTRS.len(), Attr::ALL.len());
        for attr in Attr::ALL {
            assert_eq!(Attr::from_key(attr.key()), Some(attr));
            assert!(KNOWN_ATTRS.contains(&attr.key()));
            if let Some(example) = attr.example() {
                assert!(
                    example.starts_with(&format!("{}=", attr.key())),
                    "{example}"
                );
            }
        }
        let flags: Vec<&str> = Attr::ALL
            .into_iter()
            .filter(|a| a.example().is_none())
            .map(Attr::key)
            .collect();
        assert_eq!(
            flags,
            [
                "norun",
                "background",
                "confirm",
                "interactive",
                "task",
                "isolated"
            ]
        );
        assert_eq!(Attr::from_key("colour"), None);
    }
}
