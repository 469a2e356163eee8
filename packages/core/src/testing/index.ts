// @proj/core/testing: helpers for checking ops against PyTorch fixtures, shared by core's tests
// and the parity app. Not part of the user API.
export type { FixtureOpArgs, FixtureOpFn } from './fixture-ops.js';
export { FIXTURE_OPS } from './fixture-ops.js';
