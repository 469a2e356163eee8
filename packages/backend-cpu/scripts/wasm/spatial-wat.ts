/**
 * The float32 gathers of convolution and pooling of the CPU backend's WebAssembly module as WAT:
 * im2col / col2im over a chunk of images, and the row scatter-add that max pooling's gradient
 * is. Scalar code: their cost in JavaScript was the element access (3-10 ns per element, 3-4x
 * less here). Max pooling's general form measured no faster here than in JavaScript (a scalar
 * running maximum is a dependency chain either way), so only its common 2x2 stride-2 form is here,
 * four windows per SIMD step.
 *
 * Addresses are byte offsets into the module's memory; sizes count elements.
 */

/** Geometry parameters shared by im2col and col2im (all i32). */
const GEOMETRY =
  '(param $nb i32) (param $xstride i32) (param $cg i32) (param $H i32) (param $W i32) (param $oH i32) (param $oW i32) ' +
  '(param $kH i32) (param $kW i32) (param $sH i32) (param $sW i32) (param $pH i32) (param $pW i32) (param $dH i32) (param $dW i32) ' +
  '(param $ld i32)';
const LOCALS =
  '(local $n i32) (local $c i32) (local $ki i32) (local $kj i32) (local $oh i32) (local $ow i32) (local $h i32) (local $w i32) ' +
  '(local $P i32) (local $d i32) (local $base i32)';

/**
 * The loop nest both directions share: for image n, channel c, tap (ki, kj) and output row oh,
 * `$d` is the column-matrix address of (row (c·kH + ki)·kW + kj, column n·P + oh·oW), `$base`
 * the address of input row h = oh·sH - pH + ki·dH of that channel, and `row` runs with h.
 * `inner` then walks ow with w = ow·sW - pW + kj·dW.
 */
function nest(cols: string, x: string, row: (inRange: string) => string): string {
  return `
    (local.set $P (i32.mul (local.get $oH) (local.get $oW)))
    (local.set $n (i32.const 0))
    (block $nd (loop $nl (br_if $nd (i32.ge_u (local.get $n) (local.get $nb)))
      (local.set $c (i32.const 0))
      (block $cd (loop $cl (br_if $cd (i32.ge_u (local.get $c) (local.get $cg)))
        (local.set $ki (i32.const 0))
        (block $kid (loop $kil (br_if $kid (i32.ge_u (local.get $ki) (local.get $kH)))
          (local.set $kj (i32.const 0))
          (block $kjd (loop $kjl (br_if $kjd (i32.ge_u (local.get $kj) (local.get $kW)))
            (local.set $oh (i32.const 0))
            (block $ohd (loop $ohl (br_if $ohd (i32.ge_u (local.get $oh) (local.get $oH)))
              (local.set $d (i32.add (local.get $${cols}) (i32.shl (i32.add
                (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $c) (local.get $kH)) (local.get $ki)) (local.get $kW)) (local.get $kj)) (local.get $ld))
                (i32.add (i32.mul (local.get $n) (local.get $P)) (i32.mul (local.get $oh) (local.get $oW)))) (i32.const 2))))
              (local.set $h (i32.add (i32.sub (i32.mul (local.get $oh) (local.get $sH)) (local.get $pH)) (i32.mul (local.get $ki) (local.get $dH))))
              (local.set $base (i32.add (local.get $${x}) (i32.shl (i32.add
                (i32.mul (local.get $n) (local.get $xstride))
                (i32.mul (i32.add (i32.mul (local.get $c) (local.get $H)) (local.get $h)) (local.get $W))) (i32.const 2))))
              ${row('(i32.and (i32.ge_s (local.get $h) (i32.const 0)) (i32.lt_s (local.get $h) (local.get $H)))')}
              (local.set $oh (i32.add (local.get $oh) (i32.const 1))) (br $ohl)))
            (local.set $kj (i32.add (local.get $kj) (i32.const 1))) (br $kjl)))
          (local.set $ki (i32.add (local.get $ki) (i32.const 1))) (br $kil)))
        (local.set $c (i32.add (local.get $c) (i32.const 1))) (br $cl)))
      (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $nl)))`;
}

/** The ow loop: `body` runs for each output column with $w set and `$d` at its column-matrix address. */
function owLoop(body: string): string {
  return `(local.set $w (i32.sub (i32.mul (local.get $kj) (local.get $dW)) (local.get $pW)))
              (local.set $ow (i32.const 0))
              (block $owd (loop $owl (br_if $owd (i32.ge_u (local.get $ow) (local.get $oW)))
                ${body}
                (local.set $w (i32.add (local.get $w) (local.get $sW)))
                (local.set $d (i32.add (local.get $d) (i32.const 4)))
                (local.set $ow (i32.add (local.get $ow) (i32.const 1))) (br $owl)))`;
}

const W_IN = '(i32.and (i32.ge_s (local.get $w) (i32.const 0)) (i32.lt_s (local.get $w) (local.get $W)))';
const X_AT = '(i32.add (local.get $base) (i32.shl (local.get $w) (i32.const 2)))';

/**
 * im2col(x, cols, nb, xstride, Cg, H, W, oH, oW, kH, kW, sH, sW, pH, pW, dH, dW, ld): the columns
 * of nb images (image n's Cg planes at x + n·xstride floats) into cols [Cg·kH·kW, nb·oH·oW] with
 * row stride ld, zeros where a tap falls in the padding (every element is written).
 */
const IM2COL = `(func (export "im2col") (param $x i32) (param $cols i32) ${GEOMETRY} ${LOCALS} (local $lo i32) (local $hi i32)
    ${nest(
      'cols',
      'x',
      (hIn) =>
        `(if (i32.and ${hIn} (i32.eq (local.get $sW) (i32.const 1)))
                (then
                  ;; stride 1: the row is one contiguous run of the input between zeros (bulk copies)
                  (local.set $w (i32.sub (i32.mul (local.get $kj) (local.get $dW)) (local.get $pW)))
                  (local.set $lo (select (i32.const 0) (i32.sub (i32.const 0) (local.get $w)) (i32.ge_s (local.get $w) (i32.const 0))))
                  (local.set $hi (i32.sub (local.get $W) (local.get $w)))
                  (if (i32.gt_s (local.get $hi) (local.get $oW)) (then (local.set $hi (local.get $oW))))
                  (if (i32.gt_s (local.get $lo) (local.get $oW)) (then (local.set $lo (local.get $oW))))
                  (if (i32.lt_s (local.get $hi) (local.get $lo)) (then (local.set $hi (local.get $lo))))
                  (memory.fill (local.get $d) (i32.const 0) (i32.shl (local.get $lo) (i32.const 2)))
                  (memory.copy
                    (i32.add (local.get $d) (i32.shl (local.get $lo) (i32.const 2)))
                    (i32.add (local.get $base) (i32.shl (i32.add (local.get $w) (local.get $lo)) (i32.const 2)))
                    (i32.shl (i32.sub (local.get $hi) (local.get $lo)) (i32.const 2)))
                  (memory.fill (i32.add (local.get $d) (i32.shl (local.get $hi) (i32.const 2))) (i32.const 0)
                    (i32.shl (i32.sub (local.get $oW) (local.get $hi)) (i32.const 2))))
                (else
                  ${owLoop(`(f32.store (local.get $d)
                  (if (result f32) (i32.and ${hIn} ${W_IN})
                    (then (f32.load ${X_AT})) (else (f32.const 0))))`)}))`,
    )})`;

/** col2im(cols, x, ...same geometry): adds the columns back onto the planes (overlapping taps accumulate). */
const COL2IM = `(func (export "col2im") (param $cols i32) (param $x i32) ${GEOMETRY} ${LOCALS}
    ${nest('cols', 'x', (hIn) =>
      owLoop(`(if (i32.and ${hIn} ${W_IN}) (then
                  (f32.store ${X_AT} (f32.add (f32.load ${X_AT}) (f32.load (local.get $d))))))`),
    )})`;

/**
 * scatter_add_rows(out, idx, src, rows, n, size) → i32: for each of `rows` rows, out[r·size +
 * idx[r·n + j]] += src[r·n + j] (torch.scatter_add along the last axis, index and target rows
 * matched). Returns -1, or the position of the first index outside [0, size) (then stops).
 */
const SCATTER_ADD_ROWS = `(func (export "scatter_add_rows") (param $out i32) (param $idx i32) (param $src i32)
    (param $rows i32) (param $n i32) (param $size i32) (result i32)
    (local $r i32) (local $j i32) (local $k i32) (local $p i32) (local $row i32) (local $a i32)
    (block $rd (loop $rl (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $row (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $size)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl (br_if $jd (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $k (i32.load (i32.add (local.get $idx) (i32.shl (local.get $p) (i32.const 2)))))
        (if (i32.or (i32.lt_s (local.get $k) (i32.const 0)) (i32.ge_s (local.get $k) (local.get $size)))
          (then (return (local.get $p))))
        (local.set $a (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 2))))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (i32.add (local.get $src) (i32.shl (local.get $p) (i32.const 2))))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $j (i32.add (local.get $j) (i32.const 1))) (br $jl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1))) (br $rl)))
    (i32.const -1))`;

/** i8x16.shuffle byte indices taking f32 lanes `lanes` (0-3 from the first operand, 4-7 from the second). */
const lanes = (l: number[]): string => l.flatMap((x) => [0, 1, 2, 3].map((i) => x * 4 + i)).join(' ');
const EVEN = lanes([0, 2, 4, 6]);
const ODD = lanes([1, 3, 5, 7]);

/** One tap of the SIMD max pool: take v where v > m, or v is NaN and m is not (first tap wins ties). */
const take = (v: string, d: string): string => `
          (local.set $t (v128.or (f32x4.gt ${v} (local.get $m))
            (v128.and (f32x4.ne ${v} ${v}) (f32x4.eq (local.get $m) (local.get $m)))))
          (local.set $m (v128.bitselect ${v} (local.get $m) (local.get $t)))
          (local.set $ix (v128.bitselect (i32x4.add (local.get $i0) ${d}) (local.get $ix) (local.get $t)))`;

/** The scalar form of {@link take} for the last columns. */
const takeS = (v: string, d: string): string => `
            (local.set $vs ${v})
            (local.set $ts (i32.or (f32.gt (local.get $vs) (local.get $ms))
              (i32.and (f32.ne (local.get $vs) (local.get $vs)) (f32.eq (local.get $ms) (local.get $ms)))))
            (local.set $ms (select (local.get $vs) (local.get $ms) (local.get $ts)))
            (local.set $is (select (i32.add (local.get $is0) ${d}) (local.get $is) (local.get $ts)))`;

/**
 * maxpool2x2(x, out, arg, planes, H, W, oH, oW): 2x2 windows, stride 2, no padding, every
 * window inside the plane (2·oH <= H, 2·oW <= W): the pooling of most CNNs. Four outputs per
 * step: two loads per input row, split into even and odd columns, then the four taps in
 * PyTorch's order with compare-and-select (no branch). The value and its index h·W + w are as
 * the general JavaScript kernel gives them: the first tap wins ties, a NaN tap wins and stays.
 */
const MAXPOOL_2X2 = `(func (export "maxpool2x2") (param $x i32) (param $out i32) (param $arg i32) (param $planes i32)
    (param $H i32) (param $W i32) (param $oH i32) (param $oW i32)
    (local $pl i32) (local $oh i32) (local $ow i32) (local $r0 i32) (local $r1 i32) (local $a i32) (local $b i32)
    (local $m v128) (local $ix v128) (local $i0 v128) (local $t v128) (local $e0 v128) (local $o0 v128) (local $e1 v128) (local $o1 v128)
    (local $vs f32) (local $ms f32) (local $ts i32) (local $is i32) (local $is0 i32) (local $Wd v128)
    (local.set $Wd (i32x4.splat (local.get $W)))
    (block $pd (loop $pl_ (br_if $pd (i32.ge_u (local.get $pl) (local.get $planes)))
      (local.set $oh (i32.const 0))
      (block $ohd (loop $ohl (br_if $ohd (i32.ge_u (local.get $oh) (local.get $oH)))
        (local.set $r0 (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $pl) (i32.mul (local.get $H) (local.get $W)))
          (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $W))) (i32.const 2))))
        (local.set $r1 (i32.add (local.get $r0) (i32.shl (local.get $W) (i32.const 2))))
        (local.set $ow (i32.const 0))
        (block $vd (loop $vl (br_if $vd (i32.gt_u (i32.add (local.get $ow) (i32.const 4)) (local.get $oW)))
          (local.set $a (i32.add (local.get $r0) (i32.shl (local.get $ow) (i32.const 3))))
          (local.set $b (i32.add (local.get $r1) (i32.shl (local.get $ow) (i32.const 3))))
          (local.set $e0 (i8x16.shuffle ${EVEN} (v128.load (local.get $a)) (v128.load offset=16 (local.get $a))))
          (local.set $o0 (i8x16.shuffle ${ODD} (v128.load (local.get $a)) (v128.load offset=16 (local.get $a))))
          (local.set $e1 (i8x16.shuffle ${EVEN} (v128.load (local.get $b)) (v128.load offset=16 (local.get $b))))
          (local.set $o1 (i8x16.shuffle ${ODD} (v128.load (local.get $b)) (v128.load offset=16 (local.get $b))))
          ;; plane indices of tap (0,0) of the four windows: 2·oh·W + 2·(ow + lane)
          (local.set $i0 (i32x4.add (i32x4.splat (i32.add (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $W))
            (i32.shl (local.get $ow) (i32.const 1)))) (v128.const i32x4 0 2 4 6)))
          (local.set $m (local.get $e0))
          (local.set $ix (local.get $i0))
          ${take('(local.get $o0)', '(v128.const i32x4 1 1 1 1)')}
          ${take('(local.get $e1)', '(local.get $Wd)')}
          ${take('(local.get $o1)', '(i32x4.add (local.get $Wd) (v128.const i32x4 1 1 1 1))')}
          (v128.store (local.get $out) (local.get $m))
          (v128.store (local.get $arg) (local.get $ix))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (local.set $arg (i32.add (local.get $arg) (i32.const 16)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 4))) (br $vl)))
        (block $sd (loop $sl (br_if $sd (i32.ge_u (local.get $ow) (local.get $oW)))
          (local.set $a (i32.add (local.get $r0) (i32.shl (local.get $ow) (i32.const 3))))
          (local.set $b (i32.add (local.get $r1) (i32.shl (local.get $ow) (i32.const 3))))
          (local.set $is0 (i32.add (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $W)) (i32.shl (local.get $ow) (i32.const 1))))
          (local.set $ms (f32.load (local.get $a)))
          (local.set $is (local.get $is0))
          ${takeS('(f32.load offset=4 (local.get $a))', '(i32.const 1)')}
          ${takeS('(f32.load (local.get $b))', '(local.get $W)')}
          ${takeS('(f32.load offset=4 (local.get $b))', '(i32.add (local.get $W) (i32.const 1))')}
          (f32.store (local.get $out) (local.get $ms))
          (i32.store (local.get $arg) (local.get $is))
          (local.set $out (i32.add (local.get $out) (i32.const 4)))
          (local.set $arg (i32.add (local.get $arg) (i32.const 4)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1))) (br $sl)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1))) (br $ohl)))
      (local.set $pl (i32.add (local.get $pl) (i32.const 1))) (br $pl_))))`;

/**
 * copy_blocks(src, dst, na, nb, blk, s1, s2, d1, d2): for a < na, b < nb, copies the blk floats
 * at src + a·s1 + b·s2 to dst + a·d1 + b·d2 (strides in floats; blocks must not overlap): the
 * reorderings between a convolution's NCHW tensors and its GEMM's [channels, images·positions]
 * matrices, as bulk copies inside the module's memory.
 */
const COPY_BLOCKS = `(func (export "copy_blocks") (param $src i32) (param $dst i32) (param $na i32) (param $nb i32)
    (param $blk i32) (param $s1 i32) (param $s2 i32) (param $d1 i32) (param $d2 i32)
    (local $a i32) (local $b i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $blk) (i32.const 2)))
    (block $ad (loop $al (br_if $ad (i32.ge_u (local.get $a) (local.get $na)))
      (local.set $b (i32.const 0))
      (block $bd (loop $bl (br_if $bd (i32.ge_u (local.get $b) (local.get $nb)))
        (memory.copy
          (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $d1)) (i32.mul (local.get $b) (local.get $d2))) (i32.const 2)))
          (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $s1)) (i32.mul (local.get $b) (local.get $s2))) (i32.const 2)))
          (local.get $bytes))
        (local.set $b (i32.add (local.get $b) (i32.const 1))) (br $bl)))
      (local.set $a (i32.add (local.get $a) (i32.const 1))) (br $al))))`;

/** Every convolution and pooling gather of the module. */
export function spatialWat(): string {
  return [IM2COL, COL2IM, COPY_BLOCKS, SCATTER_ADD_ROWS, MAXPOOL_2X2].join('\n  ');
}
