import { where, zeros } from '@proj/core';
import { type ConformanceCase, otherBackend, tcase } from '../case.js';
import { f32 } from './data.js';

// shapes print as [2,3] or [2, 3]
const shape = (...dims: number[]) => new RegExp(`\\[${dims.join(',\\s?')}\\]`);

/** Errors name the op and the offending shapes / dims / devices (DESIGN "Errors"). */
export const errorCases: ConformanceCase[] = [
  tcase('errors/add/shape-mismatch', (t) => {
    t.throws(() => zeros([2, 3]).add(zeros([4])), [/add/, shape(2, 3), shape(4)]);
  }),
  tcase('errors/mul/shape-mismatch', (t) => {
    t.throws(() => zeros([2, 3]).mul(zeros([3, 2])), [/mul/, shape(2, 3), shape(3, 2)]);
  }),
  tcase('errors/compare/shape-mismatch', (t) => {
    t.throws(() => zeros([2]).lt(zeros([3])), [/lt/, shape(2), shape(3)]);
  }),
  tcase('errors/where/shape-mismatch', (t) => {
    t.throws(() => where(zeros([2]).eq(0), zeros([3]), zeros([2])), [/where/, shape(3), shape(2)]);
  }),
  tcase('errors/reshape/size-mismatch', (t) => {
    t.throws(() => zeros([2, 3]).reshape([4]), [/reshape/, shape(2, 3), shape(4)]);
  }),
  tcase('errors/reduce/dim-out-of-range', (t) => {
    t.throws(() => zeros([2, 3]).sum(2), [/sum/, /\b2\b/]);
    t.throws(() => zeros([2, 3]).max(-3), [/max/, /-3/]);
  }),
  tcase('errors/transpose/dim-out-of-range', (t) => {
    t.throws(() => zeros([2, 3]).transpose(0, 5), [/transpose/, /\b5\b/]);
  }),
  tcase('errors/permute/not-a-permutation', (t) => {
    t.throws(() => zeros([2, 3]).permute([0, 0]), [/permute/]);
  }),
  tcase('errors/expand/incompatible', (t) => {
    t.throws(() => zeros([2]).expand([3]), [/expand/, shape(2), shape(3)]);
  }),
  tcase('errors/narrow/out-of-range', (t) => {
    t.throws(() => zeros([2, 3]).narrow(1, 2, 2), [/narrow/]);
  }),
  tcase('errors/item/non-scalar', (t) => {
    t.throws(() => f32([1, 2]).item(), [/item/, shape(2)]);
  }),
  tcase(
    'errors/device/mismatch',
    (t) => {
      const other = otherBackend(t.backend);
      const a = f32([1, 2], { device: t.backend });
      const b = f32([1, 2], { device: other });
      t.throws(() => a.add(b), [/add/, new RegExp(t.backend), new RegExp(other)]);
    },
    ['second-backend'],
  ),
];
