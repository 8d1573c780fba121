//! Print options: PDF/X-1a, output profiles, ink limits, rich black.

use crate::common::{TempProject, card, deck, stderr};

#[test]
fn pdfx_1a_on_request() {
    let p = TempProject::with_deck(
        &deck(&card("a", "Hvordan går det?"))
            .replace("\"layout\": \"poker\"", "\"layout\": \"poker\", \"sheets\": [\"a4\"]"),
    );
    let o = p.run(&["build", "--pdfx", "x1a"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // --pdfx concerns the print files; the deck's download version is PDF/UA + PDF/A.
    for f in p.print_pdfs() {
        let bytes = std::fs::read(&f).unwrap();
        assert!(bytes.starts_with(b"%PDF-1.4"), "{}", f.display());
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        for obj in doc.objects.values() {
            if let Ok(s) = obj.as_stream() {
                let t = s.dict.get(b"Type").and_then(|t| t.as_name()).unwrap_or(b"");
                assert!(t != b"ObjStm" && t != b"XRef", "object or xref stream in PDF/X-1a");
            }
        }
        let info = doc.trailer.get(b"Info").and_then(|r| r.as_reference()).and_then(|r| doc.get_dictionary(r)).unwrap();
        assert_eq!(info.get(b"GTS_PDFXVersion").unwrap().as_str().unwrap(), b"PDF/X-1a:2003");
    }
    // The sheet layout can ask for it too.
    p.edit("layouts/sheets/a4.json", |s| s.replace("\"slug\": true,", "\"slug\": true,\n  \"pdfx\": \"x1a\","));
    std::fs::remove_dir_all(p.path("output")).unwrap();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(p.path("output/d-a4.pdf")).unwrap().starts_with(b"%PDF-1.4"));
    assert!(std::fs::read(p.path("output/d-faces.pdf")).unwrap().starts_with(b"%PDF-1.6"));
}

#[test]
fn transparency_is_refused_for_pdfx_1a() {
    let c = card("a", "Hvordan går det?")
        .replace("\"fields\"", "\"back\": { \"image\": \"images/alpha.png\" }, \"fields\"");
    let p = TempProject::with_deck(&deck(&c));
    let img = image::RgbaImage::from_pixel(960, 720, image::Rgba([10, 20, 30, 128]));
    std::fs::create_dir_all(p.path("images")).unwrap();
    img.save(p.path("images/alpha.png")).unwrap();
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen("\"back\": [", "\"back\": [\n    { \"type\": \"image\", \"field\": \"back.image\", \"x\": 11.5, \"y\": 50, \"width\": 40, \"height\": 30, \"optional\": true },", 1)
    });
    let o = p.run(&["build", "--pdfx", "x1a"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("image images/alpha.png has transparency (an alpha channel), which PDF/X-1a forbids"),
        "{}",
        stderr(&o)
    );
    assert!(p.pdfs().is_empty());
    // PDF/X-4 allows it.
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // `check` finds it too (nothing is written there, so it must not depend on writing pages).
    p.edit("layouts/sheets/a4.json", |s| s.replace("\"slug\": true,", "\"slug\": true,\n  \"pdfx\": \"x1a\","));
    p.edit("decks/d.json", |s| s.replace("\"layout\": \"poker\"", "\"layout\": \"poker\", \"sheets\": [\"a4\"]"));
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("d-a4.pdf") && stderr(&o).contains("which PDF/X-1a forbids"), "{}", stderr(&o));
}

#[test]
fn a_profile_that_is_not_cmyk_output_is_an_error() {
    let p = TempProject::with_deck(
        &deck(&card("a", "Hvordan går det?"))
            .replace("\"layout\": \"poker\"", "\"layout\": \"poker\", \"sheets\": [\"a4\"]"),
    );
    let mut fake = vec![0u8; 132];
    fake[12..16].copy_from_slice(b"mntr");
    fake[16..20].copy_from_slice(b"RGB ");
    fake[36..40].copy_from_slice(b"acsp");
    std::fs::write(p.path("layouts/profiles/screen.icc"), &fake).unwrap();
    p.edit("layouts/sheets/a4.json", |s| {
        s.replace("\"slug\": true,", "\"slug\": true,\n  \"output_intent\": { \"profile\": \"layouts/profiles/screen.icc\", \"identifier\": \"sRGB\" },")
    });
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("layouts/profiles/screen.icc") && e.contains("mntr"), "{e}");
    assert!(e.contains("(at output_intent.profile)"), "{e}");
}

#[test]
fn another_output_profile_is_embedded_with_its_identifier() {
    let p = TempProject::with_deck(
        &deck(&card("a", "Hvordan går det?"))
            .replace("\"layout\": \"poker\"", "\"layout\": \"poker\", \"sheets\": [\"a4\"]"),
    );
    std::fs::copy(p.path("layouts/profiles/CoatedFOGRA39.icc"), p.path("layouts/profiles/other.icc")).unwrap();
    p.edit("layouts/sheets/a4.json", |s| {
        s.replace("\"slug\": true,", "\"slug\": true,\n  \"output_intent\": { \"profile\": \"layouts/profiles/other.icc\", \"identifier\": \"FOGRA51\", \"condition\": \"PSO Coated v3\" },")
    });
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let a4 = std::fs::read(p.path("output/d-a4.pdf")).unwrap();
    let faces = std::fs::read(p.path("output/d-faces.pdf")).unwrap();
    let has = |b: &[u8], s: &[u8]| b.windows(s.len()).any(|w| w == s);
    assert!(has(&a4, b"(FOGRA51)") && !has(&a4, b"(FOGRA39)"));
    assert!(has(&faces, b"(FOGRA39)"));
}

#[test]
fn total_ink_above_the_limit_is_an_error_and_rich_black_text_a_warning() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    p.edit("layouts/cards/poker.json", |s| {
        s.replace("\"backdrop\": [90, 45, 40, 35]", "\"backdrop\": [90, 80, 80, 90]")
            .replace("\"ink\": [0, 0, 0, 100]", "\"ink\": [60, 40, 40, 100]")
    });
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("has 340 % total ink, above the 300 % limit") && e.contains("(at colors.backdrop)"), "{e}");
    // Raising the limit lets it through; rich black body text still warns.
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen("\"bleed\": \"3mm\",", "\"bleed\": \"3mm\",\n  \"ink_limit\": 340,", 1)
    });
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("text in rich black") && stderr(&o).contains("(at styles.question.color)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn faces_with_crop_marks_around_the_single_card() {
    let p = TempProject::with_deck(
        &deck(&card("a", "Hvordan går det?"))
            .replace("\"layout\": \"poker\"", "\"layout\": \"poker\", \"faces\": { \"crop_marks\": true }"),
    );
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = lopdf::Document::load(p.path("output/d-faces.pdf")).unwrap();
    let mm = 72.0 / 25.4;
    for (_, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        let get = |k: &[u8]| -> Vec<f64> {
            page.get(k)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap())
                .collect()
        };
        let (media, trim, bleed) = (get(b"MediaBox"), get(b"TrimBox"), get(b"BleedBox"));
        // 3 mm offset + 5 mm marks on every side of the 63 × 88 mm card.
        assert!((media[2] - (63.0 + 16.0) * mm).abs() < 0.01 && (media[3] - (88.0 + 16.0) * mm).abs() < 0.01);
        assert!((trim[0] - 8.0 * mm).abs() < 0.01 && (bleed[0] - 5.0 * mm).abs() < 0.01);
        let content = doc.get_and_decode_page_content(id).unwrap();
        // Eight mark strokes in the registration separation.
        let strokes = content.operations.iter().filter(|o| o.operator == "S").count();
        assert!(strokes >= 8, "{strokes} strokes");
    }
}

/// Whether any object of the PDF is a `[/Separation /All …]` colour space (registration colour).
fn has_registration(doc: &lopdf::Document) -> bool {
    doc.objects.values().any(|o| {
        o.as_array().is_ok_and(|a| {
            a.len() >= 2
                && a[0].as_name().is_ok_and(|n| n == b"Separation")
                && a[1].as_name().is_ok_and(|n| n == b"All")
        })
    })
}

#[test]
fn the_slug_line_follows_the_marks_colour() {
    let p = TempProject::with_deck(
        &deck(&card("a", "Hvordan går det?"))
            .replace("\"layout\": \"poker\"", "\"layout\": \"poker\", \"sheets\": [\"a4\", \"sra3\"]"),
    );
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let load = |f: &str| lopdf::Document::load(p.path(f)).unwrap();
    // The office A4 sheet has black marks: nothing on it may be in registration colour, the slug
    // line included (a registration slug prints as a four-colour black on an office printer).
    let a4 = load("output/d-a4.pdf");
    assert!(std::fs::read_to_string(p.path("layouts/sheets/a4.json")).unwrap().contains("\"color\": \"black\""));
    assert!(!has_registration(&a4), "registration colour on the office sheet");
    let text = String::from_utf8_lossy(&a4.extract_text(&[1]).unwrap_or_default().into_bytes()).to_string();
    assert!(text.contains("ark 1 af 1"), "no slug line on the a4 sheet: {text}");
    // The print-shop sheet's marks and slug are in registration colour.
    assert!(has_registration(&load("output/d-sra3.pdf")));
}

#[test]
fn the_job_ticket_and_the_calibration_sheet_follow_the_standard_of_their_files() {
    let p = TempProject::copy();
    let version = |f: &str| std::fs::read(p.path(f)).unwrap()[..8].to_vec();
    let o = p.run(&["build", "--run", "kontor-hovedstaden", "--pdfx", "x1a"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(version("output/kontor-hovedstaden/dialogkort-a4.pdf"), b"%PDF-1.4");
    assert_eq!(version("output/kontor-hovedstaden/jobseddel.pdf"), b"%PDF-1.4", "the ticket stayed PDF/X-4");
    let ticket = std::fs::read_to_string(p.path("output/kontor-hovedstaden/jobseddel.json")).unwrap();
    assert!(ticket.contains("\"pdfx\": \"PDF/X-1a:2003\""), "{ticket}");
    // The calibration sheet: the command line's flavour, else the sheet layout's.
    let o = p.run(&["calibrate", "a4", "--pdfx", "x1a"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(version("output/calibrate-a4.pdf"), b"%PDF-1.4");
    let o = p.run(&["calibrate", "a4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(version("output/calibrate-a4.pdf"), b"%PDF-1.6");
    p.edit("layouts/sheets/a4.json", |s| s.replace("\"slug\": true,", "\"slug\": true,\n  \"pdfx\": \"x1a\","));
    let o = p.run(&["calibrate", "a4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(version("output/calibrate-a4.pdf"), b"%PDF-1.4", "the sheet layout's flavour");
}

#[test]
fn calibrate_read_does_the_sheets_arithmetic() {
    let p = TempProject::copy();
    p.edit("layouts/sheets/a4.json", |s| {
        s.replace(
            "\"back_offset\": { \"x\": 0, \"y\": 0 }",
            "\"back_offset\": { \"x\": 0.5, \"y\": 0, \"angle\": 0.1 }",
        )
    });
    // As printed on the sheet: decimal commas and typographic minus signs.
    let o = p.run(&["calibrate", "a4", "--read", "0,5", "0", "−0,5", "0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    // x = mean of top and bottom, y = mean of left and right, angle from the x scales' difference
    // over their distance on A4 (228 mm): 0.5 × 57.3 / 228 = 0.126°, added to what is there.
    assert_eq!(out.trim(), "\"back_offset\": { \"x\": 0.75, \"y\": -0.25, \"angle\": 0.226 }", "{out}");
    assert!(stderr(&o).contains("layouts/sheets/a4.json"), "{}", stderr(&o));
    assert!(!p.path("output/calibrate-a4.pdf").exists(), "reading writes no sheet");
    let o = p.run(&["calibrate", "a4", "--read", "0,5", "0", "zero", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`zero` is not a number of mm"), "{}", stderr(&o));
}
