//! Any bytes: load them as a guest ELF and, when they load, discover the code. Whatever the
//! input, loading must return a one-line error or an image, and discovery must finish; never
//! a panic, an abort (an allocation the file cannot pay for) or a hang.
#![no_main]

use elfconv2_lifter::discover::discover;
use elfconv2_lifter::riscv::Riscv64;
use elfconv2_lifter::{GuestArch, GuestImage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match GuestImage::parse(data) {
        Err(e) => assert!(!e.to_string().contains('\n'), "a multi-line error: {e}"),
        Ok(image) => match image.arch {
            GuestArch::Riscv64 => {
                let program = discover(&Riscv64::default(), &image);
                std::hint::black_box(program.functions.len());
            }
            GuestArch::Aarch64 => {}
        },
    }
});
