;; Floating-point sequences the compiler fuses (see tests/fusion.rs, which checks that they are):
;;  * `c + a * b`, `c - a * b` and `a * b + c` when the product only feeds the add or sub: the product is
;;    rounded before the add, as two Wasm instructions do; a fused multiply-add would not round
;;    it. With a = 1 + 2^-52 and b = 1 - 2^-53 the product rounds to exactly 1, so c = -1 gives
;;    +0 (FMA would give 2^-53 - 2^-105);
;;  * `select(nan, x, x != x)`, which translated code puts after floating-point results: the
;;    canonical NaN for any NaN, x otherwise; with any other NaN constant it is a plain select.
;; Results are compared as bits.
(module
  (func (export "add_mul") (param $c f64) (param $a f64) (param $b f64) (result i64)
    (i64.reinterpret_f64 (f64.add (local.get $c) (f64.mul (local.get $a) (local.get $b)))))
  (func (export "sub_mul") (param $c f64) (param $a f64) (param $b f64) (result i64)
    (i64.reinterpret_f64 (f64.sub (local.get $c) (f64.mul (local.get $a) (local.get $b)))))
  ;; The product on the left, with a local on the right.
  (func (export "mul_add") (param $c f64) (param $a f64) (param $b f64) (result i64)
    (i64.reinterpret_f64 (f64.add (f64.mul (local.get $a) (local.get $b)) (local.get $c))))
  ;; The product on the left with a computed value on the right is not fused.
  (func (export "mul_add_computed") (param $c f64) (param $a f64) (param $b f64) (result i64)
    (i64.reinterpret_f64 (f64.add (f64.mul (local.get $a) (local.get $b)) (f64.neg (local.get $c)))))
  ;; The sum is kept in a local as well.
  (func (export "add_mul_tee") (param $c f64) (param $a f64) (param $b f64) (result i64) (local $s f64)
    (drop (local.tee $s (f64.add (local.get $c) (f64.mul (local.get $a) (local.get $b)))))
    (i64.reinterpret_f64 (local.get $s)))
  (func (export "canon64") (param $x f64) (result i64)
    (i64.reinterpret_f64
      (select (f64.const nan) (local.get $x) (f64.ne (local.get $x) (local.get $x)))))
  (func (export "canon32") (param $x f32) (result i32)
    (i32.reinterpret_f32
      (select (f32.const nan) (local.get $x) (f32.ne (local.get $x) (local.get $x)))))
  ;; A negative NaN constant is not the canonical NaN.
  (func (export "negative_nan") (param $x f64) (result i64)
    (i64.reinterpret_f64
      (select (f64.const -nan) (local.get $x) (f64.ne (local.get $x) (local.get $x)))))
  ;; The canonicalised sum kept in a local, as translated code does before a store.
  (func (export "canon_sum") (param $a f64) (param $b f64) (result i64) (local $s f64)
    (i64.reinterpret_f64
      (select (f64.const nan)
        (local.tee $s (f64.add (local.get $a) (local.get $b)))
        (f64.ne (local.get $s) (local.get $s)))))
)

(assert_return (invoke "add_mul" (f64.const -1) (f64.const 0x1.0000000000001p+0) (f64.const 0x1.fffffffffffffp-1)) (i64.const 0))
(assert_return (invoke "sub_mul" (f64.const 1) (f64.const 0x1.0000000000001p+0) (f64.const 0x1.fffffffffffffp-1)) (i64.const 0))
(assert_return (invoke "mul_add" (f64.const -1) (f64.const 0x1.0000000000001p+0) (f64.const 0x1.fffffffffffffp-1)) (i64.const 0))
(assert_return (invoke "mul_add_computed" (f64.const 1) (f64.const 0x1.0000000000001p+0) (f64.const 0x1.fffffffffffffp-1)) (i64.const 0))
(assert_return (invoke "mul_add" (f64.const 0.25) (f64.const 2) (f64.const 3)) (i64.const 0x4019000000000000))
(assert_return (invoke "add_mul_tee" (f64.const -1) (f64.const 0x1.0000000000001p+0) (f64.const 0x1.fffffffffffffp-1)) (i64.const 0))
;; 1.5 + 2 * 3 = 7.5; 1.5 - 2 * 3 = -4.5
(assert_return (invoke "add_mul" (f64.const 1.5) (f64.const 2) (f64.const 3)) (i64.const 0x401e000000000000))
(assert_return (invoke "sub_mul" (f64.const 1.5) (f64.const 2) (f64.const 3)) (i64.const 0xc012000000000000))
;; -0 + (+0 * -1): the product is -0 and -0 + -0 is -0
(assert_return (invoke "add_mul" (f64.const -0) (f64.const 0) (f64.const -1)) (i64.const 0x8000000000000000))
(assert_return (invoke "canon64" (f64.const 1.5)) (i64.const 0x3ff8000000000000))
(assert_return (invoke "canon64" (f64.const -0)) (i64.const 0x8000000000000000))
(assert_return (invoke "canon64" (f64.const -inf)) (i64.const 0xfff0000000000000))
(assert_return (invoke "canon64" (f64.const nan:0x1)) (i64.const 0x7ff8000000000000))
(assert_return (invoke "canon64" (f64.const -nan)) (i64.const 0x7ff8000000000000))
(assert_return (invoke "canon64" (f64.const -nan:0x123456789)) (i64.const 0x7ff8000000000000))
(assert_return (invoke "canon32" (f32.const 1.5)) (i32.const 0x3fc00000))
(assert_return (invoke "canon32" (f32.const -0)) (i32.const 0x80000000))
(assert_return (invoke "canon32" (f32.const nan:0x1)) (i32.const 0x7fc00000))
(assert_return (invoke "canon32" (f32.const -nan:0x7fffff)) (i32.const 0x7fc00000))
(assert_return (invoke "negative_nan" (f64.const 2)) (i64.const 0x4000000000000000))
(assert_return (invoke "negative_nan" (f64.const nan:0x1)) (i64.const 0xfff8000000000000))
(assert_return (invoke "canon_sum" (f64.const 1) (f64.const 2)) (i64.const 0x4008000000000000))
(assert_return (invoke "canon_sum" (f64.const inf) (f64.const -inf)) (i64.const 0x7ff8000000000000))
