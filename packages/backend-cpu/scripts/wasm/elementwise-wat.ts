/**
 * The float32 elementwise kernels of the CPU backend's WebAssembly module as WAT: four lanes
 * per step with SIMD, the last n % 4 elements one by one. Every op here is exactly rounded in
 * IEEE float32 (add, sub, mul, div, sqrt) or exact (max, min, neg, abs, relu and its mask), so
 * these kernels give the same bits as the JavaScript loops they replace, which compute in
 * double and round once to float32 (for + - * / and sqrt double rounding is innocuous).
 *
 * Addresses are byte offsets into the module's memory; n counts elements.
 */

/** Binary ops: WAT instruction stems (`f32x4.<op>` and `f32.<op>`). max/min propagate NaN as Math.max/min do. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'max', 'min'] as const;
/** Unary ops with an exact f32x4 instruction. */
export const UNARY_OPS = ['neg', 'abs', 'sqrt'] as const;

/**
 * One loop over n elements: `vec` computes `(local.get $v)` lanes from the operand loads,
 * `scalar` the same for one element. `loads` are [local, address-local] pairs of v128 (or f32)
 * inputs; the output goes to $o.
 */
function loop(inputs: string[], vec: string, scalar: string): string {
  const vLoads = inputs.map((p) => `(local.set $${p}v (v128.load (local.get $${p})))`).join(' ');
  const sLoads = inputs.map((p) => `(local.set $${p}s (f32.load (local.get $${p})))`).join(' ');
  const bump = (bytes: number): string =>
    [...inputs, 'o']
      .map((p) => `(local.set $${p} (i32.add (local.get $${p}) (i32.const ${bytes})))`)
      .join(' ');
  return `
    (local.set $end4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $i (i32.const 0))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $i) (local.get $end4)))
      ${vLoads}
      (v128.store (local.get $o) ${vec})
      ${bump(16)}
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $i) (local.get $n)))
      ${sLoads}
      (f32.store (local.get $o) ${scalar})
      ${bump(4)}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sl)))`;
}

const LOCALS = '(local $i i32) (local $end4 i32)';
const vecLocals = (ps: string[]): string => ps.map((p) => `(local $${p}v v128) (local $${p}s f32)`).join(' ');

/** `<op>_vv(a, b, o, n)`, `<op>_vs(a, s, o, n)` and `<op>_sv(s, b, o, n)` for each binary op. */
function binaryFuncs(op: string): string {
  const vv = `(func (export "${op}_vv") (param $a i32) (param $b i32) (param $o i32) (param $n i32)
    ${LOCALS} ${vecLocals(['a', 'b'])}
    ${loop(['a', 'b'], `(f32x4.${op} (local.get $av) (local.get $bv))`, `(f32.${op} (local.get $as) (local.get $bs))`)})`;
  // The scalar operand is splatted once; it arrives as an f32 (the float32 tensor's value).
  const vs = `(func (export "${op}_vs") (param $a i32) (param $s f32) (param $o i32) (param $n i32)
    ${LOCALS} ${vecLocals(['a'])} (local $sv v128)
    (local.set $sv (f32x4.splat (local.get $s)))
    ${loop(['a'], `(f32x4.${op} (local.get $av) (local.get $sv))`, `(f32.${op} (local.get $as) (local.get $s))`)})`;
  const sv = `(func (export "${op}_sv") (param $s f32) (param $b i32) (param $o i32) (param $n i32)
    ${LOCALS} ${vecLocals(['b'])} (local $sv v128)
    (local.set $sv (f32x4.splat (local.get $s)))
    ${loop(['b'], `(f32x4.${op} (local.get $sv) (local.get $bv))`, `(f32.${op} (local.get $s) (local.get $bs))`)})`;
  return [vv, vs, sv].join('\n  ');
}

/** `<op>(a, o, n)` for each unary op. */
function unaryFunc(op: string): string {
  return `(func (export "${op}") (param $a i32) (param $o i32) (param $n i32)
    ${LOCALS} ${vecLocals(['a'])}
    ${loop(['a'], `(f32x4.${op} (local.get $av))`, `(f32.${op} (local.get $as))`)})`;
}

/**
 * relu(a, o, n): `v < 0 ? 0 : v`, keeping NaN and -0 as they are (PyTorch's relu passes NaN
 * through): the lanes where v < 0 are cleared with a mask, no branch. reluBackward(g, y, o, n):
 * `y > 0 ? g : +0` (NaN y gives +0), g ANDed with the mask of y > 0.
 */
const RELU = `(func (export "relu") (param $a i32) (param $o i32) (param $n i32)
    ${LOCALS} ${vecLocals(['a'])}
    ${loop(
      ['a'],
      '(v128.andnot (local.get $av) (f32x4.lt (local.get $av) (v128.const f32x4 0 0 0 0)))',
      '(select (f32.const 0) (local.get $as) (f32.lt (local.get $as) (f32.const 0)))',
    )})
  (func (export "relu_backward") (param $g i32) (param $y i32) (param $o i32) (param $n i32)
    ${LOCALS} ${vecLocals(['g', 'y'])}
    ${loop(
      ['g', 'y'],
      '(v128.and (local.get $gv) (f32x4.gt (local.get $yv) (v128.const f32x4 0 0 0 0)))',
      '(select (local.get $gs) (f32.const 0) (f32.gt (local.get $ys) (f32.const 0)))',
    )})`;

/** Every elementwise function of the module. */
export function elementwiseWat(): string {
  return [...BINARY_OPS.map(binaryFuncs), ...UNARY_OPS.map(unaryFunc), RELU].join('\n  ');
}
