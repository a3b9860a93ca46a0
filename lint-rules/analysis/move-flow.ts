import type { TSESTree } from '@typescript-eslint/utils';
import type { MoveSite, Place } from './sites.js';

/** The slice of ESLint's code-path segment the analysis reads (typescript-eslint omits these). */
export interface Segment {
  readonly id: string;
  readonly prevSegments: readonly Segment[];
  readonly nextSegments: readonly Segment[];
}

/** What happens to a binding at one point of a segment, in evaluation order. */
export type FlowEvent =
  | {
      readonly kind: 'use';
      readonly place: Place;
      readonly node: TSESTree.Identifier;
      readonly inClosure: boolean;
      /** The function whose call reads the binding (the use is that call), if not read here directly. */
      readonly via?: string;
    }
  | { readonly kind: 'move'; readonly place: Place; readonly site: MoveSite }
  | { readonly kind: 'assign'; readonly place: Place }
  /**
   * Entering a `catch` block: forget the moves made inside the `try` block. ESLint links the
   * end of a `try` block to its `catch` as if the last statement threw, but a send that throws
   * did not move (SendError hands the value back), so keeping those moves gives false reports.
   */
  | { readonly kind: 'enterCatch'; readonly tryRange: readonly [number, number] };

/** Where a moved binding's moves come from: one site when moved on every path, more after joins. */
interface MovedState {
  readonly sites: readonly MoveSite[];
  /** Moved on every path that reaches here (else "may have been moved"). */
  readonly definite: boolean;
}
type State = ReadonlyMap<Place, MovedState>;

/** A use of a moved binding, classified the way rustc words E0382. */
export interface MoveFinding {
  readonly use: TSESTree.Identifier;
  readonly place: Place;
  /** The move the message names. */
  readonly site: MoveSite;
  readonly shape: 'moved' | 'maybeMoved' | 'movedInLoop' | 'movedBeforeClosure' | 'movedBeforeCall' | 'movedBeforeCallback';
  /** For movedBeforeCall: the function called; for movedBeforeCallback: the call that registered it. */
  readonly via?: string;
}

/**
 * The events of one code path (a function, or the module), recorded per segment while ESLint
 * walks it, and solved when the path ends.
 *
 * Solving is a forward data-flow fixed point over the segment graph: a move makes a binding
 * moved, an assignment makes it live again, and a join keeps a binding moved if any incoming
 * path moved it ("definite" only if all did). Loops need no special case: the back edge is a
 * predecessor of the loop head like any other, so a move late in the body reaches the uses at
 * its top on the second pass. Such a move sits at or after the use in the source, which is how
 * "moved in a previous iteration of the loop" is told apart.
 *
 * @example
 * ```ts
 * if (c) tx.send(x);   // segment A: move x      segment B: (nothing)
 * log(x);              // join of A and B → x moved on some path → maybeMoved, naming A's move
 * ```
 */
export class CodePathMoves {
  readonly #events = new Map<Segment, FlowEvent[]>();
  readonly #current = new Set<Segment>();
  readonly #deferred: Array<{ readonly place: Place; readonly node: TSESTree.Identifier; readonly via: string }> = [];
  #hasMoves = false;

  constructor(readonly initialSegment: Segment) {}

  enterSegment(segment: Segment): void {
    if (!this.#events.has(segment)) this.#events.set(segment, []);
    this.#current.add(segment);
  }

  leaveSegment(segment: Segment): void {
    this.#current.delete(segment);
  }

  /** Records an event in every segment being walked (a `finally` block is walked once per path). */
  record(event: FlowEvent): void {
    if (event.kind === 'move') this.#hasMoves = true;
    for (const segment of this.#current) this.#events.get(segment)?.push(event);
  }

  /**
   * A read in a callback registered here (`worker.once('message', () => use(buf))`) that runs
   * later, once this code has finished: it sees the state at the end of the path.
   */
  recordDeferred(place: Place, node: TSESTree.Identifier, via: string): void {
    this.#deferred.push({ place, node, via });
  }

  /** The first use of each move that reaches a use, in source order. `ends`: the path's returning segments. */
  solve(ends: readonly Segment[] = []): MoveFinding[] {
    if (!this.#hasMoves) return [];
    const { entry, exit } = this.#fixedPoint();
    const candidates: Array<{ use: TSESTree.Identifier; place: Place; moved: MovedState; inClosure: boolean; via: string | undefined; deferred?: boolean }> = [];
    for (const [segment, state] of entry) {
      const current = new Map(state);
      for (const event of this.#events.get(segment) ?? []) {
        if (event.kind === 'use') {
          const moved = current.get(event.place);
          if (moved !== undefined) candidates.push({ use: event.node, place: event.place, moved, inClosure: event.inClosure, via: event.via });
        } else {
          apply(current, event);
        }
      }
    }
    // Deferred reads come after every ordinary use of the same identifier, so a closure created
    // after the move keeps its own message.
    const endStates = ends.flatMap((segment) => exit.get(segment) ?? []);
    const atEnd = endStates.length > 0 ? join(endStates) : undefined;
    for (const { place, node, via } of this.#deferred) {
      const moved = atEnd?.get(place);
      if (moved !== undefined) candidates.push({ use: node, place, moved, inClosure: true, via, deferred: true });
    }
    candidates.sort((a, b) => a.use.range[0] - b.use.range[0]);
    const reported = new Set<MoveSite>();
    const seenUses = new Set<TSESTree.Identifier>();
    const findings: MoveFinding[] = [];
    for (const { use, place, moved, inClosure, via, deferred } of candidates) {
      if (seenUses.has(use) || moved.sites.every((site) => reported.has(site))) continue;
      seenUses.add(use);
      for (const site of moved.sites) reported.add(site);
      if (deferred) {
        const latest = moved.sites.reduce((a, b) => (b.node.range[0] > a.node.range[0] ? b : a));
        findings.push({ use, place, site: latest, shape: 'movedBeforeCallback', via: via ?? '' });
        continue;
      }
      // A call that reads the binding has one message, which covers the possible and loop cases.
      const { site, shape } = classify(use, moved, inClosure);
      findings.push(via === undefined ? { use, place, site, shape } : { use, place, site, shape: 'movedBeforeCall', via });
    }
    return findings;
  }

  /** The state at the start and at the end of every reachable segment. */
  #fixedPoint(): { entry: Map<Segment, State>; exit: Map<Segment, State> } {
    const entry = new Map<Segment, State>();
    const exit = new Map<Segment, State>();
    const work: Segment[] = [this.initialSegment];
    while (work.length > 0) {
      const segment = work.shift()!;
      const incoming = segment === this.initialSegment
        ? [new Map<Place, MovedState>()]
        : segment.prevSegments.flatMap((previous) => exit.get(previous) ?? []);
      if (incoming.length === 0) continue;
      const start = join(incoming);
      entry.set(segment, start);
      const end = new Map(start);
      for (const event of this.#events.get(segment) ?? []) apply(end, event);
      const before = exit.get(segment);
      if (before !== undefined && sameState(before, end)) continue;
      exit.set(segment, end);
      for (const next of segment.nextSegments) if (!work.includes(next)) work.push(next);
    }
    return { entry, exit };
  }
}

function apply(state: Map<Place, MovedState>, event: FlowEvent): void {
  if (event.kind === 'move') state.set(event.place, { sites: [event.site], definite: true });
  else if (event.kind === 'assign') state.delete(event.place);
  else if (event.kind === 'enterCatch') {
    const [start, end] = event.tryRange;
    for (const [place, moved] of state) {
      const outside = moved.sites.filter((site) => site.node.range[0] < start || site.node.range[0] >= end);
      if (outside.length === 0) state.delete(place);
      else if (outside.length < moved.sites.length) state.set(place, { sites: outside, definite: false });
    }
  }
}

function join(states: readonly State[]): State {
  if (states.length === 1) return states[0]!;
  const result = new Map<Place, MovedState>();
  const places = new Set(states.flatMap((state) => [...state.keys()]));
  for (const place of places) {
    const parts = states.map((state) => state.get(place));
    const sites = [...new Set(parts.flatMap((part) => part?.sites ?? []))];
    result.set(place, { sites, definite: parts.every((part) => part?.definite === true) });
  }
  return result;
}

function sameState(a: State, b: State): boolean {
  if (a.size !== b.size) return false;
  for (const [place, moved] of a) {
    const other = b.get(place);
    if (other === undefined || other.definite !== moved.definite || other.sites.length !== moved.sites.length) return false;
  }
  return true;
}

function classify(use: TSESTree.Identifier, moved: MovedState, inClosure: boolean): Pick<MoveFinding, 'site' | 'shape'> {
  // A move at or after the use in the source can only reach it through a loop's back edge.
  const fromLoop = moved.sites.find((site) => site.node.range[0] >= use.range[0]);
  if (fromLoop !== undefined) return { site: fromLoop, shape: 'movedInLoop' };
  const before = moved.sites.filter((site) => site.node.range[0] < use.range[0]);
  const site = before.at(-1) ?? moved.sites[0]!;
  if (!moved.definite) return { site, shape: 'maybeMoved' };
  return { site, shape: inClosure ? 'movedBeforeClosure' : 'moved' };
}
