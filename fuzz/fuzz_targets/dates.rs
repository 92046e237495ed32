//! Any text through the dates parser in every setting: what it parses must hold its
//! promises (see `sitrep::harness::dates`), and nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    sitrep::harness::dates(text);
});
