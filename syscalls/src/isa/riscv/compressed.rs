//! The C extension: each 16-bit instruction expands to the 32-bit
//! instruction it abbreviates (RV64C encodings).

use super::decode::{Insn, Op};
use crate::isa::Unsupported;

fn b(h: u16, hi: u32, lo: u32) -> u32 {
    ((h as u32) >> lo) & ((1u32 << (hi - lo + 1)) - 1)
}

fn sext(v: u32, width: u32) -> i64 {
    let shift = 64 - width;
    ((v as i64) << shift) >> shift
}

/// Builds the expanded instruction with length 2.
fn op(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i64, width: u32) -> Insn {
    let mut i = Insn::new(op);
    i.rd = rd;
    i.rs1 = rs1;
    i.rs2 = rs2;
    i.imm = imm;
    i.width = width;
    i.len = 2;
    i
}

pub fn expand(h: u16) -> Result<Insn, Unsupported> {
    use Op::*;
    let bad = |what: &str| Err(Unsupported(format!("{what} (encoding {h:#06x})")));
    if h == 0 {
        return bad("illegal instruction (all zero)");
    }
    let funct3 = b(h, 15, 13);
    let rd = b(h, 11, 7) as u8; // also rs1 in many forms
    let rs2 = b(h, 6, 2) as u8;
    let rdp = (b(h, 4, 2) + 8) as u8; // rd' / rs2'
    let rs1p = (b(h, 9, 7) + 8) as u8; // rs1' / rd'
    let imm6 = sext((b(h, 12, 12) << 5) | b(h, 6, 2), 6);
    let shamt = ((b(h, 12, 12) << 5) | b(h, 6, 2)) as i64;
    // Offsets of the register-relative loads and stores.
    let uimm_w = ((b(h, 12, 10) << 3) | (b(h, 6, 6) << 2) | (b(h, 5, 5) << 6)) as i64;
    let uimm_d = ((b(h, 12, 10) << 3) | (b(h, 6, 5) << 6)) as i64;

    Ok(match (b(h, 1, 0), funct3) {
        // Quadrant 0
        (0, 0) => {
            let nzuimm =
                (b(h, 12, 11) << 4) | (b(h, 10, 7) << 6) | (b(h, 6, 6) << 2) | (b(h, 5, 5) << 3);
            if nzuimm == 0 {
                return bad("reserved c.addi4spn");
            }
            op(Addi, rdp, 2, 0, nzuimm as i64, 0)
        }
        (0, 1) => op(Fld, rdp, rs1p, 0, uimm_d, 64),
        (0, 2) => op(Lw, rdp, rs1p, 0, uimm_w, 32),
        (0, 3) => op(Ld, rdp, rs1p, 0, uimm_d, 64),
        (0, 5) => op(Fsd, 0, rs1p, rdp, uimm_d, 64),
        (0, 6) => op(Sw, 0, rs1p, rdp, uimm_w, 32),
        (0, 7) => op(Sd, 0, rs1p, rdp, uimm_d, 64),
        // Quadrant 1
        (1, 0) => op(Addi, rd, rd, 0, imm6, 0),
        (1, 1) if rd != 0 => op(Addiw, rd, rd, 0, imm6, 0),
        (1, 2) => op(Addi, rd, 0, 0, imm6, 0),
        (1, 3) if rd == 2 => {
            let v = (b(h, 12, 12) << 9)
                | (b(h, 6, 6) << 4)
                | (b(h, 5, 5) << 6)
                | (b(h, 4, 3) << 7)
                | (b(h, 2, 2) << 5);
            if v == 0 {
                return bad("reserved c.addi16sp");
            }
            op(Addi, 2, 2, 0, sext(v, 10), 0)
        }
        (1, 3) => {
            if imm6 == 0 {
                return bad("reserved c.lui");
            }
            op(Lui, rd, 0, 0, imm6 << 12, 0)
        }
        (1, 4) => match b(h, 11, 10) {
            0 => op(Srli, rs1p, rs1p, 0, shamt, 0),
            1 => op(Srai, rs1p, rs1p, 0, shamt, 0),
            2 => op(Andi, rs1p, rs1p, 0, imm6, 0),
            _ => {
                let o = match (b(h, 12, 12), b(h, 6, 5)) {
                    (0, 0) => Sub,
                    (0, 1) => Xor,
                    (0, 2) => Or,
                    (0, 3) => And,
                    (1, 0) => Subw,
                    (1, 1) => Addw,
                    _ => return bad("reserved compressed arithmetic"),
                };
                op(o, rs1p, rs1p, rdp, 0, 0)
            }
        },
        (1, 5) => {
            let v = (b(h, 12, 12) << 11)
                | (b(h, 11, 11) << 4)
                | (b(h, 10, 9) << 8)
                | (b(h, 8, 8) << 10)
                | (b(h, 7, 7) << 6)
                | (b(h, 6, 6) << 7)
                | (b(h, 5, 3) << 1)
                | (b(h, 2, 2) << 5);
            op(Jal, 0, 0, 0, sext(v, 12), 0)
        }
        (1, 6) | (1, 7) => {
            let v = (b(h, 12, 12) << 8)
                | (b(h, 11, 10) << 3)
                | (b(h, 6, 5) << 6)
                | (b(h, 4, 3) << 1)
                | (b(h, 2, 2) << 5);
            op(
                if funct3 == 6 { Beq } else { Bne },
                0,
                rs1p,
                0,
                sext(v, 9),
                0,
            )
        }
        // Quadrant 2
        (2, 0) => op(Slli, rd, rd, 0, shamt, 0),
        (2, 1) => {
            let v = (b(h, 12, 12) << 5) | (b(h, 6, 5) << 3) | (b(h, 4, 2) << 6);
            op(Fld, rd, 2, 0, v as i64, 64)
        }
        (2, 2) if rd != 0 => {
            let v = (b(h, 12, 12) << 5) | (b(h, 6, 4) << 2) | (b(h, 3, 2) << 6);
            op(Lw, rd, 2, 0, v as i64, 32)
        }
        (2, 3) if rd != 0 => {
            let v = (b(h, 12, 12) << 5) | (b(h, 6, 5) << 3) | (b(h, 4, 2) << 6);
            op(Ld, rd, 2, 0, v as i64, 64)
        }
        (2, 4) => match (b(h, 12, 12), rd, rs2) {
            (0, 0, 0) => return bad("reserved c.jr"),
            (0, _, 0) => op(Jalr, 0, rd, 0, 0, 0),
            (0, _, _) => op(Add, rd, 0, rs2, 0, 0),
            (1, 0, 0) => op(Ebreak, 0, 0, 0, 0, 0),
            (1, _, 0) => op(Jalr, 1, rd, 0, 0, 0),
            _ => op(Add, rd, rd, rs2, 0, 0),
        },
        (2, 5) => {
            let v = (b(h, 12, 10) << 3) | (b(h, 9, 7) << 6);
            op(Fsd, 0, 2, rs2, v as i64, 64)
        }
        (2, 6) => {
            let v = (b(h, 12, 9) << 2) | (b(h, 8, 7) << 6);
            op(Sw, 0, 2, rs2, v as i64, 32)
        }
        (2, 7) => {
            let v = (b(h, 12, 10) << 3) | (b(h, 9, 7) << 6);
            op(Sd, 0, 2, rs2, v as i64, 64)
        }
        _ => return bad("unsupported compressed instruction"),
    })
}
