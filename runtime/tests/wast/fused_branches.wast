;; Branches the compiler fuses or rewrites (see tests/fusion.rs, which checks that they are):
;;  * `d = a + imm` or `d = a + b` followed by a compare-and-branch on `d` is one instruction,
;;    with `d` on either side of the comparison; the sum wraps at the operand width before it
;;    is compared;
;;  * translated code's bounds check `x = p + q; (x + imm) >u limit` is one instruction that
;;    still writes `x`;
;;  * `br_if L; br M` with M a loop becomes `br_unless M; br L`, so a loop going round takes one
;;    branch; a `br` to the very next instruction is then removed. Neither happens when
;;    something else jumps to the `br`, or to where it was;
;;  * a branch to a `br` goes where that one goes, and a `br` to a `br_table` is a copy of it.
;; Every function returns (taken, d): whether the branch was taken and the sum it stored.
(module
  (func (export "i32_lt_s") (param $a i32) (param $b i32) (result i32 i32) (local $d i32)
    (block $taken
      (br_if $taken (i32.lt_s (local.tee $d (i32.add (local.get $a) (i32.const 1))) (local.get $b)))
      (return (i32.const 0) (local.get $d)))
    (i32.const 1) (local.get $d))
  ;; `b > d`: the sum on the right.
  (func (export "i32_gt_u_swapped") (param $a i32) (param $b i32) (result i32 i32) (local $d i32)
    (block $taken
      (br_if $taken (i32.gt_u (local.get $b) (local.tee $d (i32.add (local.get $a) (i32.const -3)))))
      (return (i32.const 0) (local.get $d)))
    (i32.const 1) (local.get $d))
  ;; An `if` branches when the comparison fails.
  (func (export "i32_ge_s_if") (param $a i32) (param $b i32) (result i32 i32) (local $d i32)
    (if (result i32) (i32.ge_s (local.tee $d (i32.add (local.get $a) (i32.const 0x7fffffff))) (local.get $b))
      (then (i32.const 1))
      (else (i32.const 0)))
    (local.get $d))
  (func (export "i32_eq") (param $a i32) (param $b i32) (result i32 i32) (local $d i32)
    (block $taken
      (br_if $taken (i32.eq (local.get $b) (local.tee $d (i32.add (local.get $a) (i32.const 5)))))
      (return (i32.const 0) (local.get $d)))
    (i32.const 1) (local.get $d))
  ;; The sum only feeds the comparison (a stack temporary, as in a bounds check).
  (func (export "i64_gt_u_temp") (param $a i64) (param $b i64) (result i32)
    (block $taken
      (br_if $taken (i64.gt_u (i64.add (local.get $a) (i64.const -65536)) (local.get $b)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "i64_le_s") (param $a i64) (param $b i64) (result i32 i64) (local $d i64)
    (block $taken
      (br_if $taken (i64.le_s (local.tee $d (i64.add (local.get $a) (i64.const 2))) (local.get $b)))
      (return (i32.const 0) (local.get $d)))
    (i32.const 1) (local.get $d))
  (func (export "i64_lt_s_swapped") (param $a i64) (param $b i64) (result i32 i64) (local $d i64)
    (block $taken
      (br_if $taken (i64.lt_s (local.get $b) (local.tee $d (i64.add (local.get $a) (i64.const -1)))))
      (return (i32.const 0) (local.get $d)))
    (i32.const 1) (local.get $d))

  ;; A step by a variable: `m += p; m <= limit` (a sieve's inner loop). Counts the steps.
  (func (export "steps") (param $m i64) (param $p i64) (param $limit i64) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (i64.le_u (local.tee $m (i64.add (local.get $m) (local.get $p))) (local.get $limit))))
    (local.get $n))
  (func (export "i32_add_gt_s") (param $a i32) (param $b i32) (param $c i32) (result i32 i32)
    (local $d i32)
    (block $taken
      (br_if $taken (i32.gt_s (local.get $c) (local.tee $d (i32.add (local.get $a) (local.get $b)))))
      (return (i32.const 0) (local.get $d)))
    (i32.const 1) (local.get $d))
  ;; The bounds check as translated code writes it: `$x` is kept for the fault report.
  (func (export "bounds") (param $p i64) (param $q i64) (param $limit i64) (result i32 i64)
    (local $x i64)
    (block $bad
      (br_if $bad
        (i64.gt_u
          (i64.add (local.tee $x (i64.add (local.get $p) (local.get $q))) (i64.const -65536))
          (local.get $limit)))
      (return (i32.const 0) (local.get $x)))
    (i32.const 1) (local.get $x))
  ;; The same as an `if`, which branches when the check passes.
  (func (export "bounds_if") (param $p i64) (param $q i64) (param $limit i64) (result i64)
    (local $x i64)
    (if (i64.gt_u
          (i64.add (local.tee $x (i64.add (local.get $p) (local.get $q))) (i64.const -65536))
          (local.get $limit))
      (then (return (i64.const -1))))
    (local.get $x))
  ;; A counted loop whose exit test follows the step and comes just before the back edge:
  ;; both fusions at once (the fused branch is then negated). Sums 0..n.
  (func (export "sum_to") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $exit
      (loop $l
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $exit (i32.gt_u (local.get $i) (local.get $n)))
        (br $l)))
    (local.get $s))
  ;; The same in i64, counting down to zero with a plain `br_if` on a value.
  (func (export "count_down") (param $n i64) (result i64) (local $s i64)
    (block $exit
      (loop $l
        (local.set $s (i64.add (local.get $s) (local.get $n)))
        (local.set $n (i64.add (local.get $n) (i64.const -1)))
        (br_if $exit (i64.eqz (local.get $n)))
        (br $l)))
    (local.get $s))
  ;; The back edge is itself a branch target (the end of $x), so it must stay: when $i < $n
  ;; the loop goes round again without the exit test.
  (func (export "jump_to_back_edge") (param $n i32) (result i32) (local $i i32)
    (block $exit
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $x
          (br_if $x (i32.lt_u (local.get $i) (local.get $n)))
          (br_if $exit (i32.const 1)))
        (br $l)))
    (local.get $i))
  ;; `br_if 0; br $l` ending the `then` of an `if` whose `else` is empty: the `else` target was
  ;; resolved to the instruction after the `br`, so the `br` must stay.
  (func (export "else_after_jump") (param $c i32) (param $x i32) (result i32) (local $n i32)
    (block $out
      (loop $l
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (local.get $c)
          (then
            (br_if 0 (i32.gt_u (local.get $n) (local.get $x)))
            (br $l))
          (else))
        (local.set $n (i32.add (local.get $n) (i32.const 100)))))
    (local.get $n))
  ;; A dispatch loop (as translated code has): each state's `br $top` lands on the `br_table`,
  ;; so it becomes a copy of it.
  (func (export "dispatch") (param $n i32) (result i32) (local $state i32) (local $acc i32)
    (block $done
      (loop $top
        (block $b2
          (block $b1
            (block $b0
              (br_table $b0 $b1 $b2 $done (local.get $state)))
            (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
            (local.set $state (i32.const 1))
            (br $top))
          (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))
          (local.set $state
            (select (i32.const 3) (i32.const 0) (i32.ge_u (local.get $acc) (local.get $n))))
          (br $top))
        (unreachable)))
    (local.get $acc))
  ;; `if` with an empty `then`: the branch to `else` and the jump over it.
  (func (export "empty_then") (param $c i32) (result i32) (local $r i32)
    (local.set $r (i32.const 10))
    (if (local.get $c) (then) (else (local.set $r (i32.const 20))))
    (local.get $r))
)

(assert_return (invoke "i32_lt_s" (i32.const 1) (i32.const 3)) (i32.const 1) (i32.const 2))
(assert_return (invoke "i32_lt_s" (i32.const 2) (i32.const 3)) (i32.const 0) (i32.const 3))
;; 0x7fffffff + 1 wraps to i32::MIN, which is less than anything else
(assert_return (invoke "i32_lt_s" (i32.const 0x7fffffff) (i32.const -5)) (i32.const 1) (i32.const 0x80000000))
(assert_return (invoke "i32_gt_u_swapped" (i32.const 10) (i32.const 8)) (i32.const 1) (i32.const 7))
(assert_return (invoke "i32_gt_u_swapped" (i32.const 10) (i32.const 7)) (i32.const 0) (i32.const 7))
;; 1 - 3 wraps to 0xfffffffe, which no unsigned value exceeds but 0xffffffff
(assert_return (invoke "i32_gt_u_swapped" (i32.const 1) (i32.const -1)) (i32.const 1) (i32.const -2))
(assert_return (invoke "i32_gt_u_swapped" (i32.const 1) (i32.const 100)) (i32.const 0) (i32.const -2))
(assert_return (invoke "i32_ge_s_if" (i32.const 0) (i32.const 0x7fffffff)) (i32.const 1) (i32.const 0x7fffffff))
(assert_return (invoke "i32_ge_s_if" (i32.const 1) (i32.const 0)) (i32.const 0) (i32.const 0x80000000))
(assert_return (invoke "i32_ge_s_if" (i32.const -1) (i32.const 0x7ffffffe)) (i32.const 1) (i32.const 0x7ffffffe))
(assert_return (invoke "i32_eq" (i32.const 2) (i32.const 7)) (i32.const 1) (i32.const 7))
(assert_return (invoke "i32_eq" (i32.const 3) (i32.const 7)) (i32.const 0) (i32.const 8))
(assert_return (invoke "i32_eq" (i32.const -5) (i32.const 0)) (i32.const 1) (i32.const 0))
(assert_return (invoke "i64_gt_u_temp" (i64.const 0x10000) (i64.const 0)) (i32.const 0))
(assert_return (invoke "i64_gt_u_temp" (i64.const 0x10001) (i64.const 0)) (i32.const 1))
;; below 65536 the sum wraps to a huge value: out of range
(assert_return (invoke "i64_gt_u_temp" (i64.const 0xffff) (i64.const 0x7fffffffffffffff)) (i32.const 1))
(assert_return (invoke "i64_gt_u_temp" (i64.const 0x20000) (i64.const 0x10000)) (i32.const 0))
(assert_return (invoke "i64_le_s" (i64.const 3) (i64.const 5)) (i32.const 1) (i64.const 5))
(assert_return (invoke "i64_le_s" (i64.const 4) (i64.const 5)) (i32.const 0) (i64.const 6))
;; i64::MAX + 2 wraps to i64::MIN + 1
(assert_return (invoke "i64_le_s" (i64.const 0x7fffffffffffffff) (i64.const -9)) (i32.const 1) (i64.const 0x8000000000000001))
(assert_return (invoke "i64_lt_s_swapped" (i64.const 5) (i64.const 3)) (i32.const 1) (i64.const 4))
(assert_return (invoke "i64_lt_s_swapped" (i64.const 5) (i64.const 4)) (i32.const 0) (i64.const 4))
;; i64::MIN - 1 wraps to i64::MAX
(assert_return (invoke "i64_lt_s_swapped" (i64.const 0x8000000000000000) (i64.const 0)) (i32.const 1) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "i64_lt_s_swapped" (i64.const 0x8000000000000000) (i64.const 0x7fffffffffffffff)) (i32.const 0) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "steps" (i64.const 4) (i64.const 2) (i64.const 9)) (i32.const 3))
(assert_return (invoke "steps" (i64.const 4) (i64.const 2) (i64.const 10)) (i32.const 4))
;; the sum wraps to 1, which is below the limit, once
(assert_return (invoke "steps" (i64.const -3) (i64.const 4) (i64.const 2)) (i32.const 2))
(assert_return (invoke "i32_add_gt_s" (i32.const 2) (i32.const 3) (i32.const 6)) (i32.const 1) (i32.const 5))
(assert_return (invoke "i32_add_gt_s" (i32.const 2) (i32.const 3) (i32.const 5)) (i32.const 0) (i32.const 5))
;; i32::MAX + 1 wraps to i32::MIN, which -1 is greater than
(assert_return (invoke "i32_add_gt_s" (i32.const 0x7fffffff) (i32.const 1) (i32.const -1)) (i32.const 1) (i32.const 0x80000000))
(assert_return (invoke "bounds" (i64.const 0x10000) (i64.const 8) (i64.const 8)) (i32.const 0) (i64.const 0x10008))
(assert_return (invoke "bounds" (i64.const 0x10000) (i64.const 9) (i64.const 8)) (i32.const 1) (i64.const 0x10009))
;; below 0x10000 the checked sum wraps to a huge value
(assert_return (invoke "bounds" (i64.const 0xff00) (i64.const 0xff) (i64.const 0x7fffffffffffffff)) (i32.const 1) (i64.const 0xffff))
;; p + q wraps at 2^64 before the check
(assert_return (invoke "bounds" (i64.const -1) (i64.const 0x10001) (i64.const 0)) (i32.const 0) (i64.const 0x10000))
(assert_return (invoke "bounds_if" (i64.const 0x10000) (i64.const 8) (i64.const 8)) (i64.const 0x10008))
(assert_return (invoke "bounds_if" (i64.const 0x10000) (i64.const 9) (i64.const 8)) (i64.const -1))
(assert_return (invoke "sum_to" (i32.const 1)) (i32.const 1))
(assert_return (invoke "sum_to" (i32.const 10)) (i32.const 55))
(assert_return (invoke "sum_to" (i32.const 0)) (i32.const 0))
(assert_return (invoke "count_down" (i64.const 4)) (i64.const 10))
(assert_return (invoke "count_down" (i64.const 1)) (i64.const 1))
(assert_return (invoke "jump_to_back_edge" (i32.const 5)) (i32.const 5))
(assert_return (invoke "jump_to_back_edge" (i32.const 0)) (i32.const 1))
(assert_return (invoke "else_after_jump" (i32.const 0) (i32.const 5)) (i32.const 101))
(assert_return (invoke "else_after_jump" (i32.const 1) (i32.const 5)) (i32.const 106))
(assert_return (invoke "dispatch" (i32.const 10)) (i32.const 12))
(assert_return (invoke "dispatch" (i32.const 1)) (i32.const 3))
(assert_return (invoke "dispatch" (i32.const 100)) (i32.const 120))
(assert_return (invoke "empty_then" (i32.const 1)) (i32.const 10))
(assert_return (invoke "empty_then" (i32.const 0)) (i32.const 20))
