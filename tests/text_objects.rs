//! How print files write text (krilla, tryksag patch 8): the lines of a block set in one colour
//! under one transform share one text object (`BT … ET`) with one colour, and each line is
//! placed by its own text matrix; the font and rendering mode are set only when they change.

use lopdf::Document;
use lopdf::content::Operation;

use crate::common::{TempProject, card, deck, page_operations, page_text_lines, stderr};

/// The text objects of a page's operations, each as the operations between `BT` and `ET`.
fn text_objects(ops: &[Operation]) -> Vec<&[Operation]> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, op) in ops.iter().enumerate() {
        match op.operator.as_str() {
            "BT" => start = Some(i + 1),
            "ET" => out.push(&ops[start.take().expect("ET without BT")..i]),
            _ => {}
        }
    }
    assert!(start.is_none(), "a text object is left open");
    out
}

const QUESTION: &str =
    "Hvad har du brug for fra os, når du tænker på de næste måneder og på det arbejde, du gerne vil tilbage til?";

fn first_face() -> Document {
    let p = TempProject::with_deck(&deck(&card("k1", QUESTION)));
    let o = p.run(&["build", "d"]);
    assert!(o.status.success(), "{}", stderr(&o));
    Document::load(p.path("output/d-faces.pdf")).unwrap()
}

#[test]
fn a_blocks_lines_share_one_text_object_with_one_colour() {
    let doc = first_face();
    let page = doc.get_pages()[&1];
    let ops = page_operations(&doc, page);
    let objects = text_objects(&ops);
    let placed = |o: &[Operation]| o.iter().filter(|op| op.operator == "Tm").count();
    let lines: usize = objects.iter().map(|o| placed(o)).sum();
    // The question alone takes several lines, and they are one object: fewer objects than lines.
    assert!(objects.iter().any(|o| placed(o) >= 3), "{objects:?}");
    assert!(objects.len() < lines, "{} text objects for {lines} placed runs", objects.len());
    for o in &objects {
        // One colour, graphics state and transform per object: set before `BT`, never inside.
        let inside: Vec<&str> = o.iter().map(|op| op.operator.as_str()).collect();
        for op in ["k", "K", "g", "G", "rg", "RG", "cs", "CS", "sc", "scn", "gs", "cm", "q", "Q", "Do"] {
            assert!(!inside.contains(&op), "`{op}` inside a text object: {inside:?}");
        }
        // A font, size or rendering mode is written only when it changes.
        let mut last: Option<&Operation> = None;
        for op in o.iter().filter(|op| op.operator == "Tf") {
            assert!(last.is_none_or(|l| l.operands != op.operands), "a repeated `Tf` {:?}", op.operands);
            last = Some(op);
        }
        assert!(inside.iter().filter(|&&op| op == "Tr").count() <= 1, "{inside:?}");
    }
}

#[test]
fn the_lines_of_a_shared_text_object_read_in_order() {
    let doc = first_face();
    let text = page_text_lines(&doc, 1);
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ").replace("- ", "");
    assert!(joined.contains(QUESTION), "{QUESTION:?} not in {joined:?}");
}
