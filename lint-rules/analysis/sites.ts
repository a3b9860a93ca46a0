import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * What a move makes unusable: a binding (`path` empty), or a member of it that a transfer list
 * detached (`msg.data`: path `['data']`). Interned per file, so it can key maps.
 */
export interface Place {
  readonly variable: TSESLint.Scope.Variable;
  readonly path: readonly string[];
  /** `buf`, `msg.data`: how messages name it. */
  readonly name: string;
}

/** A binding moved by a call: `tx.send(x)`, `move(x)`, `new Mutex(x)`, a transfer list, `Owned<T>`. */
export interface MoveSite {
  /** The moved expression, `x` or `msg.data` (where rustc would print "value moved here"). */
  readonly node: TSESTree.Node;
  readonly place: Place;
  /** How it moved, for the message: "sent with `tx.send()`". */
  readonly how: string;
  /** Detached by a transfer list: views over it and aliases of it are detached too. */
  readonly transfer: boolean;
}

/** A call that runs a closure on another thread: `spawn`, `pool.spawn`, `pool.map`, a scope's `s.spawn`. */
export interface SpawnSite {
  readonly call: TSESTree.CallExpression;
  /** `spawn()`, `pool.spawn()`, `pool.map()`: how the message names the call. */
  readonly calleeText: string;
  /** The closure (inline, or the function a plain identifier argument names in this file). */
  readonly closure: TSESTree.FunctionLike | undefined;
  /** The argument naming a function this file does not declare (an import), followed through the checker. */
  readonly reference: TSESTree.Identifier | TSESTree.MemberExpression | undefined;
  /** Whether the closure was written inline as the argument (suggestions only edit those). */
  readonly inline: boolean;
  /** The `move(...)` call passed first, if any (`spawn(move(a), (a) => …)`, `pool.map(move(ctx), items, fn)`). */
  readonly moved: TSESTree.CallExpression | undefined;
  /** `spawn`/`pool.spawn`/`s.spawn` return a JoinHandle; `pool.map` returns a Promise of results. */
  readonly returnsJoinHandle: boolean;
  /** Which call it is. A `scope.spawn` handle is joined by its scope, so it may be dropped. */
  readonly kind: 'spawn' | 'pool.spawn' | 'pool.map' | 'scope.spawn';
}

/** A call that returns a lock guard: `m.lock()`, `rw.read()`, `m.lockSync()`... */
export interface GuardSite {
  readonly call: TSESTree.CallExpression;
  /** `m.lock()`: how the message names the call. */
  readonly calleeText: string;
  /** `MutexGuard` or `RwLock` guard. */
  readonly lockKind: 'Mutex' | 'RwLock';
  /** `lock()`, `read()`, `write()` return a Promise of the guard; the others return it directly. */
  readonly async: boolean;
}

/** Everything the rules need to know about one file, computed once (see file-analysis.ts). */
export interface FileSites {
  /** Moves, keyed by the call or `new` expression that moves them (the move happens at its end). */
  readonly moves: ReadonlyMap<TSESTree.Node, readonly MoveSite[]>;
  readonly spawns: readonly SpawnSite[];
  readonly guards: readonly GuardSite[];
  /** `cv.wait(guard)` / `cv.waitSync(guard)` calls: they release the lock while they wait. */
  readonly condvarWaits: ReadonlySet<TSESTree.CallExpression>;
  /** The places the moves name, interned (see places.ts). */
  readonly places: import('./places.js').PlaceTable;
}
