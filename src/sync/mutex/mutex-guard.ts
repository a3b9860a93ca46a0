import { ExclusiveGuard } from '../guard/exclusive-guard.js';

/**
 * Access to a locked Mutex's value: `value` to read or replace it (object values may be
 * changed in place), `[Symbol.dispose]()` to unlock — `using guard = mutex.lockSync()` unlocks
 * at the end of the block, on throw too. Using a released guard throws.
 */
export class MutexGuard<Value> extends ExclusiveGuard<Value> {}
