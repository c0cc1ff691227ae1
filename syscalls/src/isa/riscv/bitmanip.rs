//! Decoding the bit-manipulation extensions Zba (address generation), Zbb
//! (basic bit manipulation) and Zbs (single-bit instructions), RV64 forms.
//! They live in encodings the base ISA leaves free in OP, OP-32, OP-IMM
//! and OP-IMM-32, so the base decoder hands those to [`decode`].

use super::decode::{bits, Insn, Op};

/// Decodes a Zba/Zbb/Zbs instruction word (None if it is none of them).
pub fn decode(w: u32) -> Option<Insn> {
    use Op::*;
    let opcode = bits(w, 6, 0);
    let rd = bits(w, 11, 7) as u8;
    let funct3 = bits(w, 14, 12);
    let rs1 = bits(w, 19, 15) as u8;
    let rs2 = bits(w, 24, 20) as u8;
    let funct7 = bits(w, 31, 25);
    // Unary forms keep a sub-opcode in the whole 12-bit immediate field;
    // shift-immediate forms a 6-bit funct6 and a 6-bit (5 for W) amount.
    let imm12 = bits(w, 31, 20);
    let funct6 = bits(w, 31, 26);
    let reg = |op: Op| Insn {
        rd,
        rs1,
        rs2,
        ..Insn::new(op)
    };
    let unary = |op: Op| Insn {
        rd,
        rs1,
        ..Insn::new(op)
    };
    let shift_imm = |op: Op, amount: u32| Insn {
        rd,
        rs1,
        imm: amount as i64,
        ..Insn::new(op)
    };
    Some(match (opcode, funct3) {
        // OP
        (0x33, _) => reg(match (funct7, funct3) {
            (0x10, 2) => Sh1add,
            (0x10, 4) => Sh2add,
            (0x10, 6) => Sh3add,
            (0x20, 4) => Xnor,
            (0x20, 6) => Orn,
            (0x20, 7) => Andn,
            (0x05, 4) => Min,
            (0x05, 5) => Minu,
            (0x05, 6) => Max,
            (0x05, 7) => Maxu,
            (0x30, 1) => Rol,
            (0x30, 5) => Ror,
            (0x24, 1) => Bclr,
            (0x24, 5) => Bext,
            (0x34, 1) => Binv,
            (0x14, 1) => Bset,
            _ => return None,
        }),
        // OP-32
        (0x3b, 4) if funct7 == 0x04 && rs2 == 0 => unary(ZextH),
        (0x3b, _) => reg(match (funct7, funct3) {
            (0x04, 0) => AddUw,
            (0x10, 2) => Sh1addUw,
            (0x10, 4) => Sh2addUw,
            (0x10, 6) => Sh3addUw,
            (0x30, 1) => Rolw,
            (0x30, 5) => Rorw,
            _ => return None,
        }),
        // OP-IMM
        (0x13, 1) => match (imm12, funct6) {
            (0x600, _) => unary(Clz),
            (0x601, _) => unary(Ctz),
            (0x602, _) => unary(Cpop),
            (0x604, _) => unary(SextB),
            (0x605, _) => unary(SextH),
            (_, 0x12) => shift_imm(Bclri, bits(w, 25, 20)),
            (_, 0x1a) => shift_imm(Binvi, bits(w, 25, 20)),
            (_, 0x0a) => shift_imm(Bseti, bits(w, 25, 20)),
            _ => return None,
        },
        (0x13, 5) => match (imm12, funct6) {
            (0x287, _) => unary(OrcB),
            (0x6b8, _) => unary(Rev8),
            (_, 0x18) => shift_imm(Rori, bits(w, 25, 20)),
            (_, 0x12) => shift_imm(Bexti, bits(w, 25, 20)),
            _ => return None,
        },
        // OP-IMM-32
        (0x1b, 1) => match (imm12, funct6) {
            (0x600, _) => unary(Clzw),
            (0x601, _) => unary(Ctzw),
            (0x602, _) => unary(Cpopw),
            (_, 0x02) => shift_imm(SlliUw, bits(w, 25, 20)),
            _ => return None,
        },
        (0x1b, 5) if funct7 == 0x30 => shift_imm(Roriw, bits(w, 24, 20)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Op::*;

    /// Operation, rd, rs1, rs2, immediate.
    type Expected = (Op, u8, u8, u8, i64);

    /// Encodings from GNU as (a0 = x10, a1 = x11, a2 = x12).
    #[test]
    fn decodes_every_instruction() {
        let reg = |op| (op, 10, 11, 12, 0);
        let un = |op| (op, 10, 11, 0, 0);
        let imm = |op, k| (op, 10, 11, 0, k);
        let cases: &[(u32, Expected)] = &[
            (0x08c5853b, reg(AddUw)),
            (0x20c5a533, reg(Sh1add)),
            (0x20c5c533, reg(Sh2add)),
            (0x20c5e533, reg(Sh3add)),
            (0x20c5a53b, reg(Sh1addUw)),
            (0x20c5c53b, reg(Sh2addUw)),
            (0x20c5e53b, reg(Sh3addUw)),
            (0x0a15951b, imm(SlliUw, 33)),
            (0x40c5f533, reg(Andn)),
            (0x40c5e533, reg(Orn)),
            (0x40c5c533, reg(Xnor)),
            (0x60059513, un(Clz)),
            (0x6005951b, un(Clzw)),
            (0x60159513, un(Ctz)),
            (0x6015951b, un(Ctzw)),
            (0x60259513, un(Cpop)),
            (0x6025951b, un(Cpopw)),
            (0x0ac5e533, reg(Max)),
            (0x0ac5f533, reg(Maxu)),
            (0x0ac5c533, reg(Min)),
            (0x0ac5d533, reg(Minu)),
            (0x60459513, un(SextB)),
            (0x60559513, un(SextH)),
            (0x0805c53b, un(ZextH)),
            (0x60c59533, reg(Rol)),
            (0x60c5953b, reg(Rolw)),
            (0x60c5d533, reg(Ror)),
            (0x63f5d513, imm(Rori, 63)),
            (0x61f5d51b, imm(Roriw, 31)),
            (0x60c5d53b, reg(Rorw)),
            (0x2875d513, un(OrcB)),
            (0x6b85d513, un(Rev8)),
            (0x48c59533, reg(Bclr)),
            (0x4bf59513, imm(Bclri, 63)),
            (0x48c5d533, reg(Bext)),
            (0x4a85d513, imm(Bexti, 40)),
            (0x68c59533, reg(Binv)),
            (0x68559513, imm(Binvi, 5)),
            (0x28c59533, reg(Bset)),
            (0x28059513, imm(Bseti, 0)),
        ];
        for &(w, (op, rd, rs1, rs2, imm)) in cases {
            let i = crate::isa::riscv::decode::decode32(w)
                .unwrap_or_else(|e| panic!("{w:#x}: {}", e.0));
            assert_eq!(
                (i.op, i.rd, i.rs1, i.rs2, i.imm, i.len),
                (op, rd, rs1, rs2, imm, 4),
                "{w:#010x}"
            );
        }
    }

    /// Neighbours of the encodings that are reserved, not some other instruction.
    #[test]
    fn rejects_reserved_neighbours() {
        for w in [
            0x60359513, // clz's OP-IMM group, sub-opcode 3
            0x6035951b, // clzw's group, sub-opcode 3
            0x0815c53b, // zext.h with rs2 != 0 (RV32 pack)
            0x2885d513, // orc.b with another shift amount
            0x6985d513, // rev8 of RV32
            0x63f5d51b, // roriw with a 6-bit amount
            0x0ac5953b, // OP-32 funct7 5 (no W min/max)
        ] {
            assert!(decode(w).is_none(), "{w:#010x}");
            assert!(crate::isa::riscv::decode::decode32(w).is_err(), "{w:#010x}");
        }
    }
}
