/**
 * The codec's hook for a Map whose entries are not in its own Map storage: Arc's read-only view
 * over a shared hash index (`src/sync/arc/shared-map-view.ts`) overrides every reading method
 * and leaves its storage empty. Such a class marks its prototype with {@link copiedByEntries};
 * the encoder then copies an instance through its iterator (as it copies any Map) and does not
 * refuse it as a Map subclass with methods.
 *
 * The codec owns the mark and knows no class that carries it, as `src/wire/handle.ts` owns
 * `[describe]` for handles: `codec/` never imports `sync/`.
 *
 * Invariant: the mark is set by the module that defines the class, on its prototype, when that
 * module is evaluated, so every instance that can exist carries it (no registration call
 * someone could forget). `test/sync/arc-map.test.ts` sends views through spawn, channels and
 * locks; without the mark every one of them is refused.
 */
export const copiedByEntries: unique symbol = Symbol('fearless.copiedByEntries');

/** Whether `value`'s class (or a class it extends) marked itself with {@link copiedByEntries}. */
export function isCopiedByEntries(value: object): boolean {
  return copiedByEntries in value;
}
