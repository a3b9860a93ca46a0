/**
 * Why a run-time value cannot cross to another thread, in the same words the compile-time
 * `Send<T>` check uses, so a value that slipped past the types (behind `any`) reads the same.
 */
export function notCloneableReason(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return 'functions cannot cross a worker boundary (a method of a class instance is a function too: send plain data)';
    case 'symbol':
      return 'symbols cannot cross a worker boundary';
    case 'object':
      if (value === null) return undefined;
      if (value instanceof Promise || typeof (value as { then?: unknown }).then === 'function') {
        return 'a Promise or thenable cannot cross a worker boundary (await it first and send the result)';
      }
      if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef) {
        return 'WeakMap, WeakSet and WeakRef cannot cross a worker boundary';
      }
      return undefined;
    default:
      return undefined;
  }
}

/** For an instance of a class that declares methods. */
export function classInstanceReason(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  const label = typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'a class instance';
  return `${label} has methods, which cannot cross a worker boundary (send its data as a plain object)`;
}
