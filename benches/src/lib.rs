//! Statistics and the Markdown report of the elfconv2 benchmark runner (see `main.rs`).

use std::fmt::Write as _;

/// The ways each benchmark is run, in table order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// x86-64 build with gcc -O2, run natively.
    Native,
    /// riscv64 build (gcc -O2 -static) under qemu-riscv64.
    Qemu,
    /// The C compiled straight to wasm32-wasi by clang -O2, on wasmtime (Python bindings).
    WasmDirect,
    /// The riscv64 build translated by elfconv2, on the same wasmtime.
    Translated,
    /// The riscv64 build through `elfconv2 run` (embedded wasmtime), wall clock.
    ElfconvRun,
    /// The direct wasm module on our own interpreter, built natively (`runtime`), wall clock.
    Runtime,
    /// The direct wasm module on the `wasmi` interpreter (CLI), wall clock.
    Wasmi,
    /// The direct wasm module on runtime.wasm (our interpreter compiled to Wasm) on wasmtime.
    SelfHosted,
    /// The translated module on runtime.wasm on wasmtime.
    SelfHostedTranslated,
}

pub const COLUMNS: [Column; 9] = [
    Column::Native,
    Column::Qemu,
    Column::WasmDirect,
    Column::Translated,
    Column::ElfconvRun,
    Column::Runtime,
    Column::Wasmi,
    Column::SelfHosted,
    Column::SelfHostedTranslated,
];

impl Column {
    pub fn title(self) -> &'static str {
        match self {
            Column::Native => "native x86-64",
            Column::Qemu => "qemu-riscv64",
            Column::WasmDirect => "wasm direct",
            Column::Translated => "translated",
            Column::ElfconvRun => "elfconv2 run",
            Column::Runtime => "runtime (native)",
            Column::Wasmi => "wasmi",
            Column::SelfHosted => "runtime.wasm: direct",
            Column::SelfHostedTranslated => "runtime.wasm: translated",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Column::Native => "native",
            Column::Qemu => "qemu",
            Column::WasmDirect => "wasm-direct",
            Column::Translated => "translated",
            Column::ElfconvRun => "elfconv2-run",
            Column::Runtime => "runtime",
            Column::Wasmi => "wasmi",
            Column::SelfHosted => "self-hosted",
            Column::SelfHostedTranslated => "self-hosted-translated",
        }
    }
}

/// The outcome of one column of one benchmark.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Timings in seconds, one per run, and the program's stdout (the checksum).
    Measured { secs: Vec<f64>, stdout: String },
    /// Could not be measured: a short label for the table and the full reason for the notes.
    Failed { label: String, reason: String },
}

impl Cell {
    pub fn median(&self) -> Option<f64> {
        match self {
            Cell::Measured { secs, .. } => median(secs),
            Cell::Failed { .. } => None,
        }
    }
    pub fn stdout(&self) -> Option<&str> {
        match self {
            Cell::Measured { stdout, .. } => Some(stdout),
            Cell::Failed { .. } => None,
        }
    }
}

/// The median of some samples (mean of the middle two for an even count).
pub fn median(samples: &[f64]) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut v = samples.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// Seconds with three decimals.
pub fn secs(s: f64) -> String {
    format!("{s:.3}")
}

/// `a / b` as `1.23x`, or `–` when either side is missing.
pub fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
        _ => "–".to_string(),
    }
}

/// Reads one number out of the runner's `--timing` JSON (`{"compile_s": .., "run_s": ..}`).
pub fn json_number(json: &str, key: &str) -> Option<f64> {
    let at = json.find(&format!("\"{key}\""))?;
    let rest = json[at + key.len() + 2..].trim_start().strip_prefix(':')?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c) || c.is_whitespace()))
        .unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

/// Everything measured for one benchmark.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub cells: Vec<(Column, Cell)>,
    /// elfconv2 translate wall time, or why there is none.
    pub translate: Result<f64, String>,
    /// Module compile times on wasmtime (direct, translated), medians.
    pub compile_direct: Option<f64>,
    pub compile_translated: Option<f64>,
    /// Module sizes in bytes (direct, translated).
    pub size_direct: Option<u64>,
    pub size_translated: Option<u64>,
}

impl Row {
    pub fn cell(&self, c: Column) -> Option<&Cell> {
        self.cells.iter().find(|(k, _)| *k == c).map(|(_, v)| v)
    }
    fn med(&self, c: Column) -> Option<f64> {
        self.cell(c).and_then(Cell::median)
    }

    /// The reference output (qemu's, else native's) and the columns whose output differs from it.
    pub fn mismatches(&self) -> Vec<Column> {
        let reference = self
            .cell(Column::Qemu)
            .and_then(Cell::stdout)
            .or_else(|| self.cell(Column::Native).and_then(Cell::stdout));
        let Some(reference) = reference else {
            return Vec::new();
        };
        self.cells
            .iter()
            .filter(|(_, cell)| cell.stdout().is_some_and(|s| s != reference))
            .map(|(c, _)| *c)
            .collect()
    }
}

fn size(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64),
        Some(b) => format!("{:.0} KiB", b as f64 / 1024.0),
        None => "–".to_string(),
    }
}

/// Renders the Markdown report.
pub fn render(rows: &[Row], header: &[String]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## elfconv2 benchmarks\n");
    for line in header {
        let _ = writeln!(md, "{line}  ");
    }
    md.push('\n');

    let mut notes = Vec::new();
    let mut titles: Vec<&str> = COLUMNS.iter().map(|c| c.title()).collect();
    titles.extend([
        "translate",
        "translated / wasm direct",
        "qemu / translated",
        "translated / native",
        "runtime / wasmi",
        "runtime.wasm / wasm direct",
        "runtime.wasm / translated",
        "checksums",
    ]);
    let _ = writeln!(md, "| benchmark | {} |", titles.join(" | "));
    let _ = writeln!(
        md,
        "|---|{}",
        titles
            .iter()
            .map(|t| if *t == "checksums" { "---|" } else { "---:|" })
            .collect::<String>()
    );
    for row in rows {
        let mut cells = Vec::new();
        for c in COLUMNS {
            cells.push(match row.cell(c) {
                Some(Cell::Measured { secs: s, .. }) => secs(median(s).unwrap_or(f64::NAN)),
                Some(Cell::Failed { label, reason }) => {
                    notes.push((format!("{} / {}", row.name, c.title()), reason.clone()));
                    label.clone()
                }
                None => "–".to_string(),
            });
        }
        cells.push(match &row.translate {
            Ok(t) => secs(*t),
            Err(label) => label.clone(),
        });
        let tr = row.med(Column::Translated);
        cells.push(ratio(tr, row.med(Column::WasmDirect)));
        cells.push(ratio(row.med(Column::Qemu), tr));
        cells.push(ratio(tr, row.med(Column::Native)));
        cells.push(ratio(row.med(Column::Runtime), row.med(Column::Wasmi)));
        cells.push(ratio(
            row.med(Column::SelfHosted),
            row.med(Column::WasmDirect),
        ));
        cells.push(ratio(row.med(Column::SelfHostedTranslated), tr));
        let bad = row.mismatches();
        let measured = row
            .cells
            .iter()
            .filter(|(_, c)| c.stdout().is_some())
            .count();
        cells.push(if !bad.is_empty() {
            let names: Vec<&str> = bad.iter().map(|c| c.key()).collect();
            format!("**MISMATCH** ({})", names.join(", "))
        } else if measured < 2 {
            "–".to_string()
        } else {
            format!("agree ({measured})")
        });
        let _ = writeln!(md, "| {} | {} |", row.name, cells.join(" | "));
    }

    let _ = writeln!(
        md,
        "\nSeconds, median of the runs. *wasm direct* and *translated* are instantiate + run on \
         wasmtime through its Python bindings (module compilation excluded, listed below); \
         *runtime.wasm* columns likewise: runtime.wasm (our interpreter built for wasm32-wasip1) \
         on that wasmtime, running the module (its loading and pre-decoding included); \
         *elfconv2 run* and the other columns are wall clock of the whole process. \
         Ratios above 1 mean the left side is slower.\n"
    );
    let _ = writeln!(
        md,
        "| benchmark | wasm direct: size | compile | translated: size | compile |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|");
    for row in rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            row.name,
            size(row.size_direct),
            row.compile_direct.map(secs).unwrap_or_else(|| "–".into()),
            size(row.size_translated),
            row.compile_translated
                .map(secs)
                .unwrap_or_else(|| "–".into()),
        );
    }
    if !notes.is_empty() {
        // One note per distinct reason, naming every place it applies to.
        let mut by_reason: Vec<(String, Vec<String>)> = Vec::new();
        for (place, reason) in notes {
            match by_reason.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, places)) => places.push(place),
                None => by_reason.push((reason, vec![place])),
            }
        }
        let _ = writeln!(md, "\nNotes:\n");
        for (reason, places) in by_reason {
            let _ = writeln!(md, "- {}: {reason}", places.join(", "));
        }
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn timing_json() {
        let j = r#"{"compile_s": 0.125, "run_s": 1.5e-1}"#;
        assert_eq!(json_number(j, "compile_s"), Some(0.125));
        assert_eq!(json_number(j, "run_s"), Some(0.15));
        assert_eq!(json_number(j, "missing"), None);
    }

    #[test]
    fn report_marks_failures_and_mismatches() {
        let ok = |s: f64, out: &str| Cell::Measured {
            secs: vec![s],
            stdout: out.into(),
        };
        let row = Row {
            name: "demo".into(),
            cells: vec![
                (Column::Native, ok(1.0, "42\n")),
                (Column::Qemu, ok(5.0, "42\n")),
                (Column::WasmDirect, ok(1.5, "41\n")),
                (
                    Column::Translated,
                    Cell::Failed {
                        label: "no elfconv2".into(),
                        reason: "elfconv2 binary not found".into(),
                    },
                ),
            ],
            translate: Err("no elfconv2".into()),
            compile_direct: Some(0.1),
            compile_translated: None,
            size_direct: Some(2048),
            size_translated: None,
        };
        let md = render(&[row], &[]);
        assert!(
            md.contains("| demo | 1.000 | 5.000 | 1.500 | no elfconv2 |"),
            "{md}"
        );
        assert!(md.contains("**MISMATCH** (wasm-direct)"), "{md}");
        assert!(
            md.contains("demo / translated: elfconv2 binary not found"),
            "{md}"
        );
    }
}
