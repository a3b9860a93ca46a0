/**
 * The CLI and the ESLint plugin need packages that the runtime does not (ts-morph,
 * @typescript-eslint/utils): optional peer dependencies, so `npm install fearless` installs
 * fearless alone. When one is missing, the tool that needs it says which and how to install it,
 * instead of Node's "Cannot find package" from deep inside.
 */

/** A tool of this package was used without the optional peer dependency it needs. */
export class MissingPeerError extends Error {
  override readonly name = 'MissingPeerError';
  readonly code = 'FEARLESS_MISSING_PEER';
  constructor(
    readonly packageName: string,
    feature: string,
  ) {
    super(`${feature} needs the package ${packageName}, an optional peer dependency of fearless that is not installed; install it with \`npm install --save-dev ${packageName}\``);
  }
}

/** Loads a module of this package's tools; a missing peer among `peers` becomes a MissingPeerError. */
export async function loadWithPeers<Module>(load: () => Promise<Module>, feature: string, peers: readonly string[]): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    const missing = missingPeer(error, peers);
    if (missing === undefined) throw error;
    throw new MissingPeerError(missing, feature);
  }
}

/** The peer a module-not-found error is about, if it is one of `peers`. */
export function missingPeer(error: unknown, peers: readonly string[]): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  const message = error instanceof Error ? error.message : String(error);
  // Node: "Cannot find package 'ts-morph' imported from …"; Bun and Deno word it differently but
  // quote the specifier too.
  return peers.find((peer) => new RegExp(`['"\`]${peer.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^'"\`]*)?['"\`]`).test(message));
}
