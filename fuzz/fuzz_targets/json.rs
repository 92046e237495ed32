//! Any bytes imported as a .json file, with import options chosen by the first byte: an
//! error or a sound archive, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((&options, bytes)) = data.split_first() {
        let opts = sitrep::harness::options_from_byte(options);
        let _ = sitrep::harness::import_bytes("json", bytes, &opts);
    }
});
