//! Any bytes as a mapping file (and, after a NUL byte, the data it maps): an error or a
//! sound archive, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sitrep::harness::import_mapped(data);
});
