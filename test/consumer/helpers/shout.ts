// A TypeScript helper module that threads import (consumer step: tsx and vitest).
export function shout(text: string): string {
  return `${text.toUpperCase()}!`;
}
