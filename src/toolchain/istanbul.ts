/**
 * istanbul (nyc, vitest's and jest's coverage): every statement, function and branch of an
 * instrumented file bumps a counter of the file's own counter function, `cov_1x2y3z().s[3]++`,
 * `.f[0]++`, `.b[1][0]++`, `.bT[…][…]++`, also inside a closure sent to a worker. There it
 * counts into a sink: coverage of code run in a worker is not collected (it was compiled from
 * text, not loaded from the instrumented file).
 */
import type { Toolchain } from './table.js';

/** Every counter reads 0 and every write is dropped, so no memory grows per call. */
const zeros = new Proxy({}, { get: () => 0, set: () => true });
const branchZeros = new Proxy({}, { get: () => zeros, set: () => true });
const counterSink = new Proxy({}, { get: (_target, key) => (key === 'b' || key === 'bT' ? branchZeros : zeros), set: () => true });
const coverageCounters = (): object => counterSink;

/** istanbul's output, as a toolchain table entry (table.ts): the per-file counter function. */
export const istanbul: Toolchain = {
  name: 'istanbul coverage',
  bindings: [{ pattern: String.raw`cov_[0-9A-Za-z_$]+`, reads: 'own', value: coverageCounters }],
};
