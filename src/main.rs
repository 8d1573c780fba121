//! The `tryksag` command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tryksag::build::{BuildOptions, build, calibrate};
use tryksag::model::PdfxFlavour;

/// mimalloc instead of glibc's malloc: a build allocates and frees many small glyph runs, lines
/// and frame items from both cores; glibc's malloc and free took a sixth of the CPU time, and its
/// per-thread arenas left the peak memory of a long deck varying by a third from run to run.
/// (How it commits memory is set where it is compiled: `.cargo/config.toml`.)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Freed pages go back to the system 25 ms after they are freed. At once (a delay of 0), every
/// window of cards gave its pages back and faulted them in again: a tenth of a 1 000-card build's
/// CPU time went to `madvise`, page faults and the TLB flushes they cost both cores. Never (-1),
/// a 10 000-card build peaked at 124 MB; with 25 ms it peaks at 103 MB, as with 0, and is about
/// 10 % faster (`benches/compare.sh`).
fn tune_allocator() {
    // The index of `mi_option_purge_delay` in mimalloc v3's mimalloc.h (the crate names v2's only).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option only changes a global value that mimalloc reads when it next
    // purges memory; it has no preconditions.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 25) }
}

#[derive(Parser)]
#[command(
    name = "tryksag",
    version,
    about = "Card decks and leaflets from JSON to print-ready PDFs",
    after_help = "Examples:\n  tryksag build                  build every product into output/\n  tryksag build dialogkort       build one deck\n  tryksag check                  validate decks, layouts and fonts; write nothing\n  tryksag check --format json    the same, as JSON for editors and scripts\n  tryksag check --typography     also list hyphenations, loose and short last lines per card\n  tryksag watch dialogkort       rebuild the deck whenever an input changes\n  tryksag proof --overlays       PNG previews with trim, bleed and safe-area guides\n  tryksag calibrate a4           print this, hold it to the light, fix duplex.back_offset\n  tryksag build --root tryk --out tryk-pdf   the project in folder tryk, files into tryk-pdf\n  tryksag build --pdfx x1a       PDF/X-1a:2003 instead of PDF/X-4\n  tryksag build --region sjaelland   only the print runs for one region\n  tryksag build --run kontor-hovedstaden   only one print run (a file in layouts/runs/)\n\nExit codes: 0 ok, 1 input or layout errors, 2 usage error (a bad option, folder or name on the\ncommand line, e.g. an unknown product, run, region or sheet layout)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Common {
    /// Project folder (holds decks/, layouts/, fonts/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Build products into output/ (all of them when none is named).
    Build {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <root>/output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Products to build (deck names, e.g. `dialogkort`).
        products: Vec<String>,
        /// PDF/X flavour for every print file: x4 (default) or x1a (PDF/X-1a:2003).
        #[arg(long, value_parser = ["x4", "x1a"])]
        pdfx: Option<String>,
        /// Check every print file against this print condition instead of its run's or sheet
        /// layout's: gwg2022-sheet-cmyk, gwg2022-digital or none.
        #[arg(long, value_parser = ["gwg2022-sheet-cmyk", "gwg2022-digital", "none"])]
        print_condition: Option<String>,
        /// Build only this print run (repeatable); runs are the files in layouts/runs/.
        #[arg(long = "run")]
        runs: Vec<String>,
        /// Build only the runs for this region (repeatable), e.g. `--region hovedstaden`.
        #[arg(long = "region")]
        regions: Vec<String>,
        /// Allow sample contact data in print-shop runs (for proofs only).
        #[arg(long)]
        allow_sample_data: bool,
    },
    /// Write a duplex calibration sheet for a sheet layout (output/calibrate-<SHEET>.pdf).
    Calibrate {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <root>/output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Sheet layout name (a file in layouts/sheets/ without .json), e.g. `a4`.
        sheet: String,
        /// PDF/X flavour: x4 or x1a (default: the sheet layout's, as its sheets are built).
        #[arg(long, value_parser = ["x4", "x1a"])]
        pdfx: Option<String>,
        /// Instead of writing the sheet: the four numbers read on a printed one (x top, x bottom,
        /// y left, y right, in mm, e.g. `--read 0,5 0 −0,5 0`); prints the back_offset to write.
        #[arg(long, num_args = 4, value_names = ["X_TOP", "X_BOTTOM", "Y_LEFT", "Y_RIGHT"], allow_negative_numbers = true, value_parser = reading)]
        read: Option<Vec<f64>>,
    },
    /// Validate everything a build would meet, without writing files.
    Check {
        #[command(flatten)]
        common: Common,
        /// Products to check (default all).
        products: Vec<String>,
        /// Check every print file against this print condition instead of its run's or sheet
        /// layout's: gwg2022-sheet-cmyk, gwg2022-digital or none.
        #[arg(long, value_parser = ["gwg2022-sheet-cmyk", "gwg2022-digital", "none"])]
        print_condition: Option<String>,
        /// `text` (default) or `json` (machine-readable diagnostics on stdout, for editors and scripts).
        #[arg(long, value_parser = ["text", "json"], default_value = "text")]
        format: String,
        /// Also list, per card or leaflet panel and field, every hyphenated line break, loose
        /// line, short last line and keep-together phrase that had to break (for review).
        #[arg(long)]
        typography: bool,
    },
    /// Write PNG previews into output/proof/ (rasterized from the PDFs the build makes).
    Proof {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <root>/output); proofs go into its proof/ folder.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Resolution in dpi (10–1200): 100 for screens, 300 for checking details.
        #[arg(long, default_value_t = 100.0, value_parser = parse_dpi, allow_negative_numbers = true)]
        dpi: f32,
        /// Draw trim (solid), bleed (dashed), safe area (dotted) and fold lines.
        #[arg(long)]
        overlays: bool,
        /// Only this product.
        product: Option<String>,
    },
    /// Write a deck's cards as a spreadsheet (.xlsx or .csv) that `cards_from` reads back.
    ExportCards {
        #[command(flatten)]
        common: Common,
        /// The deck (its file name in decks/ without .json), e.g. `dialogkort`.
        deck: String,
        /// The spreadsheet to write, relative to the project folder, e.g. `decks/dialogkort.xlsx`.
        #[arg(long)]
        to: String,
    },
    /// Regenerate the JSON Schemas in schemas/ (for editor autocompletion) from the program's types.
    Schema {
        #[command(flatten)]
        common: Common,
    },
    /// Rebuild whenever a deck, layout, font or image changes (Ctrl-C stops).
    Watch {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <root>/output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Products to rebuild (default all).
        products: Vec<String>,
        /// Also rewrite the PNG proofs (with guides) of the rebuilt products.
        #[arg(long)]
        proof: bool,
    },
    /// A local web app for staff: products, regions, print runs and their files, in a browser.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: <root>/output); the only folder files are downloaded from.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Address to listen on; anything but loopback (127.0.0.1, ::1) needs a token.
        #[arg(long, default_value = tryksag::serve::DEFAULT_LISTEN)]
        listen: std::net::SocketAddr,
        /// The token every request must carry (16+ letters, digits, - _ .); generated and
        /// printed when listening beyond loopback without one.
        #[arg(long)]
        token: Option<String>,
    },
}

/// `--dpi`: a finite number within the proof rasterizer's range.
fn parse_dpi(s: &str) -> Result<f32, String> {
    let (lo, hi) = (tryksag::proof::MIN_DPI, tryksag::proof::MAX_DPI);
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("the resolution must be a number from {lo} to {hi} dpi, e.g. 100 or 300")),
    }
}

/// A one-line progress bar on a terminal (never when output is piped).
fn progress(done: usize, total: usize, label: &str) {
    let width = 30;
    let filled = done * width / total.max(1);
    eprint!("\r\x1b[2K[{}{}] {done}/{total} {label}", "#".repeat(filled), "-".repeat(width - filled));
}

/// The table that ends a run: files, pages, sheets, warnings, time; and the warnings printed
/// above it in all (a warning about a run counts for each of its files).
fn summary(report: &tryksag::build::BuildReport) {
    let written = &report.written;
    if written.is_empty() {
        return;
    }
    let name = |w: &tryksag::build::Written| w.path.display().to_string();
    let wide = written.iter().map(|w| name(w).chars().count()).max().unwrap_or(4).max(4);
    println!("{:<wide$}  {:>5}  {:>6}  {:>8}  {:>7}", "file", "pages", "sheets", "warnings", "time");
    for w in written {
        let sheets = w.sheets.map(|s| s.to_string()).unwrap_or_else(|| "–".into());
        println!("{:<wide$}  {:>5}  {:>6}  {:>8}  {:>5} ms", name(w), w.pages, sheets, w.warnings, w.millis);
    }
    let pages: usize = written.iter().map(|w| w.pages).sum();
    let warnings = report.diags.warning_count();
    println!("{} file(s), {pages} page(s), {warnings} warning(s) above", written.len());
}

/// On Ctrl-C or SIGTERM: remove the build's temporary files and staging folders (after any file
/// being moved into place), then exit 130 or 143 as a shell would.
fn stop_cleanly_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else { return };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            tryksag::files::stop_and_clean();
            std::process::exit(128 + sig);
        }
    });
}

impl Command {
    fn common(&self) -> &Common {
        match self {
            Command::Build { common, .. }
            | Command::Calibrate { common, .. }
            | Command::Check { common, .. }
            | Command::Proof { common, .. }
            | Command::Schema { common }
            | Command::ExportCards { common, .. }
            | Command::Watch { common, .. }
            | Command::Serve { common, .. } => common,
        }
    }

    /// The output folder of a command that writes PDFs or PNGs.
    fn out_dir(&self) -> Option<PathBuf> {
        let root = &self.common().root;
        match self {
            Command::Build { out, .. }
            | Command::Calibrate { out, .. }
            | Command::Proof { out, .. }
            | Command::Watch { out, .. }
            | Command::Serve { out, .. } => Some(out.clone().unwrap_or_else(|| root.join("output"))),
            Command::Check { .. } | Command::Schema { .. } | Command::ExportCards { .. } => None,
        }
    }
}

/// A usage error: one line, a hint, exit code 2.
fn usage_error(message: &str, hint: &str) -> ExitCode {
    eprintln!("error: {}\n   = hint: {hint}", tryksag::diag::escape_controls(message));
    ExitCode::from(2)
}

/// Checks that `out` is a folder, or can be made one. A missing folder is created to find out
/// (a parent that is a file, no permission) and removed again: nothing is left behind when the
/// build then finds errors.
fn check_out_dir(out: &Path) -> Result<(), String> {
    if out.is_dir() {
        return Ok(());
    }
    if out.exists() {
        return Err(format!("{} is a file, not a folder", out.display()));
    }
    let mut missing = Vec::new();
    let mut p = out;
    while !p.exists() {
        missing.push(p);
        match p.parent() {
            Some(q) if !q.as_os_str().is_empty() => p = q,
            _ => break,
        }
    }
    match std::fs::create_dir_all(out) {
        Ok(()) => {
            // Deepest first.
            for m in missing {
                let _ = std::fs::remove_dir(m);
            }
            Ok(())
        }
        Err(e) => Err(format!("cannot create the folder {}: {}", out.display(), e.to_string().to_lowercase())),
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    stop_cleanly_on_signals();
    let root = &cli.command.common().root;
    if !root.join("decks").is_dir() && !root.join("layouts").is_dir() {
        return usage_error(
            &format!("{} is not a tryksag project (no decks/ or layouts/ folder)", root.display()),
            "run tryksag in the project folder, or pass --root <folder>",
        );
    }
    if let Some(Err(e)) = cli.command.out_dir().map(|out| check_out_dir(&out)) {
        return usage_error(&format!("bad output folder: {e}"), "pass a folder for the output files: --out <folder>");
    }
    if let Command::Schema { common } = &cli.command {
        return match tryksag::schema::write_schemas(&common.root.join("schemas")) {
            Ok(paths) => {
                for p in paths {
                    println!("wrote {}", p.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        };
    }
    if let Command::ExportCards { common, deck, to } = &cli.command {
        return export_cards(&common.root, deck, to);
    }
    if let Command::Proof { common, out, dpi, overlays, product } = &cli.command {
        let mut o = BuildOptions::new(&common.root);
        if let Some(out) = out {
            o.out_dir = out.clone();
        }
        let report = tryksag::proof::write_proofs(
            &o,
            product.as_deref(),
            &tryksag::proof::ProofOptions { dpi: *dpi, overlays: *overlays },
        );
        return exit_code(&report, print_report(&report, true));
    }
    if let Command::Serve { common, out, listen, token } = &cli.command {
        return serve(&common.root, out.clone(), *listen, token.clone());
    }
    let mut calibrate_sheet = None;
    let mut json = false;
    let mut watching = false;
    let mut watch_proofs = false;
    let (opts, writing) = match cli.command {
        Command::Schema { .. } | Command::Proof { .. } | Command::Serve { .. } | Command::ExportCards { .. } => {
            unreachable!("handled above")
        }
        Command::Calibrate { common, out, sheet, pdfx, read: Some(r) } => {
            let o = BuildOptions::new(&common.root);
            let _ = (out, pdfx);
            let readings = tryksag::build::Readings { top: r[0], bottom: r[1], left: r[2], right: r[3] };
            return match tryksag::build::read_calibration(&o, &sheet, readings) {
                Ok(c) => {
                    let f =
                        |(x, y, a): (f64, f64, f64)| format!("{{ \"x\": {x:.2}, \"y\": {y:.2}, \"angle\": {a:.3} }}");
                    println!("\"back_offset\": {}", f(c.new));
                    eprintln!(
                        "write this into \"duplex\" in {} (it is {} now), then print the sheet again: the 0 ticks should line up",
                        c.file.display(),
                        f(c.now)
                    );
                    ExitCode::SUCCESS
                }
                Err(report) => exit_code(&report, print_report(&report, false)),
            };
        }
        Command::Calibrate { common, out, sheet, pdfx, read: None } => {
            let mut o = BuildOptions::new(&common.root);
            o.pdfx = pdfx.as_deref().map(flavour);
            if let Some(out) = out {
                o.out_dir = out;
            }
            calibrate_sheet = Some(sheet);
            (o, true)
        }
        Command::Build { common, out, products, pdfx, print_condition, runs, regions, allow_sample_data } => {
            let mut o = BuildOptions::new(&common.root);
            o.runs = runs;
            o.regions = regions;
            o.allow_sample_data = allow_sample_data;
            if std::io::stderr().is_terminal() {
                o.progress = Some(progress);
            }
            o.pdfx = pdfx.as_deref().map(flavour);
            o.condition = print_condition.as_deref().map(condition);
            if let Some(out) = out {
                o.out_dir = out;
            }
            o.only = products;
            (o, true)
        }
        Command::Check { common, products, print_condition, format, typography } => {
            let mut o = BuildOptions::new(&common.root);
            o.typography = typography;
            o.condition = print_condition.as_deref().map(condition);
            o.write = false;
            o.only = products;
            json = format == "json";
            (o, false)
        }
        Command::Watch { common, out, products, proof } => {
            watch_proofs = proof;
            let mut o = BuildOptions::new(&common.root);
            if let Some(out) = out {
                o.out_dir = out;
            }
            o.only = products;
            watching = true;
            (o, true)
        }
    };
    if watching {
        let stop = std::sync::atomic::AtomicBool::new(false);
        let mut usage = false;
        let watcher = match tryksag::watch::InputWatcher::start(&opts.root, tryksag::watch::SETTLE) {
            Ok(w) => w,
            Err(e) => {
                eprintln!(
                    "error: cannot watch {} for changes: {}",
                    opts.root.display(),
                    tryksag::diag::escape_controls(&e.to_string())
                );
                return ExitCode::from(1);
            }
        };
        let how = if watcher.is_polling() { ", by polling: the system's file notification failed" } else { "" };
        eprintln!("watching {} for changes{how} (Ctrl-C stops)", opts.root.display());
        tryksag::watch::watch(&opts, watcher, &stop, |report, files| {
            if !files.is_empty() {
                let names: Vec<String> =
                    files.iter().map(|f| f.strip_prefix(&opts.root).unwrap_or(f).display().to_string()).collect();
                eprintln!("changed: {}", names.join(", "));
            }
            print_report(report, true);
            if report.usage {
                // A name on the command line that does not exist will not appear by waiting.
                usage = true;
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                return;
            }
            if watch_proofs && !report.diags.has_errors() {
                let products: Vec<String> = {
                    let mut v: Vec<String> = report.written.iter().map(|w| w.product.clone()).collect();
                    v.sort();
                    v.dedup();
                    v
                };
                let proof = tryksag::proof::ProofOptions { dpi: 100.0, overlays: true };
                for p in products {
                    let r = tryksag::proof::write_proofs(&opts, Some(&p), &proof);
                    eprintln!(
                        "proofs of {p}: {} file(s){}",
                        r.written.len(),
                        if r.diags.has_errors() { ", with errors" } else { "" }
                    );
                }
            }
            eprintln!("watching for changes…");
        });
        return if usage { ExitCode::from(2) } else { ExitCode::SUCCESS };
    }
    let report = match &calibrate_sheet {
        Some(sheet) => calibrate(&opts, sheet),
        None => build(&opts),
    };
    if std::env::var_os("TRYKSAG_TIMINGS").is_some() {
        eprint!("{}", tryksag::timing::report());
    }
    if json {
        let typography = opts.typography.then_some(report.typography.as_slice());
        println!("{}", diagnostics_json(&report.diags, typography));
        return exit_code(&report, !report.diags.has_errors());
    }
    let ok = print_report(&report, writing);
    if opts.typography && !report.usage {
        for (i, product) in report.typography.iter().enumerate() {
            println!();
            // A print run's product set as the default one is named, not listed again.
            match report.typography[..i].iter().find(|p| p.fields == product.fields) {
                Some(same) => println!("typography of {}: as {}", product.product, same.product),
                None => print!("{}", product.render()),
            }
        }
    }
    exit_code(&report, ok)
}

/// 0 when `ok`, 2 for a usage error (an unknown name on the command line), else 1.
fn exit_code(report: &tryksag::build::BuildReport, ok: bool) -> ExitCode {
    match (ok, report.usage) {
        (true, _) => ExitCode::SUCCESS,
        (false, true) => ExitCode::from(2),
        (false, false) => ExitCode::from(1),
    }
}

/// Machine-readable diagnostics: the counts, and each diagnostic's severity, message, hint,
/// file, line, column, JSON path and subject; with `check --typography` also `typography`, the
/// report per product.
fn diagnostics_json(
    diags: &tryksag::diag::Diagnostics,
    typography: Option<&[tryksag::build::ProductTypography]>,
) -> String {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        errors: usize,
        warnings: usize,
        diagnostics: &'a [tryksag::diag::Diagnostic],
        #[serde(skip_serializing_if = "Option::is_none")]
        typography: Option<&'a [tryksag::build::ProductTypography]>,
    }
    let report =
        Report { errors: diags.error_count(), warnings: diags.warning_count(), diagnostics: &diags.0, typography };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// Whether diagnostics on stderr are coloured: only on a terminal, and not when `NO_COLOR` is set
/// (no-color.org).
fn colour_on_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints diagnostics (stderr) and the summary table (stdout); false when there were errors.
fn print_report(report: &tryksag::build::BuildReport, writing: bool) -> bool {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
    let colour = colour_on_stderr();
    for d in &report.diags.0 {
        eprint!("{}", if colour { d.render_in_colour() } else { d.render() });
        eprintln!();
    }
    summary(report);
    let (e, w) = (report.diags.error_count(), report.diags.warning_count());
    if report.usage {
        return false;
    }
    if e > 0 {
        eprintln!(
            "{e} error(s), {w} warning(s); {}",
            if writing { "products with errors were not written" } else { "check failed" }
        );
        false
    } else {
        if !writing {
            println!("check passed: {w} warning(s)");
        }
        true
    }
}

/// `tryksag export-cards`: loads the project and writes the deck's cards as a spreadsheet; a
/// deck with errors is not exported (its cards may be incomplete).
fn export_cards(root: &Path, deck: &str, to: &str) -> ExitCode {
    let (project, diags) = tryksag::model::load_project(root);
    let colour = colour_on_stderr();
    let show = |d: &tryksag::diag::Diagnostic| {
        eprint!("{}", if colour { d.render_in_colour() } else { d.render() });
        eprintln!();
    };
    let found = project.as_ref().and_then(|p| p.decks.iter().find(|d| d.name == deck));
    let Some(found) = found.filter(|d| d.load_errors == 0) else {
        diags.0.iter().filter(|d| d.is_error()).for_each(show);
        if diags.has_errors() {
            eprintln!("{} error(s); the cards were not exported", diags.error_count());
            return ExitCode::from(1);
        }
        let names: Vec<&str> = project.iter().flat_map(|p| p.decks.iter().map(|d| d.name.as_str())).collect();
        let hint = match tryksag::diag::did_you_mean(deck, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? decks: {}", names.join(", ")),
            None => format!("decks are the files in decks/ (without .json): {}", names.join(", ")),
        };
        return usage_error(&format!("unknown deck `{deck}`"), &hint);
    };
    match tryksag::model::export_cards(root, found, to) {
        Ok(path) => {
            println!("wrote {} ({} cards)", path.display(), found.cards.len());
            ExitCode::SUCCESS
        }
        Err(d) => {
            show(&d);
            ExitCode::from(1)
        }
    }
}

/// `tryksag serve`: checks or makes the token, prints where to open the app, serves until Ctrl-C.
fn serve(root: &Path, out: Option<PathBuf>, listen: std::net::SocketAddr, token: Option<String>) -> ExitCode {
    if let Some(Err(e)) = token.as_deref().map(tryksag::serve::check_token) {
        return usage_error(&format!("bad --token: {e}"), "leave --token out to have one generated");
    }
    let token = match token {
        Some(t) => Some(t),
        None if tryksag::serve::needs_token(&listen) => match tryksag::serve::new_token() {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("error: cannot make a token: {e}");
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let config = tryksag::serve::ServeConfig {
        root: root.to_path_buf(),
        out_dir: out.unwrap_or_else(|| root.join("output")),
        token: token.clone(),
    };
    let ready = |addr: std::net::SocketAddr| {
        let host = if addr.ip().is_unspecified() { "<this machine's address>".to_string() } else { addr.to_string() };
        match &token {
            Some(t) => println!("tryksag serve: open http://{host}/?token={t} (Ctrl-C stops)"),
            None => println!("tryksag serve: open http://{host}/ (Ctrl-C stops)"),
        }
    };
    match tryksag::serve::serve(listen, config, ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot serve on {listen}: {}", e.to_string().to_lowercase());
            ExitCode::from(1)
        }
    }
}

/// The flavour a `--pdfx` value names (clap has already limited it to `x4` or `x1a`).
fn flavour(name: &str) -> PdfxFlavour {
    if name == "x1a" { PdfxFlavour::X1a2003 } else { PdfxFlavour::X4 }
}

/// A scale reading as printed on the calibration sheet: `0,5`, `−1` (a typographic minus) or `0.5`.
fn reading(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .replace('−', "-")
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("`{s}` is not a number of mm (e.g. 0,5 or −1)"))?;
    if v.abs() > 10.0 {
        return Err(format!("{s} mm is beyond the sheet's scales (−2 … +2 mm); read the tick number again"));
    }
    Ok(v)
}

/// The print condition a `--print-condition` value names (clap has already limited the values).
fn condition(name: &str) -> tryksag::build::PrintCondition {
    use tryksag::build::PrintCondition as C;
    match name {
        "gwg2022-sheet-cmyk" => C::Gwg2022SheetCmyk,
        "gwg2022-digital" => C::Gwg2022Digital,
        _ => C::None,
    }
}
