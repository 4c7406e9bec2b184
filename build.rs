//! The official course is embedded with include_dir; without these lines a file *added* to
//! `lessons/` or `assets/` would not trigger a rebuild.

fn main() {
    println!("cargo::rerun-if-changed=lessons");
    println!("cargo::rerun-if-changed=assets");
}
