/**
 * `Barrier(n)`: n threads (or tasks) wait until all n have arrived; exactly one of each
 * group is told it is the leader. Cyclic: the barrier is ready for the next group at once.
 *
 * One Int32 word holds both the arrivals of the current generation (bits 0..19) and the
 * generation number (bits 20..30), so "arrive" and "which generation did I arrive in" are one
 * compare-exchange: a fast thread that arrives for the next generation can never be counted
 * in, or released by, the previous one.
 */
import { InvalidArgumentError, invalidArgument, checkMayBlock } from '../../errors.js';
import type { sendHandle, syncHandle, handleMembers } from '../../marker/brands.js';
import { ownHere } from '../../wire/context.js';
import { describe, registerHandleKind, type Handle, type HandleDescriptor } from '../../wire/handle.js';
import { sharedInt32, waitAsyncKeepingAlive } from '../platform.js';

const KIND = 'fearless.barrier';
const WORD = 0;
const PARTIES = 1;
const COUNT_MASK = (1 << 20) - 1;
const GENERATION_SHIFT = 20;
const GENERATION_MASK = 0x7ff;

/** What `wait` tells each thread of a group. */
export interface BarrierWaitResult {
  /** True for exactly one thread per generation (the last to arrive). */
  readonly isLeader: boolean;
}

let reviving: Int32Array | undefined;

export class Barrier implements Handle {
  declare readonly [handleMembers]: keyof Barrier;
  declare readonly [sendHandle]: true;
  declare readonly [syncHandle]: true;
  readonly #words: Int32Array;

  constructor(parties: number) {
    if (reviving === undefined && (!Number.isInteger(parties) || parties < 1 || parties > COUNT_MASK)) {
      throw invalidArgument('new Barrier(parties)', 'parties', `an integer from 1 to ${COUNT_MASK}`, parties);
    }
    this.#words = reviving ?? sharedInt32(2);
    if (reviving === undefined) this.#words[PARTIES] = parties;
    reviving = undefined;
    ownHere(this, this[describe]());
  }

  /** Blocks until the whole group has arrived. */
  waitSync(): BarrierWaitResult {
    checkMayBlock('barrier.waitSync()', 'await barrier.wait()');
    const arrival = this.#arrive();
    if (arrival === true) return { isLeader: true };
    for (;;) {
      const current = Atomics.load(this.#words, WORD);
      if (current >>> GENERATION_SHIFT !== arrival) return { isLeader: false };
      // Woken by the leader of this generation, which bumps the generation and notifies all.
      Atomics.wait(this.#words, WORD, current);
    }
  }

  /** As {@link waitSync}, without blocking the event loop. */
  async wait(): Promise<BarrierWaitResult> {
    const arrival = this.#arrive();
    if (arrival === true) return { isLeader: true };
    for (;;) {
      const current = Atomics.load(this.#words, WORD);
      if (current >>> GENERATION_SHIFT !== arrival) return { isLeader: false };
      // Resolved by the leader of this generation, which bumps the generation and notifies all.
      await waitAsyncKeepingAlive(this.#words, WORD, current);
    }
  }

  /** Counts this arrival: `true` if it completes the group (the leader), else its generation. */
  #arrive(): number | true {
    const words = this.#words;
    const parties = words[PARTIES]!;
    for (;;) {
      const current = Atomics.load(words, WORD);
      const generation = current >>> GENERATION_SHIFT;
      if ((current & COUNT_MASK) + 1 === parties) {
        const next = ((generation + 1) & GENERATION_MASK) << GENERATION_SHIFT;
        if (Atomics.compareExchange(words, WORD, current, next) === current) {
          Atomics.notify(words, WORD);
          return true;
        }
      } else if (Atomics.compareExchange(words, WORD, current, current + 1) === current) {
        return generation;
      }
    }
  }

  [describe](): HandleDescriptor {
    return { kind: KIND, buffers: [this.#words.buffer as SharedArrayBuffer], data: { shared: true } };
  }
}

registerHandleKind(KIND, {
  revive(descriptor) {
    const buffer = descriptor.buffers[0];
    if (buffer === undefined) throw new InvalidArgumentError(`${KIND} descriptor lacks its buffer`);
    reviving = new Int32Array(buffer);
    return new Barrier(0);
  },
});
