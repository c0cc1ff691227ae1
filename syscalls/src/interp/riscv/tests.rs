//! The interpreter on hand-encoded instructions: code at 0x1000, data at
//! 0x2000 (a fake machine of 8 KiB). Expected values follow the RISC-V
//! specification; whole programs are checked against qemu in
//! tests/programs/fallback_hidden.c.

use super::*;
use crate::abi::CpuState;

const CODE: u64 = 0x1000;
const DATA: u64 = 0x2000;

struct Fake {
    mem: Vec<u8>,
    code_end: u64,
}

impl Fake {
    fn new(code: &[u32]) -> Fake {
        let mut mem = vec![0u8; 0x2000];
        for (k, w) in code.iter().enumerate() {
            mem[4 * k..4 * k + 4].copy_from_slice(&w.to_le_bytes());
        }
        Fake {
            mem,
            code_end: CODE + 4 * code.len() as u64,
        }
    }
    fn at(&self, addr: u64, size: u32) -> Option<std::ops::Range<usize>> {
        let lo = addr.checked_sub(CODE)? as usize;
        let hi = lo.checked_add(size as usize)?;
        (hi <= self.mem.len()).then_some(lo..hi)
    }
}

impl Machine for Fake {
    fn load(&mut self, addr: u64, size: u32) -> Option<u64> {
        let r = self.at(addr, size)?;
        let mut b = [0u8; 8];
        b[..size as usize].copy_from_slice(&self.mem[r]);
        Some(u64::from_le_bytes(b))
    }
    fn store(&mut self, addr: u64, size: u32, value: u64) -> Option<()> {
        let r = self.at(addr, size)?;
        self.mem[r].copy_from_slice(&value.to_le_bytes()[..size as usize]);
        Some(())
    }
    fn fetch(&mut self, pc: u64) -> Option<[u8; 4]> {
        if pc < CODE || pc >= self.code_end {
            return None;
        }
        let r = self.at(pc, 4)?;
        Some(self.mem[r].try_into().unwrap())
    }
    fn counter(&mut self, kind: u32) -> u64 {
        100 + kind as u64
    }
}

// Encoders for the instruction formats.
fn i_type(opcode: u32, rd: u32, f3: u32, rs1: u32, imm: i32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
}
fn r_type(opcode: u32, rd: u32, f3: u32, rs1: u32, rs2: u32, f7: u32) -> u32 {
    (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
}
fn s_type(f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    let imm = imm as u32;
    ((imm >> 5 & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23
}
fn b_type(f3: u32, rs1: u32, rs2: u32, off: i32) -> u32 {
    let o = off as u32;
    ((o >> 12 & 1) << 31)
        | ((o >> 5 & 0x3f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (f3 << 12)
        | ((o >> 1 & 0xf) << 8)
        | ((o >> 11 & 1) << 7)
        | 0x63
}
fn jal(rd: u32, off: i32) -> u32 {
    let o = off as u32;
    ((o >> 20 & 1) << 31)
        | ((o >> 1 & 0x3ff) << 21)
        | ((o >> 11 & 1) << 20)
        | ((o >> 12 & 0xff) << 12)
        | (rd << 7)
        | 0x6f
}
fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i_type(0x13, rd, 0, rs1, imm)
}
const RET: u32 = 0x0000_8067; // jalr x0, 0(ra)
const ECALL: u32 = 0x0000_0073;

fn run_from(code: &[u32], setup: impl FnOnce(&mut CpuState)) -> (CpuState, Fake, Option<Stop>) {
    let mut st = CpuState::zeroed();
    st.pc = CODE;
    setup(&mut st);
    let mut m = Fake::new(code);
    let stop = run(&mut st, &mut m, 10_000);
    (st, m, stop)
}

#[test]
fn loops_run_inside_and_a_return_stops() {
    // x2 = 0; do x2 += 3 while x2 != 30; ret
    let code = [
        addi(2, 0, 0),
        addi(2, 2, 3),
        addi(3, 0, 30),
        b_type(1, 2, 3, -8),
        RET,
    ];
    let (st, _, stop) = run_from(&code, |st| st.x[1] = 0xabc0);
    assert_eq!(stop, Some(Stop::Jump(0xabc0)));
    assert_eq!((st.x[2], st.pc), (30, 0xabc0));
}

#[test]
fn a_call_stops_with_the_link_set_and_a_plain_jump_does_not() {
    let code = [jal(0, 8), addi(5, 0, 1), addi(6, 0, 2), jal(1, -12)];
    let (st, _, stop) = run_from(&code, |_| {});
    assert_eq!(stop, Some(Stop::Jump(CODE)));
    assert_eq!((st.x[5], st.x[6], st.x[1]), (0, 2, CODE + 16));
}

#[test]
fn division_gives_the_defined_results() {
    let div = |f3, f7, opcode, a: u64, b: u64| {
        let code = [r_type(opcode, 3, f3, 1, 2, f7), ECALL];
        run_from(&code, |st| (st.x[1], st.x[2]) = (a, b)).0.x[3]
    };
    assert_eq!(div(4, 1, 0x33, 7, 0), u64::MAX); // div by zero
    assert_eq!(div(6, 1, 0x33, 7, 0), 7); // rem by zero
    assert_eq!(div(4, 1, 0x33, i64::MIN as u64, u64::MAX), i64::MIN as u64); // overflow
    assert_eq!(div(6, 1, 0x33, i64::MIN as u64, u64::MAX), 0);
    assert_eq!(
        div(4, 1, 0x3b, 0xffff_ffff_8000_0000, u64::MAX),
        0xffff_ffff_8000_0000
    ); // divw
    assert_eq!(div(5, 1, 0x3b, 0x1_0000_0007, 0), u64::MAX); // divuw by zero
    assert_eq!(div(3, 1, 0x33, u64::MAX, u64::MAX), u64::MAX - 1); // mulhu
}

#[test]
fn memory_faults_and_non_code_stop_at_their_pc() {
    let code = [addi(1, 0, 0x10), i_type(0x03, 2, 3, 1, 0)]; // ld x2, 0(x1)
    let (st, _, stop) = run_from(&code, |_| {});
    assert_eq!(
        stop,
        Some(Stop::Fault {
            pc: CODE + 4,
            addr: 0x10
        })
    );
    assert_eq!(st.pc, CODE + 4);
    let code = [addi(1, 0, 1)]; // falls off the end of the code
    assert_eq!(
        run_from(&code, |_| {}).2,
        Some(Stop::NotCode {
            pc: CODE + 4,
            from: Some(CODE)
        })
    );
}

#[test]
fn loads_stores_and_atomics() {
    let code = [
        s_type(3, 1, 2, 8),              // sd x2, 8(x1)
        i_type(0x03, 3, 0, 1, 8),        // lb x3, 8(x1): 0x80 sign-extends
        i_type(0x03, 4, 4, 1, 8),        // lbu x4, 8(x1)
        r_type(0x2f, 5, 3, 6, 0, 0x08),  // lr.d x5, (x6)
        r_type(0x2f, 7, 3, 6, 2, 0x0c),  // sc.d x7, x2, (x6): succeeds
        r_type(0x2f, 8, 3, 6, 2, 0x0c),  // sc.d x8, x2, (x6): no reservation left
        r_type(0x2f, 9, 2, 6, 10, 0x00), // amoadd.w x9, x10, (x6)
        ECALL,
    ];
    let (st, mut m, stop) = run_from(&code, |st| {
        (st.x[1], st.x[2], st.x[6], st.x[10]) = (DATA, 0x7fff_ff80, DATA + 8, 1)
    });
    assert_eq!(stop, Some(Stop::Syscall(CODE + 28)));
    assert_eq!((st.x[3], st.x[4]), ((-128i64) as u64, 0x80));
    assert_eq!((st.x[5], st.x[7], st.x[8]), (0x7fff_ff80, 0, 1));
    assert_eq!(st.x[9], 0x7fff_ff80);
    assert_eq!(m.load(DATA + 8, 8), Some(0x7fff_ff81));
}

#[test]
fn floating_point_rounds_flags_and_boxes() {
    // fdiv.s f3, f1, f2 with the dynamic rounding mode
    let fdiv_s = r_type(0x53, 3, 7, 1, 2, 0x0c);
    let one = 0xffff_ffff_3f80_0000u64;
    let three = 0xffff_ffff_4040_0000u64;
    let run_div = |frm: u64, a: u64| {
        run_from(&[fdiv_s, ECALL], |st| {
            (st.f[1].lo, st.f[2].lo, st.fcsr) = (a, three, frm << 5)
        })
    };
    let (st, _, _) = run_div(0, one);
    assert_eq!((st.f[3].lo, st.fcsr & 0x1f), (0xffff_ffff_3eaa_aaab, 1)); // RNE, NX
    let (st, _, _) = run_div(1, one);
    assert_eq!(st.f[3].lo, 0xffff_ffff_3eaa_aaaa); // RTZ
                                                   // An unboxed single is the canonical NaN.
    let (st, _, _) = run_div(0, 0x3f80_0000);
    assert_eq!(st.f[3].lo, 0xffff_ffff_7fc0_0000);
    // frm 5 is reserved: the dynamic mode then raises SIGILL.
    let (_, _, stop) = run_div(5, one);
    assert!(matches!(stop, Some(Stop::Illegal { pc: CODE, .. })));
    // fcvt.w.d x5, f1 (RTZ) of -2.5, and fmv.x.w of a boxed single.
    let code = [
        r_type(0x53, 5, 1, 1, 0, 0x61),
        r_type(0x53, 6, 0, 2, 0, 0x70),
        ECALL,
    ];
    let (st, _, _) = run_from(&code, |st| {
        (st.f[1].lo, st.f[2].lo) = ((-2.5f64).to_bits(), 0xffff_ffff_bf80_0000)
    });
    assert_eq!((st.x[5], st.x[6]), ((-2i64) as u64, 0xffff_ffff_bf80_0000));
    assert_eq!(st.fcsr & 0x1f, 1);
}

#[test]
fn csrs_and_counters() {
    let code = [
        i_type(0x73, 1, 1, 2, 0x003), // csrrw x1, fcsr, x2
        i_type(0x73, 3, 2, 0, 0x002), // csrrs x3, frm, x0 (read)
        i_type(0x73, 4, 2, 0, 0xc01), // rdtime x4
        i_type(0x73, 0, 1, 5, 0xc00), // csrrw x0, cycle, x5: read-only
    ];
    let (st, _, stop) = run_from(&code, |st| (st.fcsr, st.x[2]) = (0x21, 0x45));
    assert_eq!((st.x[1], st.x[3], st.x[4], st.fcsr), (0x21, 2, 101, 0x45));
    assert!(matches!(stop, Some(Stop::Illegal { pc, .. }) if pc == CODE + 12));
}

#[test]
fn compressed_instructions_and_x0() {
    // c.li a0, 5 ; c.addi a0, 3 ; c.addi x0... (a hint) ; addi x0, x0, 7 ; ecall
    let halves: [u16; 2] = [0x4515, 0x050d];
    let packed = halves[0] as u32 | (halves[1] as u32) << 16;
    let (st, _, stop) = run_from(&[packed, addi(0, 0, 7), ECALL], |_| {});
    assert_eq!(stop, Some(Stop::Syscall(CODE + 8)));
    assert_eq!((st.x[10], st.x[0]), (8, 0));
}
