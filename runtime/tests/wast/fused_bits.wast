;; Bit manipulations the compiler fuses (see tests/fusion.rs, which checks that they are):
;;  * `((x >> s) & m) | (x << t)` in i64, the halves of a 32-bit rotate as translated RISC-V
;;    code computes it: the whole 64-bit value must come out as the three operations give it,
;;    upper half included, for any shift and mask;
;;  * i32 rotates by a constant (right rotates become left ones), and `b ^ rotl(x, k)` and
;;    `b ^ (x >> k)`, the terms of SHA-2's sigma functions; counts are taken modulo 32;
;;  * `a + (i << k)`, an element's address, wrapping at 2^32;
;;  * i64 `(x >> s) & m` with a constant mask (constant or variable `s`), and `b | (x << n)`,
;;    a bit test and a bit set; counts are taken modulo 64.
;; Expected values are computed from the operations' definitions.
(module
  (func (export "rotr13") (param $x i64) (result i64)
    (i64.or
      (i64.and (i64.shr_u (local.get $x) (i64.const 13)) (i64.const 0x7ffff))
      (i64.shl (local.get $x) (i64.const 19))))
  ;; Two of them xor-ed together (SHA-256's big sigma 1 as translated code computes it).
  (func (export "xor_rotates") (param $x i64) (result i64)
    (i64.xor
      (i64.or
        (i64.and (i64.shr_u (local.get $x) (i64.const 6)) (i64.const 0x3ffffff))
        (i64.shl (local.get $x) (i64.const 26)))
      (i64.or
        (i64.and (i64.shr_u (local.get $x) (i64.const 11)) (i64.const 0x1fffff))
        (i64.shl (local.get $x) (i64.const 21)))))
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
  ;; SHA-256's big sigma 0: rotr 2 ^ rotr 13 ^ rotr 22.
  (func (export "sigma0") (param $x i32) (result i32)
    (i32.xor
      (i32.xor (i32.rotr (local.get $x) (i32.const 2)) (i32.rotr (local.get $x) (i32.const 13)))
      (i32.rotr (local.get $x) (i32.const 22))))
  ;; Its small sigma 0: rotr 7 ^ rotr 18 ^ shr 3, with the counts as a compiler may write them.
  (func (export "small_sigma0") (param $x i32) (result i32)
    (i32.xor
      (i32.xor (i32.rotl (local.get $x) (i32.const 25)) (i32.rotl (local.get $x) (i32.const -18)))
      (i32.shr_u (local.get $x) (i32.const 35))))
  (func (export "element") (param $a i32) (param $i i32) (result i32)
    (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
  (func (export "element_big_shift") (param $a i32) (param $i i32) (result i32)
    (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 33))))
  (func (export "bits_at") (param $x i64) (result i64)
    (i64.and (i64.shr_u (local.get $x) (i64.const 70)) (i64.const 0x3ff)))
  ;; The same when the mask has no constant slot (40 other constants used more often take
  ;; them all): its `i64.const` becomes an instruction, which the fusion removes.
  (func (export "bits_at_unslotted") (param $x i64) (result i64)
    (drop (i64.const 1000)) (drop (i64.const 1000)) (drop (i64.const 1001)) (drop (i64.const 1001)) (drop (i64.const 1002)) (drop (i64.const 1002)) (drop (i64.const 1003)) (drop (i64.const 1003)) (drop (i64.const 1004)) (drop (i64.const 1004)) (drop (i64.const 1005)) (drop (i64.const 1005)) (drop (i64.const 1006)) (drop (i64.const 1006)) (drop (i64.const 1007)) (drop (i64.const 1007)) (drop (i64.const 1008)) (drop (i64.const 1008)) (drop (i64.const 1009)) (drop (i64.const 1009)) (drop (i64.const 1010)) (drop (i64.const 1010)) (drop (i64.const 1011)) (drop (i64.const 1011)) (drop (i64.const 1012)) (drop (i64.const 1012)) (drop (i64.const 1013)) (drop (i64.const 1013)) (drop (i64.const 1014)) (drop (i64.const 1014)) (drop (i64.const 1015)) (drop (i64.const 1015)) (drop (i64.const 1016)) (drop (i64.const 1016)) (drop (i64.const 1017)) (drop (i64.const 1017)) (drop (i64.const 1018)) (drop (i64.const 1018)) (drop (i64.const 1019)) (drop (i64.const 1019)) (drop (i64.const 1020)) (drop (i64.const 1020)) (drop (i64.const 1021)) (drop (i64.const 1021)) (drop (i64.const 1022)) (drop (i64.const 1022)) (drop (i64.const 1023)) (drop (i64.const 1023)) (drop (i64.const 1024)) (drop (i64.const 1024)) (drop (i64.const 1025)) (drop (i64.const 1025)) (drop (i64.const 1026)) (drop (i64.const 1026)) (drop (i64.const 1027)) (drop (i64.const 1027)) (drop (i64.const 1028)) (drop (i64.const 1028)) (drop (i64.const 1029)) (drop (i64.const 1029)) (drop (i64.const 1030)) (drop (i64.const 1030)) (drop (i64.const 1031)) (drop (i64.const 1031)) (drop (i64.const 1032)) (drop (i64.const 1032)) (drop (i64.const 1033)) (drop (i64.const 1033)) (drop (i64.const 1034)) (drop (i64.const 1034)) (drop (i64.const 1035)) (drop (i64.const 1035)) (drop (i64.const 1036)) (drop (i64.const 1036)) (drop (i64.const 1037)) (drop (i64.const 1037)) (drop (i64.const 1038)) (drop (i64.const 1038)) (drop (i64.const 1039)) (drop (i64.const 1039))
    (i64.and (i64.shr_u (local.get $x) (i64.const 70)) (i64.const 0x3ff)))
  (func (export "bit") (param $x i64) (param $n i64) (result i64)
    (i64.and (i64.shr_u (local.get $x) (local.get $n)) (i64.const 1)))
  (func (export "high_mask") (param $x i64) (param $n i64) (result i64)
    (i64.and (i64.shr_u (local.get $x) (local.get $n)) (i64.const -16)))
  (func (export "set_bit") (param $w i64) (param $n i64) (result i64)
    (i64.or (local.get $w) (i64.shl (i64.const 1) (local.get $n))))
  (func (export "rotl_by") (param $x i32) (param $k i32) (result i32)
    (i32.rotl (local.get $x) (local.get $k)))
)

;; 0x12345678 rotated right by 13 is 0xb3c091a2 in the low half; the upper half has the bits
;; shifted past bit 31 (expected values computed by the three operations' definitions)
(assert_return (invoke "rotr13" (i64.const 0x12345678)) (i64.const 0x000091a2b3c091a2))
(assert_return (invoke "rotr13" (i64.const 0xffffffff87654321)) (i64.const 0xfffc3b2a190c3b2a))
(assert_return (invoke "odd_parts" (i64.const 0x8000000000001235)) (i64.const 0x8800000000000100))
(assert_return (invoke "odd_parts" (i64.const 0x00000000fffff0f0)) (i64.const 0x000000000fffff00))
(assert_return (invoke "two_values" (i64.const 0x1234) (i64.const 0x56)) (i64.const 0x5612))
(assert_return (invoke "sigma0" (i32.const 0x12345678)) (i32.const 0x66146474))
(assert_return (invoke "small_sigma0" (i32.const 0x12345678)) (i32.const 0xe7fce6ee))
(assert_return (invoke "sigma0" (i32.const 0x80000001)) (i32.const 0x600c0600))
(assert_return (invoke "small_sigma0" (i32.const 0x80000001)) (i32.const 0x13006000))
(assert_return (invoke "sigma0" (i32.const 0xffffffff)) (i32.const 0xffffffff))
(assert_return (invoke "small_sigma0" (i32.const 0xffffffff)) (i32.const 0x1fffffff))
(assert_return (invoke "sigma0" (i32.const 0x0)) (i32.const 0x0))
(assert_return (invoke "small_sigma0" (i32.const 0x0)) (i32.const 0x0))
(assert_return (invoke "rotl_by" (i32.const 0x12345678) (i32.const 0)) (i32.const 0x12345678))
(assert_return (invoke "rotl_by" (i32.const 0x12345678) (i32.const 5)) (i32.const 0x468acf02))
(assert_return (invoke "rotl_by" (i32.const 0x12345678) (i32.const 31)) (i32.const 0x91a2b3c))
(assert_return (invoke "rotl_by" (i32.const 0x12345678) (i32.const 32)) (i32.const 0x12345678))
(assert_return (invoke "rotl_by" (i32.const 0x12345678) (i32.const 33)) (i32.const 0x2468acf0))
(assert_return (invoke "rotl_by" (i32.const 0x12345678) (i32.const -1)) (i32.const 0x91a2b3c))
(assert_return (invoke "element" (i32.const 0x1000) (i32.const 5)) (i32.const 0x1028))
(assert_return (invoke "element" (i32.const 0x1000) (i32.const 0x20000000)) (i32.const 0x1000))
(assert_return (invoke "element" (i32.const -8) (i32.const 1)) (i32.const 0))
(assert_return (invoke "element_big_shift" (i32.const 1) (i32.const 0x40000001)) (i32.const 0x80000003))
(assert_return (invoke "bits_at" (i64.const 0x123456789abcdef0)) (i64.const 0x37b))
(assert_return (invoke "bits_at" (i64.const 0xffffffffffffffff)) (i64.const 0x3ff))
(assert_return (invoke "bits_at_unslotted" (i64.const 0x123456789abcdef0)) (i64.const 0x37b))
(assert_return (invoke "bit" (i64.const 0x8000000000000001) (i64.const 63)) (i64.const 1))
(assert_return (invoke "bit" (i64.const 0x8000000000000001) (i64.const 64)) (i64.const 1))
(assert_return (invoke "bit" (i64.const 0x8000000000000001) (i64.const 1)) (i64.const 0))
(assert_return (invoke "bit" (i64.const 0x10) (i64.const 68)) (i64.const 1))
(assert_return (invoke "high_mask" (i64.const 0xfedcba9876543210) (i64.const 4)) (i64.const 0xfedcba987654320))
(assert_return (invoke "high_mask" (i64.const 0xfedcba9876543210) (i64.const -60)) (i64.const 0xfedcba987654320))
(assert_return (invoke "set_bit" (i64.const 0x0) (i64.const 0)) (i64.const 0x1))
(assert_return (invoke "set_bit" (i64.const 0x1) (i64.const 63)) (i64.const 0x8000000000000001))
(assert_return (invoke "set_bit" (i64.const 0x100) (i64.const 72)) (i64.const 0x100))
(assert_return (invoke "set_bit" (i64.const 0x5) (i64.const -1)) (i64.const 0x8000000000000005))
(assert_return (invoke "xor_rotates" (i64.const 0x12345678)) (i64.const 0x4a97d32f4a97d3))
(assert_return (invoke "xor_rotates" (i64.const 0xffffffff87654321)) (i64.const 0x1ed79a4e22d79a4))
(assert_return (invoke "xor_rotates" (i64.const 0x8000000000000000)) (i64.const 0x0))
