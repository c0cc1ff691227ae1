//! RISC-V instruction decoding (RV64GC: I, M, A, F, D, C, Zicsr, Zifencei;
//! the bit-manipulation extensions Zba, Zbb, Zbs are decoded in `bitmanip`).
//! Compressed instructions are expanded to the 32-bit instruction they
//! stand for, so semantics exist once per operation.

use crate::isa::Unsupported;

/// Every operation the lifter knows. Operands live in [`Insn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[rustfmt::skip]
pub enum Op {
    // RV64I
    Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Ld, Lbu, Lhu, Lwu,
    Sb, Sh, Sw, Sd,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Addiw, Slliw, Srliw, Sraiw,
    Addw, Subw, Sllw, Srlw, Sraw,
    Fence, FenceI, Ecall, Ebreak,
    // Zicsr
    Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
    // M
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu,
    Mulw, Divw, Divuw, Remw, Remuw,
    // A (the width is in Insn::width)
    Lr, Sc, AmoSwap, AmoAdd, AmoXor, AmoAnd, AmoOr, AmoMin, AmoMax, AmoMinu, AmoMaxu,
    // F and D (the format is in Insn::width: 32 = .S, 64 = .D)
    Flw, Fld, Fsw, Fsd,
    Fmadd, Fmsub, Fnmsub, Fnmadd,
    Fadd, Fsub, Fmul, Fdiv, Fsqrt,
    Fsgnj, Fsgnjn, Fsgnjx, Fmin, Fmax,
    /// Float to float: width is the destination, src_width the source.
    FcvtFF,
    /// Float (width) to integer: int_bits 32/64, signed.
    FcvtIF,
    /// Integer to float (width): int_bits 32/64, signed.
    FcvtFI,
    /// fmv.x.w / fmv.x.d
    FmvXF,
    /// fmv.w.x / fmv.d.x
    FmvFX,
    Feq, Flt, Fle, Fclass,
    // Zba, Zbb, Zbs (decoded and lifted in bitmanip.rs)
    AddUw, Sh1add, Sh2add, Sh3add, Sh1addUw, Sh2addUw, Sh3addUw, SlliUw,
    Andn, Orn, Xnor, Clz, Clzw, Ctz, Ctzw, Cpop, Cpopw, Max, Maxu, Min, Minu,
    SextB, SextH, ZextH, Rol, Rolw, Ror, Rori, Roriw, Rorw, OrcB, Rev8,
    Bclr, Bclri, Bext, Bexti, Binv, Binvi, Bset, Bseti,
    /// The defined illegal instruction (`unimp`, `c.unimp`): raises SIGILL.
    Unimp,
}

/// A decoded RISC-V instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub op: Op,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub rs3: u8,
    pub imm: i64,
    /// Memory/atomic access width or FP format, in bits.
    pub width: u32,
    /// For FP conversions: the source FP width.
    pub src_width: u32,
    /// For FP <-> integer conversions: integer width and signedness.
    pub int_bits: u32,
    pub signed: bool,
    /// Rounding mode field (7 = dynamic).
    pub rm: u8,
    pub csr: u16,
    /// Instruction length in bytes (2 for compressed).
    pub len: u8,
}

impl Insn {
    pub fn new(op: Op) -> Insn {
        Insn {
            op,
            rd: 0,
            rs1: 0,
            rs2: 0,
            rs3: 0,
            imm: 0,
            width: 0,
            src_width: 0,
            int_bits: 0,
            signed: false,
            rm: 0,
            csr: 0,
            len: 4,
        }
    }
}

pub fn bits(w: u32, hi: u32, lo: u32) -> u32 {
    (w >> lo) & ((1u32 << (hi - lo + 1)) - 1)
}

fn sext(v: u32, width: u32) -> i64 {
    let shift = 64 - width;
    ((v as i64) << shift) >> shift
}

fn unsupported(w: u32, what: &str) -> Unsupported {
    Unsupported(format!("{what} (encoding {w:#010x})"))
}

/// Decodes one instruction from the start of `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Insn, Unsupported> {
    if bytes.len() < 2 {
        return Err(Unsupported(
            "truncated instruction at the end of code".into(),
        ));
    }
    let half = u16::from_le_bytes([bytes[0], bytes[1]]);
    if half == 0 {
        // c.unimp: all-zero bits are defined to be illegal (compilers emit
        // it after calls that do not return).
        return Ok(Insn {
            len: 2,
            ..Insn::new(Op::Unimp)
        });
    }
    if half & 3 != 3 {
        return super::compressed::expand(half);
    }
    if bytes.len() < 4 {
        return Err(Unsupported(
            "truncated instruction at the end of code".into(),
        ));
    }
    let w = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    if w & 0x1f == 0x1f {
        return Err(unsupported(w, "instruction longer than 32 bits"));
    }
    decode32(w)
}

/// Decodes a 32-bit instruction word.
pub fn decode32(w: u32) -> Result<Insn, Unsupported> {
    use Op::*;
    let opcode = bits(w, 6, 0);
    let rd = bits(w, 11, 7) as u8;
    let funct3 = bits(w, 14, 12);
    let rs1 = bits(w, 19, 15) as u8;
    let rs2 = bits(w, 24, 20) as u8;
    let funct7 = bits(w, 31, 25);
    let imm_i = sext(bits(w, 31, 20), 12);
    let imm_s = sext((bits(w, 31, 25) << 5) | bits(w, 11, 7), 12);
    let imm_b = sext(
        (bits(w, 31, 31) << 12)
            | (bits(w, 7, 7) << 11)
            | (bits(w, 30, 25) << 5)
            | (bits(w, 11, 8) << 1),
        13,
    );
    let imm_u = sext(w & 0xffff_f000, 32);
    let imm_j = sext(
        (bits(w, 31, 31) << 20)
            | (bits(w, 19, 12) << 12)
            | (bits(w, 20, 20) << 11)
            | (bits(w, 30, 21) << 1),
        21,
    );
    let r = |op: Op| Insn {
        rd,
        rs1,
        rs2,
        ..Insn::new(op)
    };
    let i = |op: Op| Insn {
        rd,
        rs1,
        imm: imm_i,
        ..Insn::new(op)
    };
    let bad = |what: &str| Err(unsupported(w, what));

    let insn = match opcode {
        0x37 => Insn {
            rd,
            imm: imm_u,
            ..Insn::new(Lui)
        },
        0x17 => Insn {
            rd,
            imm: imm_u,
            ..Insn::new(Auipc)
        },
        0x6f => Insn {
            rd,
            imm: imm_j,
            ..Insn::new(Jal)
        },
        0x67 if funct3 == 0 => i(Jalr),
        0x63 => {
            let op = match funct3 {
                0 => Beq,
                1 => Bne,
                4 => Blt,
                5 => Bge,
                6 => Bltu,
                7 => Bgeu,
                _ => return bad("reserved branch"),
            };
            Insn {
                rs1,
                rs2,
                imm: imm_b,
                ..Insn::new(op)
            }
        }
        0x03 => {
            let (op, width) = match funct3 {
                0 => (Lb, 8),
                1 => (Lh, 16),
                2 => (Lw, 32),
                3 => (Ld, 64),
                4 => (Lbu, 8),
                5 => (Lhu, 16),
                6 => (Lwu, 32),
                _ => return bad("reserved load"),
            };
            Insn { width, ..i(op) }
        }
        0x23 => {
            let (op, width) = match funct3 {
                0 => (Sb, 8),
                1 => (Sh, 16),
                2 => (Sw, 32),
                3 => (Sd, 64),
                _ => return bad("reserved store"),
            };
            Insn {
                rs1,
                rs2,
                imm: imm_s,
                width,
                ..Insn::new(op)
            }
        }
        0x13 => {
            let shamt = bits(w, 25, 20) as i64;
            match funct3 {
                0 => i(Addi),
                2 => i(Slti),
                3 => i(Sltiu),
                4 => i(Xori),
                6 => i(Ori),
                7 => i(Andi),
                1 if bits(w, 31, 26) == 0 => Insn {
                    imm: shamt,
                    ..i(Slli)
                },
                5 if bits(w, 31, 26) == 0 => Insn {
                    imm: shamt,
                    ..i(Srli)
                },
                5 if bits(w, 31, 26) == 0x10 => Insn {
                    imm: shamt,
                    ..i(Srai)
                },
                _ => return bitmanip(w, "unsupported OP-IMM"),
            }
        }
        0x1b => {
            let shamt = bits(w, 24, 20) as i64;
            match (funct3, funct7) {
                (0, _) => i(Addiw),
                (1, 0) => Insn {
                    imm: shamt,
                    ..i(Slliw)
                },
                (5, 0) => Insn {
                    imm: shamt,
                    ..i(Srliw)
                },
                (5, 0x20) => Insn {
                    imm: shamt,
                    ..i(Sraiw)
                },
                _ => return bitmanip(w, "unsupported OP-IMM-32"),
            }
        }
        0x33 => r(match (funct7, funct3) {
            (0, 0) => Add,
            (0x20, 0) => Sub,
            (0, 1) => Sll,
            (0, 2) => Slt,
            (0, 3) => Sltu,
            (0, 4) => Xor,
            (0, 5) => Srl,
            (0x20, 5) => Sra,
            (0, 6) => Or,
            (0, 7) => And,
            (1, 0) => Mul,
            (1, 1) => Mulh,
            (1, 2) => Mulhsu,
            (1, 3) => Mulhu,
            (1, 4) => Div,
            (1, 5) => Divu,
            (1, 6) => Rem,
            (1, 7) => Remu,
            _ => return bitmanip(w, "unsupported OP"),
        }),
        0x3b => r(match (funct7, funct3) {
            (0, 0) => Addw,
            (0x20, 0) => Subw,
            (0, 1) => Sllw,
            (0, 5) => Srlw,
            (0x20, 5) => Sraw,
            (1, 0) => Mulw,
            (1, 4) => Divw,
            (1, 5) => Divuw,
            (1, 6) => Remw,
            (1, 7) => Remuw,
            _ => return bitmanip(w, "unsupported OP-32"),
        }),
        0x0f => match funct3 {
            0 => Insn::new(Fence),
            1 => Insn::new(FenceI),
            _ => return bad("unsupported MISC-MEM"),
        },
        0x73 => {
            let csr = bits(w, 31, 20) as u16;
            let op = match funct3 {
                0 if w == 0x0000_0073 => return Ok(Insn::new(Ecall)),
                0 if w == 0x0010_0073 => return Ok(Insn::new(Ebreak)),
                // unimp is `csrrw x0, cycle, x0`, a write to a read-only CSR.
                1 if w == 0xc000_1073 => return Ok(Insn::new(Unimp)),
                1 => Csrrw,
                2 => Csrrs,
                3 => Csrrc,
                5 => Csrrwi,
                6 => Csrrsi,
                7 => Csrrci,
                _ => return bad("privileged instruction"),
            };
            Insn {
                rd,
                rs1,
                csr,
                ..Insn::new(op)
            }
        }
        0x2f => {
            let width = match funct3 {
                2 => 32,
                3 => 64,
                _ => return bad("unsupported atomic width"),
            };
            let op = match bits(w, 31, 27) {
                0x02 if rs2 == 0 => Lr,
                0x03 => Sc,
                0x01 => AmoSwap,
                0x00 => AmoAdd,
                0x04 => AmoXor,
                0x0c => AmoAnd,
                0x08 => AmoOr,
                0x10 => AmoMin,
                0x14 => AmoMax,
                0x18 => AmoMinu,
                0x1c => AmoMaxu,
                _ => return bad("unsupported atomic operation"),
            };
            Insn { width, ..r(op) }
        }
        0x07 | 0x27 => {
            let width = match funct3 {
                2 => 32,
                3 => 64,
                _ => return bad("unsupported FP load/store width (vector or quad)"),
            };
            if opcode == 0x07 {
                Insn {
                    width,
                    ..i(if width == 32 { Flw } else { Fld })
                }
            } else {
                Insn {
                    rs1,
                    rs2,
                    imm: imm_s,
                    width,
                    ..Insn::new(if width == 32 { Fsw } else { Fsd })
                }
            }
        }
        0x43 | 0x47 | 0x4b | 0x4f => {
            let width = match bits(w, 26, 25) {
                0 => 32,
                1 => 64,
                _ => return bad("unsupported FP format"),
            };
            let op = match opcode {
                0x43 => Fmadd,
                0x47 => Fmsub,
                0x4b => Fnmsub,
                _ => Fnmadd,
            };
            Insn {
                rd,
                rs1,
                rs2,
                rs3: bits(w, 31, 27) as u8,
                width,
                rm: funct3 as u8,
                ..Insn::new(op)
            }
        }
        0x53 => decode_op_fp(w, rd, rs1, rs2, funct3, funct7)?,
        _ => return bad("unknown opcode"),
    };
    Ok(insn)
}

/// Encodings left free by the base ISA in OP, OP-32, OP-IMM and OP-IMM-32:
/// the bit-manipulation extensions, or else unsupported.
fn bitmanip(w: u32, what: &str) -> Result<Insn, Unsupported> {
    super::bitmanip::decode(w).ok_or_else(|| unsupported(w, what))
}

fn decode_op_fp(
    w: u32,
    rd: u8,
    rs1: u8,
    rs2: u8,
    funct3: u32,
    funct7: u32,
) -> Result<Insn, Unsupported> {
    use Op::*;
    let width = match funct7 & 3 {
        0 => 32,
        1 => 64,
        _ => return Err(unsupported(w, "unsupported FP format (half or quad)")),
    };
    let base = Insn {
        rd,
        rs1,
        rs2,
        width,
        rm: funct3 as u8,
        ..Insn::new(Fadd)
    };
    let with = |op: Op| Insn { op, ..base };
    let bad = |what: &str| Err(unsupported(w, what));
    Ok(match funct7 >> 2 {
        0x00 => with(Fadd),
        0x01 => with(Fsub),
        0x02 => with(Fmul),
        0x03 => with(Fdiv),
        0x0b if rs2 == 0 => with(Fsqrt),
        0x04 => match funct3 {
            0 => with(Fsgnj),
            1 => with(Fsgnjn),
            2 => with(Fsgnjx),
            _ => return bad("reserved fsgnj"),
        },
        0x05 => match funct3 {
            0 => with(Fmin),
            1 => with(Fmax),
            _ => return bad("reserved fmin/fmax"),
        },
        0x08 => {
            let src_width = match rs2 {
                0 => 32,
                1 => 64,
                _ => return bad("unsupported FP conversion"),
            };
            if src_width == width {
                return bad("reserved FP conversion");
            }
            Insn {
                src_width,
                ..with(FcvtFF)
            }
        }
        0x14 => match funct3 {
            0 => Insn {
                int_bits: 64,
                ..with(Fle)
            },
            1 => Insn {
                int_bits: 64,
                ..with(Flt)
            },
            2 => Insn {
                int_bits: 64,
                ..with(Feq)
            },
            _ => return bad("reserved FP compare"),
        },
        0x18 | 0x1a => {
            let (int_bits, signed) = match rs2 {
                0 => (32, true),
                1 => (32, false),
                2 => (64, true),
                3 => (64, false),
                _ => return bad("unsupported FP conversion"),
            };
            Insn {
                int_bits,
                signed,
                ..with(if funct7 >> 2 == 0x18 { FcvtIF } else { FcvtFI })
            }
        }
        0x1c if rs2 == 0 && funct3 == 0 => with(FmvXF),
        0x1c if rs2 == 0 && funct3 == 1 => with(Fclass),
        0x1e if rs2 == 0 && funct3 == 0 => with(FmvFX),
        _ => return bad("unsupported OP-FP"),
    })
}
