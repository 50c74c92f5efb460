//! Uploaded images keep nothing about who took them: EXIF (device, owner, GPS, time), XMP,
//! IPTC, comments and PNG text chunks are removed from JPEG, PNG and WebP; only what display
//! needs stays: the orientation (rewritten as an EXIF block holding that one tag) and the
//! colour profile. A mystery shopper's photo must not lead back to the shopper.
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

#[derive(Debug, PartialEq, Eq)]
pub struct Unreadable;

/// The image without its metadata. `content_type` is the sniffed type; other types pass
/// unchanged. An image whose container cannot be read is refused: its metadata could not be
/// removed.
pub fn strip_metadata(content_type: &str, bytes: &[u8]) -> Result<Vec<u8>, Unreadable> {
    let b = Bytes::copy_from_slice(bytes);
    match content_type {
        "image/jpeg" => strip_jpeg(b),
        "image/png" => strip_png(b),
        "image/webp" => strip_webp(b),
        _ => Ok(bytes.to_vec()),
    }
}

/// The orientation tag (1–8) of an EXIF block, when it has one other than 1.
fn orientation(exif: Option<Bytes>) -> Option<u16> {
    let raw = exif?;
    let parsed = exif::Reader::new().read_raw(raw.to_vec()).ok()?;
    let field = parsed.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = u16::try_from(field.value.get_uint(0)?).ok()?;
    ((2..=8).contains(&value)).then_some(value)
}

/// A TIFF block (big-endian) with one IFD holding only the orientation.
fn orientation_exif(value: u16) -> Bytes {
    let mut tiff = Vec::with_capacity(26);
    tiff.extend_from_slice(b"MM\x00\x2a");
    tiff.extend_from_slice(&8u32.to_be_bytes());
    tiff.extend_from_slice(&1u16.to_be_bytes());
    // tag 0x0112 Orientation, type 3 SHORT, count 1, value left-justified in 4 bytes.
    tiff.extend_from_slice(&0x0112u16.to_be_bytes());
    tiff.extend_from_slice(&3u16.to_be_bytes());
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&value.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    Bytes::from(tiff)
}

fn is_icc(contents: &[u8]) -> bool {
    contents.starts_with(b"ICC_PROFILE\0")
}

fn strip_jpeg(b: Bytes) -> Result<Vec<u8>, Unreadable> {
    let mut jpeg = Jpeg::from_bytes(b).map_err(|_| Unreadable)?;
    let turn = orientation(jpeg.exif());
    // Keep JFIF (APP0), the colour profile (APP2 ICC_PROFILE) and Adobe's colour transform
    // (APP14); every other application segment and every comment goes.
    jpeg.segments_mut().retain(|s| {
        let m = s.marker();
        let app = (markers::APP0..=markers::APP15).contains(&m);
        let keep_app = m == markers::APP0 || m == markers::APP14 || (m == markers::APP2 && is_icc(s.contents()));
        m != markers::COM && (!app || keep_app)
    });
    if let Some(value) = turn {
        jpeg.set_exif(Some(orientation_exif(value)));
    }
    // Whatever follows the end of the image (a second picture of a multi-picture file, which
    // carries its own metadata) goes too. In entropy-coded data 0xFF is always followed by 0x00
    // or a restart marker, so the first FF D9 after the first scan starts is the end.
    let header: usize = 2 + jpeg
        .segments()
        .iter()
        .map(|s| {
            if s.marker() == markers::SOS {
                s.len()
            } else {
                s.len_with_entropy()
            }
        })
        .sum::<usize>();
    let mut out = jpeg.encoder().bytes().to_vec();
    if let Some(end) = out
        .get(header..)
        .and_then(|rest| rest.windows(2).position(|w| w == [0xFF, markers::EOI]))
    {
        out.truncate(header + end + 2);
    }
    Ok(out)
}

fn strip_png(b: Bytes) -> Result<Vec<u8>, Unreadable> {
    let mut png = Png::from_bytes(b).map_err(|_| Unreadable)?;
    let turn = orientation(png.exif());
    for kind in [*b"tEXt", *b"zTXt", *b"iTXt", *b"tIME", *b"eXIf"] {
        png.remove_chunks_by_type(kind);
    }
    if let Some(value) = turn {
        png.set_exif(Some(orientation_exif(value)));
    }
    Ok(png.encoder().bytes().to_vec())
}

fn strip_webp(b: Bytes) -> Result<Vec<u8>, Unreadable> {
    let mut webp = WebP::from_bytes(b).map_err(|_| Unreadable)?;
    let turn = orientation(webp.exif());
    webp.remove_chunks_by_id(*b"XMP ");
    webp.set_exif(turn.map(orientation_exif));
    Ok(webp.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TIFF block (little-endian) naming a camera, its owner, a GPS position and a rotation.
    fn revealing_exif() -> Vec<u8> {
        let mut t = Vec::new();
        t.extend_from_slice(b"II\x2a\x00");
        t.extend_from_slice(&8u32.to_le_bytes());
        // IFD0: Make, Orientation, Artist, GPS pointer.
        let entries: u16 = 4;
        t.extend_from_slice(&entries.to_le_bytes());
        let data_at = 8 + 2 + 12 * u32::from(entries) + 4;
        let make = b"Canon\0";
        let artist = b"Zhang San\0";
        let gps_at = data_at + u32::try_from(make.len() + artist.len()).unwrap();
        let entry = |t: &mut Vec<u8>, tag: u16, ty: u16, count: u32, value: u32| {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&ty.to_le_bytes());
            t.extend_from_slice(&count.to_le_bytes());
            t.extend_from_slice(&value.to_le_bytes());
        };
        entry(&mut t, 0x010F, 2, u32::try_from(make.len()).unwrap(), data_at);
        entry(&mut t, 0x0112, 3, 1, 6);
        entry(&mut t, 0x013B, 2, u32::try_from(artist.len()).unwrap(), data_at + 6);
        entry(&mut t, 0x8825, 4, 1, gps_at);
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(make);
        t.extend_from_slice(artist);
        // GPS IFD: GPSLatitudeRef "N".
        t.extend_from_slice(&1u16.to_le_bytes());
        entry(&mut t, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
        t.extend_from_slice(&0u32.to_le_bytes());
        t
    }

    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
        s.extend_from_slice(contents);
        s
    }

    pub(crate) fn jpeg_with_metadata() -> Vec<u8> {
        let mut j = vec![0xFF, markers::SOI];
        j.extend(segment(markers::APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(revealing_exif());
        j.extend(segment(markers::APP1, &exif));
        j.extend(segment(
            markers::APP1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Zhang San</x:xmpmeta>",
        ));
        j.extend(segment(markers::APP2, b"ICC_PROFILE\0\x01\x01profile"));
        j.extend(segment(markers::APP13, b"Photoshop 3.0\0owner"));
        j.extend(segment(markers::COM, b"taken by Zhang San"));
        j.extend(segment(markers::SOF0, b"\x08\0\x01\0\x01\x01\x01\x11\0"));
        j.extend(segment(markers::SOS, b"\x01\x01\0\0\x3f\0"));
        j.extend_from_slice(b"\x12\x34\xFF\x00\x56");
        j.extend_from_slice(&[0xFF, markers::EOI]);
        // A second picture appended, with its own metadata.
        j.extend_from_slice(&[0xFF, markers::SOI]);
        j.extend(segment(markers::COM, b"Zhang San again"));
        j.extend_from_slice(&[0xFF, markers::EOI]);
        j
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_keeps_its_picture_colour_and_orientation_and_nothing_else() {
        let out = strip_metadata("image/jpeg", &jpeg_with_metadata()).unwrap();
        for secret in [&b"Canon"[..], b"Zhang San", b"xmpmeta", b"Photoshop", b"N\0\0\0"] {
            assert!(!contains(&out, secret), "{}", String::from_utf8_lossy(secret));
        }
        assert!(contains(&out, b"JFIF"));
        assert!(contains(&out, b"ICC_PROFILE"));
        assert!(contains(&out, b"\x12\x34\xFF\x00\x56\xFF\xD9"));
        assert!(out.ends_with(&[0xFF, 0xD9]));
        let jpeg = Jpeg::from_bytes(Bytes::from(out)).unwrap();
        assert_eq!(orientation(jpeg.exif()), Some(6));
    }

    #[test]
    fn a_png_loses_its_text_and_keeps_its_orientation() {
        let chunk = |kind: &[u8; 4], data: &[u8]| img_parts::png::PngChunk::new(*kind, Bytes::copy_from_slice(data));
        let mut png = Png::from_bytes(Bytes::from_static(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0bIDAT\x78\x9c\x63\x60\x00\x02\x00\x00\x05\x00\x01\x7a\x5e\xab\x3f\x00\x00\x00\x00IEND\xae\x42\x60\x82",
        ))
        .unwrap();
        png.chunks_mut().insert(1, chunk(b"tEXt", b"Author\0Zhang San"));
        png.chunks_mut().insert(1, chunk(b"eXIf", &revealing_exif()));
        let bytes = png.encoder().bytes().to_vec();
        let out = strip_metadata("image/png", &bytes).unwrap();
        assert!(!contains(&out, b"Zhang San") && !contains(&out, b"Canon"));
        let png = Png::from_bytes(Bytes::from(out)).unwrap();
        assert_eq!(orientation(png.exif()), Some(6));
        assert!(png.chunk_by_type(*b"IDAT").is_some());
    }

    #[test]
    fn a_webp_loses_its_exif_and_xmp_and_keeps_its_orientation() {
        let chunk = |id: &[u8; 4], data: &[u8]| {
            let mut c = id.to_vec();
            c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let mut body = b"WEBP".to_vec();
        // VP8X: flags EXIF (0x08) and XMP (0x04), a 1×1 canvas.
        body.extend(chunk(b"VP8X", &[0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        body.extend(chunk(b"VP8L", b"\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0"));
        body.extend(chunk(b"EXIF", &revealing_exif()));
        body.extend(chunk(b"XMP ", b"<x:xmpmeta>Zhang San</x:xmpmeta>"));
        let mut riff = b"RIFF".to_vec();
        riff.extend_from_slice(&u32::try_from(body.len()).unwrap().to_le_bytes());
        riff.extend(body);
        let out = strip_metadata("image/webp", &riff).unwrap();
        assert!(!contains(&out, b"Zhang San") && !contains(&out, b"Canon") && !contains(&out, b"XMP "));
        let webp = WebP::from_bytes(Bytes::from(out)).unwrap();
        assert_eq!(orientation(webp.exif()), Some(6));
        assert!(webp.has_chunk(*b"VP8L"));
    }

    #[test]
    fn an_unreadable_image_is_refused_and_other_files_pass() {
        assert_eq!(strip_metadata("image/png", b"\x89PNG\r\n\x1a\n\0\0"), Err(Unreadable));
        assert_eq!(strip_metadata("application/pdf", b"%PDF-1.7").unwrap(), b"%PDF-1.7");
    }
}
