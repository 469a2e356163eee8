/**
 * The float32 GEMM of the CPU backend's WebAssembly module as WAT, unrolled by template: panel
 * packing (absorbing transposes), an MR x NR register micro-tile, and the cache blocking.
 */
/**
 * Rows of C per micro-tile (one f32 splat of A each per k). 4x8 (8 f32x4 accumulators) measured best on
 * x64 (2x16 was as fast); 12 or more accumulators spill in V8. MATMUL_MR / MATMUL_NR override the tile
 * for tuning; both must be multiples of 4 (the packing moves whole f32x4 vectors).
 */
export const MR = Number(process.env.MATMUL_MR ?? 4);
/** Columns of C per micro-tile, a multiple of 4 (one f32x4 load of B each per 4 columns). */
export const NR = Number(process.env.MATMUL_NR ?? 8);
const NV = NR / 4;
if (MR % 4 !== 0 || NR % 4 !== 0 || MR <= 0 || NR <= 0) {
  throw new Error(`MR and NR must be positive multiples of 4, got MR=${MR} NR=${NR}`);
}

const acc = (r: number, v: number): string => `$c${r}_${v}`;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * The body of one k step: loads of B, splats of A, multiply-adds, then the pointer bumps. With
 * `fma` the multiply-add is relaxed SIMD's `f32x4.relaxed_madd` (one fused instruction where
 * the CPU has FMA, as BLAS uses), else a `mul` then an `add`.
 */
function kStep(fma: boolean): string {
  const lines: string[] = [];
  for (const v of range(NV)) lines.push(`(local.set $b${v} (v128.load offset=${v * 16} (local.get $bp)))`);
  for (const r of range(MR)) {
    lines.push(`(local.set $a (v128.load32_splat offset=${r * 4} (local.get $ap)))`);
    for (const v of range(NV)) {
      const c = acc(r, v);
      lines.push(
        fma
          ? `(local.set ${c} (f32x4.relaxed_madd (local.get $a) (local.get $b${v}) (local.get ${c})))`
          : `(local.set ${c} (f32x4.add (local.get ${c}) (f32x4.mul (local.get $a) (local.get $b${v}))))`,
      );
    }
  }
  lines.push(`(local.set $ap (i32.add (local.get $ap) (i32.const ${MR * 4})))`);
  lines.push(`(local.set $bp (i32.add (local.get $bp) (i32.const ${NR * 4})))`);
  return lines.join('\n        ');
}

/** i8x16.shuffle byte indices taking f32 lanes `lanes` (0-3 from the first operand, 4-7 from the second). */
const shuffle = (lanes: number[]): string =>
  lanes.flatMap((l) => [0, 1, 2, 3].map((i) => l * 4 + i)).join(' ');

/**
 * A packing function: op(X)[rows, K] (op(X)[i,k] = X[i*rs + k*cs], float offsets from src) into panels of
 * P rows at dst, panel i0/P holding for each k the P values op(X)[i0..i0+P-1, k]; rows past `rows` are 0.
 * Full panels take vector paths: plain copies when the P values are contiguous (rs = 1), 4x4 transposes
 * when k is contiguous (cs = 1); edge panels and the last K % 4 steps go element by element.
 */
function packFunc(name: string, P: number): string {
  const copyVectors = range(P / 4)
    .map((v) => `(v128.store offset=${v * 16} (local.get $d) (v128.load offset=${v * 16} (local.get $s)))`)
    .join('\n            ');
  // Rows 4g..4g+3, k..k+3: load four rows, transpose, store the four k steps of this row group.
  const row = (q: number): string => `(i32.add (local.get $s) (i32.mul (local.get $rs) (i32.const ${q})))`;
  const transposeGroups = range(P / 4)
    .map((g) =>
      [
        ...range(4).map((q) => `(local.set $x${q} (v128.load ${row(g * 4 + q)}))`),
        `(local.set $t0 (i8x16.shuffle ${shuffle([0, 4, 1, 5])} (local.get $x0) (local.get $x1)))`,
        `(local.set $t1 (i8x16.shuffle ${shuffle([2, 6, 3, 7])} (local.get $x0) (local.get $x1)))`,
        `(local.set $t2 (i8x16.shuffle ${shuffle([0, 4, 1, 5])} (local.get $x2) (local.get $x3)))`,
        `(local.set $t3 (i8x16.shuffle ${shuffle([2, 6, 3, 7])} (local.get $x2) (local.get $x3)))`,
        `(v128.store offset=${g * 16} (local.get $d) (i8x16.shuffle ${shuffle([0, 1, 4, 5])} (local.get $t0) (local.get $t2)))`,
        `(v128.store offset=${g * 16 + P * 4} (local.get $d) (i8x16.shuffle ${shuffle([2, 3, 6, 7])} (local.get $t0) (local.get $t2)))`,
        `(v128.store offset=${g * 16 + 2 * P * 4} (local.get $d) (i8x16.shuffle ${shuffle([0, 1, 4, 5])} (local.get $t1) (local.get $t3)))`,
        `(v128.store offset=${g * 16 + 3 * P * 4} (local.get $d) (i8x16.shuffle ${shuffle([2, 3, 6, 7])} (local.get $t1) (local.get $t3)))`,
      ].join('\n              '),
    )
    .join('\n              ');
  return `(func (export "${name}") (param $src i32) (param $dst i32) (param $rows i32) (param $kk i32) (param $rs i32) (param $cs i32)
    (local $i0 i32) (local $n i32) (local $r i32) (local $k i32) (local $k0 i32) (local $s i32) (local $d i32) (local $panel i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rs (i32.shl (local.get $rs) (i32.const 2)))
    (local.set $cs (i32.shl (local.get $cs) (i32.const 2)))
    (block $done (loop $panels
      (br_if $done (i32.ge_u (local.get $i0) (local.get $rows)))
      (local.set $n (i32.sub (local.get $rows) (local.get $i0)))
      (if (i32.gt_u (local.get $n) (i32.const ${P})) (then (local.set $n (i32.const ${P}))))
      (local.set $panel (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $i0) (local.get $kk)) (i32.const 2))))
      ;; $k0: the k steps done by a vector path; the element loop below does the rest.
      (local.set $k0 (i32.const 0))
      (if (i32.eq (local.get $n) (i32.const ${P})) (then
        (if (i32.eq (local.get $rs) (i32.const 4))
          (then
            (local.set $s (i32.add (local.get $src) (i32.shl (local.get $i0) (i32.const 2))))
            (local.set $d (local.get $panel))
            (block $vdone (loop $v
              (br_if $vdone (i32.ge_u (local.get $k0) (local.get $kk)))
              ${copyVectors}
              (local.set $s (i32.add (local.get $s) (local.get $cs)))
              (local.set $d (i32.add (local.get $d) (i32.const ${P * 4})))
              (local.set $k0 (i32.add (local.get $k0) (i32.const 1)))
              (br $v))))
          (else (if (i32.eq (local.get $cs) (i32.const 4)) (then
            (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i0) (local.get $rs))))
            (local.set $d (local.get $panel))
            (block $tdone (loop $t
              (br_if $tdone (i32.gt_u (i32.add (local.get $k0) (i32.const 4)) (local.get $kk)))
              ${transposeGroups}
              (local.set $s (i32.add (local.get $s) (i32.const 16)))
              (local.set $d (i32.add (local.get $d) (i32.const ${4 * P * 4})))
              (local.set $k0 (i32.add (local.get $k0) (i32.const 4)))
              (br $t)))))))))
      (local.set $r (i32.const 0))
      (loop $rows_loop
        (local.set $s (i32.add (local.get $src)
          (i32.add (i32.mul (i32.add (local.get $i0) (local.get $r)) (local.get $rs)) (i32.mul (local.get $k0) (local.get $cs)))))
        (local.set $d (i32.add (local.get $panel) (i32.shl (i32.add (i32.mul (local.get $k0) (i32.const ${P})) (local.get $r)) (i32.const 2))))
        (local.set $k (local.get $k0))
        (block $sdone (loop $sk
          (br_if $sdone (i32.ge_u (local.get $k) (local.get $kk)))
          (if (i32.lt_u (local.get $r) (local.get $n))
            (then (f32.store (local.get $d) (f32.load (local.get $s))))
            (else (f32.store (local.get $d) (f32.const 0))))
          (local.set $s (i32.add (local.get $s) (local.get $cs)))
          (local.set $d (i32.add (local.get $d) (i32.const ${P * 4})))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $sk)))
        (br_if $rows_loop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const ${P}))))
      (local.set $i0 (i32.add (local.get $i0) (i32.const ${P})))
      (br $panels))))`;
}

/**
 * The GEMM functions: `packA`, `packB(src, dst, rows, K, rs, cs)` and
 * `gemm(a, b, c, Mp, Np, K, kc, mc, nc, ldc)`, over the module's (imported) memory.
 */
export function gemmWat(fma: boolean): string {
  const accs = range(MR).flatMap((r) => range(NV).map((v) => acc(r, v)));
  const tileAddr = (r: number): string =>
    `(i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const ${r})))`;
  const loadC = range(MR)
    .flatMap((r) =>
      range(NV).map((v) => `(local.set ${acc(r, v)} (v128.load offset=${v * 16} ${tileAddr(r)}))`),
    )
    .join('\n      ');
  const storeC = range(MR)
    .flatMap((r) =>
      range(NV).map((v) => `(v128.store offset=${v * 16} ${tileAddr(r)} (local.get ${acc(r, v)}))`),
    )
    .join('\n    ');
  return `
  ${packFunc('packA', MR)}
  ${packFunc('packB', NR)}
  ;; C[MR x NR] (+)= Apanel[kc x MR] . Bpanel[kc x NR]; ldc is the row stride of C in bytes.
  (func $tile (param $ap i32) (param $bp i32) (param $cp i32) (param $kc i32) (param $ldc i32) (param $first i32)
    (local $a v128) ${range(NV)
      .map((v) => `(local $b${v} v128)`)
      .join(' ')}
    ${accs.map((c) => `(local ${c} v128)`).join(' ')}
    (if (i32.eqz (local.get $first)) (then
      ${loadC}))
    ;; Unrolling this loop measured slower in V8 (more spills), so it runs one k step per iteration.
    (block $done
      (br_if $done (i32.eqz (local.get $kc)))
      (loop $k
        ${kStep(fma)}
        (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))
    ${storeC})
  ;; C[Mp x Np] = Apack . Bpack with A packed in MR-row panels ([K x MR] each) and B in NR-column
  ;; panels ([K x NR] each); Mp, Np multiples of MR, NR; ldc is C's row stride in floats (a thread
  ;; computing a band of columns writes into a wider C). Blocked over K (kc), N (nc) and M (mc).
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $mp i32) (param $np i32)
    (param $kk i32) (param $kc i32) (param $mc i32) (param $nc i32) (param $ldc i32)
    (local $pc i32) (local $kb i32) (local $jc i32) (local $jend i32) (local $ic i32) (local $iend i32)
    (local $jr i32) (local $ir i32) (local $first i32)
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $first (i32.const 1))
    (block $pdone (loop $p
      (br_if $pdone (i32.ge_u (local.get $pc) (local.get $kk)))
      (local.set $kb (i32.sub (local.get $kk) (local.get $pc)))
      (if (i32.gt_u (local.get $kb) (local.get $kc)) (then (local.set $kb (local.get $kc))))
      (local.set $jc (i32.const 0))
      (block $jdone (loop $j
        (br_if $jdone (i32.ge_u (local.get $jc) (local.get $np)))
        (local.set $jend (i32.add (local.get $jc) (local.get $nc)))
        (if (i32.gt_u (local.get $jend) (local.get $np)) (then (local.set $jend (local.get $np))))
        (local.set $ic (i32.const 0))
        (block $idone (loop $i
          (br_if $idone (i32.ge_u (local.get $ic) (local.get $mp)))
          (local.set $iend (i32.add (local.get $ic) (local.get $mc)))
          (if (i32.gt_u (local.get $iend) (local.get $mp)) (then (local.set $iend (local.get $mp))))
          (local.set $jr (local.get $jc))
          (loop $jr_loop
            (local.set $ir (local.get $ic))
            (loop $ir_loop
              (call $tile
                (i32.add (local.get $a)
                  (i32.shl (i32.add (i32.mul (local.get $ir) (local.get $kk)) (i32.mul (local.get $pc) (i32.const ${MR}))) (i32.const 2)))
                (i32.add (local.get $b)
                  (i32.shl (i32.add (i32.mul (local.get $jr) (local.get $kk)) (i32.mul (local.get $pc) (i32.const ${NR}))) (i32.const 2)))
                (i32.add (local.get $c)
                  (i32.add (i32.mul (local.get $ir) (local.get $ldc)) (i32.shl (local.get $jr) (i32.const 2))))
                (local.get $kb) (local.get $ldc) (local.get $first))
              (br_if $ir_loop (i32.lt_u (local.tee $ir (i32.add (local.get $ir) (i32.const ${MR}))) (local.get $iend))))
            (br_if $jr_loop (i32.lt_u (local.tee $jr (i32.add (local.get $jr) (i32.const ${NR}))) (local.get $jend))))
          (local.set $ic (local.get $iend))
          (br $i)))
        (local.set $jc (local.get $jend))
        (br $j)))
      (local.set $first (i32.const 0))
      (local.set $pc (i32.add (local.get $pc) (local.get $kb)))
      (br $p))))
`;
}
