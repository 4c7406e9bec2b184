//! `export -p` as dash, bash and zsh really print it: hostile values survive the round trip.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

use proptest::prelude::*;

use super::*;
use crate::runner::shell::{Shell, shell_found};

/// The shells of this machine (zsh only when installed) and the locales their printers differ in.
fn shells() -> Vec<Shell> {
    [Shell::Sh, Shell::Bash, Shell::Zsh]
        .into_iter()
        .filter(|&shell| shell_found(shell, None))
        .collect()
}

const LOCALES: [&str; 2] = ["C", "C.UTF-8"];

/// What `shell`'s dump (the one the runner uses) prints with `vars` in its environment.
fn dump(shell: Shell, locale: &str, vars: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut command = Command::new(shell.program());
    command
        .env_clear()
        .env("LC_ALL", locale)
        .args(["-c", shell.export_dump()]);
    for (name, value) in vars {
        command.env(name, OsStr::from_bytes(value));
    }
    let out = command.output().unwrap();
    assert!(out.status.success(), "{shell:?}: {out:?}");
    out.stdout
}

/// Checks that every variable of `vars` reads back from every shell's dump as it was set.
fn round_trips(vars: &[(String, Vec<u8>)]) -> Result<(), TestCaseError> {
    for shell in shells() {
        for locale in LOCALES {
            let printed = dump(shell, locale, vars);
            let read = entries(&printed);
            for (name, value) in vars {
                let utf8 = std::str::from_utf8(value).is_ok();
                if shell == Shell::Zsh && (!utf8 || locale == "C" && zsh_ambiguous(value)) {
                    // zsh prints a lone byte 0x80–0x9F as it prints U+0080–U+009F.
                    continue;
                }
                let got = read.iter().find(|(n, _)| n == name).map(|(_, v)| v);
                prop_assert_eq!(
                    got,
                    Some(value),
                    "{:?} {}: {}",
                    shell,
                    locale,
                    String::from_utf8_lossy(&printed)
                );
            }
            let text = exported(&printed);
            for (name, value) in vars {
                let utf8 = std::str::from_utf8(value).ok();
                if shell == Shell::Zsh && utf8.is_none() {
                    continue;
                }
                prop_assert_eq!(text.get(name).map(String::as_str), utf8);
            }
        }
    }
    Ok(())
}

/// Whether zsh in a C locale prints `value` as it prints another: 0xDC (`\M-\`) before
/// `t`, `n` or `C-` reads as the escape `\M-\t`… would. Never UTF-8, so never carried.
fn zsh_ambiguous(value: &[u8]) -> bool {
    value
        .windows(2)
        .any(|w| w[0] == 0xdc && matches!(w[1], b't' | b'n' | b'C'))
}

#[test]
fn every_byte_survives_every_shell_and_locale() {
    let all: Vec<u8> = (1..=255).collect();
    let mut vars = vec![("DG_ALL".to_string(), all)];
    for b in 1..=255u8 {
        // Each byte alone and between letters: escapes that swallow a neighbour show.
        vars.push((format!("DG_B{b}"), vec![b'x', b, b'y', b]));
    }
    round_trips(&vars).unwrap();
}

#[test]
fn hostile_text_survives_every_shell() {
    let values = [
        "",
        " ",
        "it's",
        "'",
        "''\\''",
        "\"quoted\" and `ticks` and $HOME and ${HOME} and $(id)",
        "back\\slash\\",
        "\\'\\\"\\n\\t\\x41\\101\\u263a\\C-a\\M-a\\e",
        "line one\nline two\n",
        "\n",
        "tab\tcr\rbell\u{7}esc\u{1b}[31mdel\u{7f}",
        "unicode é ✓ 漢字 🐳 \u{200b}\u{feff}",
        "export FAKE='x'\ndeclare -x OTHER=\"y\"",
        "a;b&c|d>e<f(g)h{i}j[k]l*m?n~o#p!q%r^s=t",
        "-i10 not a flag",
    ];
    let vars: Vec<(String, Vec<u8>)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("DG_V{i}"), v.as_bytes().to_vec()))
        .collect();
    round_trips(&vars).unwrap();
    // A value that looks like a command of the dump adds no variable.
    let printed = dump(Shell::Sh, "C.UTF-8", &vars);
    assert!(!exported(&printed).contains_key("FAKE"));
    assert!(!exported(&printed).contains_key("OTHER"));
}

#[test]
fn each_dialect_as_printed_reads_back() {
    let dash = b"export EMPTY=''\nexport Q='it'\"'\"'s'\nexport Z\nexport N='a\nb'\n";
    let bash = b"declare -x EMPTY=\"\"\ndeclare -rx Q=\"a\\\"b\\$c\\`d\\\\e!f\"\n\
                 declare -x OLDPWD\ndeclare -ax ARR=([0]=\"x\" [1]=\"y\")\n\
                 declare -x X=$'a\\nb\\'c\\E[31m\\001\\303\\251'\n";
    let zsh = b"export -i10 SHLVL=1\nexport HOME=/x\nexport R='it'\\''s'\n\
                export X=$'x\\C-?y\\M-\\C-@z \\M-C\\M-)\\C-_'\n";
    let read = |dump: &[u8]| -> Vec<(String, Vec<u8>)> { entries(dump) };
    let pairs = |list: &[(&str, &[u8])]| -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_vec()))
            .collect()
    };
    assert_eq!(
        read(dash),
        pairs(&[("EMPTY", b""), ("Q", b"it's"), ("N", b"a\nb")])
    );
    assert_eq!(
        read(bash),
        pairs(&[
            ("EMPTY", b""),
            ("Q", b"a\"b$c`d\\e!f"),
            ("X", b"a\nb'c\x1b[31m\x01\xc3\xa9"),
        ])
    );
    assert_eq!(
        read(zsh),
        pairs(&[
            ("SHLVL", b"1"),
            ("HOME", b"/x"),
            ("R", b"it's"),
            // `\M-\C-@` alone is not UTF-8: zsh printed U+0080 (or the lone byte).
            ("X", b"x\x7fy\xc2\x80z \xc3\xa9\x1f"),
        ])
    );
}

#[test]
fn truncated_or_foreign_text_is_read_without_panic() {
    for text in [
        &b"export X='unterminated"[..],
        b"export X=$'\\",
        b"export X=$'\\M-",
        b"export X=$'\\x",
        b"export X=$'\\u{zz}'",
        b"export X=\"\\",
        b"echo hello; rm -rf /\n",
        b"export 1BAD=x\nexport =x\nexport\n",
        b"\\",
    ] {
        let read = exported(text);
        assert!(read.keys().all(|name| name == "X"), "{read:?}");
    }
}

/// Bytes a value can hold (no NUL), weighted towards what quoting rules treat specially.
fn value() -> impl Strategy<Value = Vec<u8>> {
    let special = prop::sample::select(
        b"'\"\\$`\n\t\r !;&|(){}[]*?~#=-\x1b\x7f\x01\x1f\x80\xff\xc3\xa9CM".to_vec(),
    );
    let any = 1u8..=255;
    let text = "[a-z0-9 é✓🐳]{0,3}".prop_map(String::into_bytes);
    prop::collection::vec(
        prop_oneof![
            special.prop_map(|b| vec![b]),
            any.prop_map(|b| vec![b]),
            text
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_values_survive_every_shell(values in prop::collection::vec(value(), 1..6)) {
        let vars: Vec<(String, Vec<u8>)> = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("DG_P{i}"), v))
            .collect();
        round_trips(&vars)?;
    }
}
