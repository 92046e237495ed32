//! Any text through the numbers parser in every setting: what it parses must hold its
//! promises (see `sitrep::harness::figures`), and nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    sitrep::harness::figures(text);
});
