;; `((x >> s) & m) | (x << t)` in i64, the halves of a 32-bit rotate as translated RISC-V code
;; computes it, is one instruction (see tests/fusion.rs). The whole 64-bit value must come out
;; as the three operations give it, upper half included, for any shift and mask.
(module
  (func (export "rotr13") (param $x i64) (result i64)
    (i64.or
      (i64.and (i64.shr_u (local.get $x) (i64.const 13)) (i64.const 0x7ffff))
      (i64.shl (local.get $x) (i64.const 19))))
  ;; A negative mask is sign-extended; shift counts are taken modulo 64.
  (func (export "odd_parts") (param $x i64) (result i64)
    (i64.or
      (i64.and (i64.shr_u (local.get $x) (i64.const 68)) (i64.const -256))
      (i64.shl (local.get $x) (i64.const 63))))
  ;; Different operands for the two shifts: not the pattern.
  (func (export "two_values") (param $x i64) (param $y i64) (result i64)
    (i64.or
      (i64.and (i64.shr_u (local.get $x) (i64.const 8)) (i64.const 0xff))
      (i64.shl (local.get $y) (i64.const 8))))
)

;; 0x12345678 rotated right by 13 is 0xb3c091a2 in the low half; the upper half has the bits
;; shifted past bit 31 (expected values computed by the three operations' definitions)
(assert_return (invoke "rotr13" (i64.const 0x12345678)) (i64.const 0x000091a2b3c091a2))
(assert_return (invoke "rotr13" (i64.const 0xffffffff87654321)) (i64.const 0xfffc3b2a190c3b2a))
(assert_return (invoke "odd_parts" (i64.const 0x8000000000001235)) (i64.const 0x8800000000000100))
(assert_return (invoke "odd_parts" (i64.const 0x00000000fffff0f0)) (i64.const 0x000000000fffff00))
(assert_return (invoke "two_values" (i64.const 0x1234) (i64.const 0x56)) (i64.const 0x5612))
