//! Any bytes that load as a guest ELF are lifted to a wasm32 object at -O0 (LLVM's verifier
//! runs on every function): discovery, the instruction lifters and code generation must
//! accept whatever discovery hands them.
#![no_main]

use elfconv2_lifter::translate::{lift_to_object, Options};
use elfconv2_lifter::GuestImage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(image) = GuestImage::parse(data) else { return };
    let options = Options {
        opt_level: 0,
        emit_llvm: false,
        jobs: Some(1),
        object_cache: None,
    };
    if let Ok(lifted) = lift_to_object(&image, &options) {
        assert!(lifted.objects.iter().all(|o| o.starts_with(b"\0asm")));
    }
});
