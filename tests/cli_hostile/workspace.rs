//! Symlinks in the workspace (issue 12 item 1): file steps, assets and `reset` never write
//! or delete through a link that leads out of the workspace.

use super::Home;

#[test]
fn run_and_reset_never_write_or_delete_through_a_symlink_out_of_the_workspace() {
    let home = Home::new();
    let course = home.course(&[
        (
            "01-a.md",
            b"# A\n\n```text {file=\"link/same.txt\"}\nmine\n```\n\n```text {file=\"link/sub/new.txt\"}\nmine\n```\n",
        ),
        ("assets/file-link", b"asset\n"),
    ]);
    let outside = home.path("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("same.txt"), "theirs\n").unwrap();
    std::fs::write(outside.join("target.txt"), "theirs too\n").unwrap();
    let ws = home.path("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::os::unix::fs::symlink(&outside, ws.join("link")).unwrap();
    std::os::unix::fs::symlink(outside.join("target.txt"), ws.join("file-link")).unwrap();

    let run = home.bin(&course, &["run", "--yes", "1"]).output().unwrap();
    let text = String::from_utf8_lossy(&super::all_output(&run)).into_owned();
    assert!(!run.status.success(), "{text}");
    assert!(text.contains("leads out of the workspace"), "{text}");

    // Progress says the steps ran, as after a crash halfway: reset must still not follow.
    let state = home.path("state/docker-guide");
    std::fs::create_dir_all(&state).unwrap();
    std::fs::write(
        state.join("progress.json"),
        r#"{"schema":1,"courses":{"course":{"steps":{
            "a-1":{"status":"passed","last_run":"2026-01-01T00:00:00Z","attempts":1},
            "a-2":{"status":"passed","last_run":"2026-01-01T00:00:00Z","attempts":1}}}}}"#,
    )
    .unwrap();
    let reset = home
        .bin(&course, &["reset", "--yes", "1"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&reset.stdout);
    assert!(!text.contains("✓ deleted"), "{text}");
    assert_eq!(
        std::fs::read_to_string(outside.join("same.txt")).unwrap(),
        "theirs\n"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("target.txt")).unwrap(),
        "theirs too\n"
    );
    assert!(!outside.join("sub").exists());
}
