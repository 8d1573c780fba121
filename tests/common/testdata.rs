//! Generated projects for benchmarks, load tests and the fuzz test (not part of the library:
//! benches/ and examples/ include this file by path): a seeded generator of Danish card decks, so
//! the benchmark makes its own input (nothing large is committed).

/// Danish words, with long compounds so hyphenation has work to do.
const WORDS: &[&str] = &[
    "borgeren",
    "jobcentret",
    "samtalen",
    "arbejdsmarkedet",
    "beskæftigelsesindsatsen",
    "psykisk",
    "sygdom",
    "hverdagen",
    "tillid",
    "samarbejde",
    "mødet",
    "konsulenten",
    "rimelige",
    "tilpasninger",
    "arbejdspladsen",
    "selvstigmatisering",
    "fordomme",
    "erfaringer",
    "kompetencer",
    "udfordringer",
    "perioder",
    "energi",
    "søvn",
    "bekymringer",
    "mellemleder",
    "arbejdsgiver",
    "hjælper",
    "fylder",
    "lige",
    "nu",
    "og",
    "at",
    "det",
    "der",
    "som",
    "med",
    "for",
    "til",
    "om",
    "en",
    "et",
    "har",
    "er",
    "kan",
    "vil",
    "skal",
    "ikke",
    "også",
    "meget",
    "godt",
    "lille",
    "næste",
    "skridt",
    "fortælle",
    "historie",
    "egne",
    "ord",
    "lytte",
    "spørge",
    "aftale",
    "kontaktperson",
    "arbejdstid",
    "pauser",
    "opgaver",
    "håb",
    "styrker",
    "dagsform",
    "genoptræningsforløb",
    "sygemelding",
    "virksomhedspraktik",
    "ressourceforløb",
    "rehabiliteringsteamet",
    "fleksjob",
    "ledighed",
    "afstigmatisering",
    "ambassadører",
    "holdninger",
    "kulturen",
    "tonen",
];

/// A small deterministic PRNG (xorshift64*), so every run generates the same decks (and the
/// property tests can replay a seed). The seed must not be 0.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            s.extend(c.next().map(|f| f.to_uppercase().collect::<String>()));
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
        if i + 1 < words && rng.below(9) == 0 {
            s.push(',');
        }
    }
    s.push('.');
    s
}

/// A deck file (JSON) with `n` cards of 30–70 words each, using the layout `bench-card`
/// (see [`bench_card_layout`]) and imposed on the `a4` sheet layout.
pub fn generated_deck(n: usize, seed: u64) -> String {
    let mut rng = Rng(seed.max(1));
    let mut cards = Vec::with_capacity(n);
    for i in 0..n {
        let words = 30 + rng.below(41);
        let mut body = String::new();
        let mut left = words;
        while left > 0 {
            let k = left.min(8 + rng.below(10));
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str(&sentence(&mut rng, k));
            left -= k;
        }
        let title = sentence(&mut rng, 2).trim_end_matches('.').to_string();
        let cat = ["nu", "fylder", "hjaelper"][i % 3];
        cards.push(serde_json::json!({ "id": format!("k{i:05}"), "category": cat, "fields": { "title": title, "body": body } }));
    }
    let deck = serde_json::json!({
        "title": "Benchmark",
        "language": "da",
        "layout": "bench-card",
        "sheets": ["a4"],
        "sender": "tryksag benchmark",
        "categories": [ { "id": "nu", "label": "Lige nu" }, { "id": "fylder", "label": "Det der fylder" }, { "id": "hjaelper", "label": "Det der hjælper" } ],
        "cards": cards,
    });
    serde_json::to_string_pretty(&deck).expect("json")
}

/// A 63 × 88 mm card layout with a justified, hyphenated body (for [`generated_deck`]).
pub fn bench_card_layout() -> String {
    r#"{
  "trim": { "width": 63, "height": 88 },
  "colors": { "ink": [0, 0, 0, 100], "band": [75, 0, 35, 10] },
  "categories": { "*": { "color": [75, 0, 35, 10] } },
  "styles": {
    "title": { "font": "Atkinson Hyperlegible Next", "weight": 700, "size": "10pt", "leading": "12pt", "color": "white", "hyphenate": false },
    "body": { "font": "Atkinson Hyperlegible Next", "size": "8pt", "leading": "10.2pt", "color": "ink", "align": "justify" },
    "back": { "font": "Atkinson Hyperlegible Next", "weight": 700, "size": "14pt", "color": "white", "align": "center" }
  },
  "front": [
    { "type": "rect", "x": 0, "y": 0, "width": 63, "height": 16, "fill": "category", "bleed": true },
    { "type": "text", "field": "title", "x": 5, "y": 5, "width": 53, "height": 9, "style": "title", "min_size": "7pt" },
    { "type": "text", "field": "body", "x": 5, "y": 20, "width": 53, "height": 63, "style": "body", "min_size": "6pt" }
  ],
  "back": [
    { "type": "rect", "x": 0, "y": 0, "width": 63, "height": 88, "fill": "band", "bleed": true },
    { "type": "text", "text": "{deck.title}", "x": 6, "y": 35, "width": 51, "height": 18, "style": "back", "valign": "middle" }
  ]
}
"#
    .to_string()
}

/// Writes a benchmark project with `n` cards into `dir` (fonts, profile and sheet layouts are
/// copied from `repo`).
pub fn write_bench_project(repo: &std::path::Path, dir: &std::path::Path, n: usize, seed: u64) -> std::io::Result<()> {
    fn copy(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for e in std::fs::read_dir(from)? {
            let p = e?.path();
            let dest = to.join(p.file_name().expect("file name"));
            if p.is_dir() { copy(&p, &dest)? } else { std::fs::copy(&p, &dest).map(|_| ())? }
        }
        Ok(())
    }
    copy(&repo.join("fonts"), &dir.join("fonts"))?;
    copy(&repo.join("layouts/profiles"), &dir.join("layouts/profiles"))?;
    copy(&repo.join("layouts/sheets"), &dir.join("layouts/sheets"))?;
    std::fs::create_dir_all(dir.join("layouts/cards"))?;
    std::fs::write(dir.join("layouts/cards/bench-card.json"), bench_card_layout())?;
    std::fs::create_dir_all(dir.join("decks"))?;
    std::fs::write(dir.join("decks/bench.json"), generated_deck(n, seed))?;
    // A print run that builds only what the benchmark measures: the deck imposed 3 × 3 on A4,
    // duplex, with crop marks.
    std::fs::write(
        dir.join("decks/regions.json"),
        r#"{ "regions": [ { "id": "bench", "name": "Benchmark", "fields": {} } ] }"#,
    )?;
    std::fs::create_dir_all(dir.join("layouts/runs"))?;
    std::fs::write(
        dir.join("layouts/runs/bench.json"),
        r#"{ "region": "bench", "delivery": "office", "products": [ { "product": "bench", "quantity": 1, "sheet": "a4" } ] }"#,
    )
}
