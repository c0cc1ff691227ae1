//! The README's list of supported syscalls is generated from the dispatch table
//! (`syscalls/src/runtime/dispatch.rs`), so it cannot drift: this test fails when they differ.
//! `scripts/update-syscall-list.sh` (or this test with `ELFCONV2_UPDATE_SYSCALL_LIST=1`)
//! rewrites the list.

use elfconv2_syscalls::syscall_names::parse_dispatch_table;
use elfconv2_tests::paths;

const BEGIN: &str = "<!-- syscall-list:begin -->";
const END: &str = "<!-- syscall-list:end -->";

/// The list as Markdown: one table row per family, in the table's order.
fn render(table_src: &str) -> String {
    let entries = parse_dispatch_table(table_src);
    assert!(
        !entries.is_empty(),
        "no entries found in the dispatch table"
    );
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    for e in &entries {
        let name = format!("`{}`", e.name);
        match rows.last_mut() {
            Some((family, names)) if *family == e.family => names.push(name),
            _ => rows.push((e.family.clone(), vec![name])),
        }
    }
    let mut out = String::new();
    out.push_str(&format!(
        "{} syscalls, by family (`syscalls/src/runtime/<file>`). Every other syscall returns `-ENOSYS`.\n\n",
        entries.len()
    ));
    out.push_str("| family | syscalls |\n|---|---|\n");
    for (family, names) in rows {
        out.push_str(&format!("| {family} | {} |\n", names.join(", ")));
    }
    out
}

#[test]
fn readme_lists_the_syscalls_of_the_dispatch_table() {
    let root = paths::workspace_root();
    let table = std::fs::read_to_string(root.join("syscalls/src/runtime/dispatch.rs"))
        .expect("reading syscalls/src/runtime/dispatch.rs");
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("reading README.md");
    let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md has no `{BEGIN}` ... `{END}` section");
    };
    let current = &readme[b + BEGIN.len()..e];
    let wanted = format!("\n{}", render(&table));
    if current == wanted {
        return;
    }
    if std::env::var_os("ELFCONV2_UPDATE_SYSCALL_LIST").is_some() {
        let updated = format!("{}{BEGIN}{wanted}{}", &readme[..b], &readme[e..]);
        std::fs::write(&readme_path, updated).expect("writing README.md");
        eprintln!("README.md: syscall list updated");
        return;
    }
    panic!(
        "README.md's syscall list differs from syscalls/src/runtime/dispatch.rs; run scripts/update-syscall-list.sh.\nexpected:\n{wanted}\nfound:\n{current}"
    );
}
