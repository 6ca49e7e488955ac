//! Embedding only the glyphs a report uses, with its text still searchable and extractable.
//!
//! genpdfi cuts a font down to the glyphs used (the `subsetter` crate), but the cut-down font has no
//! `cmap` table, and the PDF writer (printpdf) builds the PDF's character-to-text map (ToUnicode) and
//! glyph widths from that table. This module adds a `cmap` (format 12, Unicode full repertoire)
//! mapping each character to its glyph in the subset, so the PDF's text can be searched, copied and
//! read by screen readers and by the tests.

use crate::error::{CoreError, Result};

fn read_u16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// The TrueType checksum of a table: the sum of its big-endian 32-bit words.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A `cmap` table with one format-12 subtable (Windows, Unicode full repertoire).
fn cmap_table(pairs: &[(char, u16)]) -> Vec<u8> {
    let groups = pairs.len() as u32;
    let subtable_len = 16 + 12 * groups;
    let mut t = Vec::with_capacity(12 + subtable_len as usize);
    t.extend_from_slice(&0u16.to_be_bytes()); // version
    t.extend_from_slice(&1u16.to_be_bytes()); // one encoding record
    t.extend_from_slice(&3u16.to_be_bytes()); // platform: Windows
    t.extend_from_slice(&10u16.to_be_bytes()); // encoding: Unicode full repertoire
    t.extend_from_slice(&12u32.to_be_bytes()); // subtable offset
    t.extend_from_slice(&12u16.to_be_bytes()); // format 12
    t.extend_from_slice(&0u16.to_be_bytes());
    t.extend_from_slice(&subtable_len.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes()); // language
    t.extend_from_slice(&groups.to_be_bytes());
    for &(c, glyph) in pairs {
        t.extend_from_slice(&(c as u32).to_be_bytes());
        t.extend_from_slice(&(c as u32).to_be_bytes());
        t.extend_from_slice(&u32::from(glyph).to_be_bytes());
    }
    t
}

/// Returns `font` with its `cmap` replaced by one mapping each of `pairs` (character, glyph id).
pub(crate) fn with_cmap(font: &[u8], pairs: &mut Vec<(char, u16)>) -> Result<Vec<u8>> {
    let bad =
        || CoreError::Io("cannot embed the report's font: the subset font is malformed".into());
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    let version = read_u32(font, 0).ok_or_else(bad)?;
    let count = read_u16(font, 4).ok_or_else(bad)? as usize;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(count + 1);
    for i in 0..count {
        let record = 12 + 16 * i;
        let tag: [u8; 4] = font
            .get(record..record + 4)
            .and_then(|t| t.try_into().ok())
            .ok_or_else(bad)?;
        let offset = read_u32(font, record + 8).ok_or_else(bad)? as usize;
        let length = read_u32(font, record + 12).ok_or_else(bad)? as usize;
        if &tag != b"cmap" {
            let body = font.get(offset..offset + length).ok_or_else(bad)?;
            tables.push((tag, body.to_vec()));
        }
    }
    tables.push((*b"cmap", cmap_table(pairs)));
    tables.sort_by_key(|(tag, _)| *tag);

    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16; // floor(log2(n))
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::with_capacity(font.len() + 4096);
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&entry_selector.to_be_bytes());
    out.extend_from_slice(&(n * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, body) in &mut tables {
        if tag == b"head" && body.len() >= 12 {
            body[8..12].copy_from_slice(&[0; 4]); // checkSumAdjustment, set below
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        offset += body.len().div_ceil(4) * 4;
    }
    for (_, body) in &tables {
        out.extend_from_slice(body);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(head) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[head + 8..head + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_maps_each_character_to_its_glyph() {
        let font = include_bytes!("../../../../assets/fonts/LiberationSans-Regular.ttf");
        let subset = genpdfi::subsetting::subset_font_with_mapping(font, "Abc").unwrap();
        let mut pairs: Vec<(char, u16)> = "Abc"
            .chars()
            .filter_map(|c| subset.glyph_id_map.get(c).map(|g| (c, g)))
            .collect();
        let patched = with_cmap(&subset.data, &mut pairs).unwrap();
        let face = ttf_parser::Face::parse(&patched, 0).unwrap();
        for c in "Abc".chars() {
            let glyph = face.glyph_index(c).map(|g| g.0);
            assert_eq!(glyph, subset.glyph_id_map.get(c), "{c}");
        }
        assert_eq!(face.glyph_index('z'), None);
    }
}
