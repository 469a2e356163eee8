// @proj/core/testing: helpers for checking ops against PyTorch fixtures, shared by core's tests
// and the parity app. Not part of the user API.

export type { CaseInput, InputKind, OpCase, OpEntry, TableOp } from '../ops/table.js';
export type { FixtureOpArgs, FixtureOpFn } from './fixture-ops.js';
export { FIXTURE_OPS } from './fixture-ops.js';
export { gradchecks } from './grad-checks.js';
export type { Flat, TableFixture, TableFixtureCase, TableFixtureTensor } from './op-table.js';
export {
  callTableOp,
  decodeNonFinite,
  fixtureTensor,
  nestData,
  opTableFixture,
  tableInputs,
  tableOpOf,
  tableOutputs,
} from './op-table.js';
