//! Reading the regions file (`decks/regions.json`): the contact data leaflets and runs refer to.

use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::leaflet::{Region, RegionsFile};
use crate::model::source::SourceFile;

/// Loads the regions file (`decks/regions.json`), if present.
pub fn load_regions(root: &Path, diags: &mut Diagnostics) -> Option<(Arc<SourceFile>, Vec<Region>)> {
    let path = root.join("decks").join("regions.json");
    if !path.exists() {
        return None;
    }
    let file = match crate::model::discover::load_source(root, &path, Path::new("decks/regions.json")) {
        Ok(f) => Arc::new(f),
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    regions_from(&file, diags).map(|regions| (file, regions))
}

/// The regions of a regions file already read (what [`load_regions`] checks once the file is
/// read), so a new text can be checked the same way before it is written.
pub fn regions_from(file: &SourceFile, diags: &mut Diagnostics) -> Option<Vec<Region>> {
    let spec: RegionsFile = match file.de_root() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut seen = Vec::new();
    for (i, r) in spec.regions.iter().enumerate() {
        if seen.contains(&r.id) {
            diags.push(
                Diagnostic::error(format!("region `{}` is defined twice", r.id))
                    .at(file.locate(&format!("regions[{i}].id"))),
            );
        }
        seen.push(r.id.clone());
    }
    Some(spec.regions)
}
