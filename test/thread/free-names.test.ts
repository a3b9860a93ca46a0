import { describe, expect, it } from 'vitest';
import { freeNames } from '../../dist/src/thread/free-names.js';

const names = (source: string) => freeNames(source).filter((use) => !use.typeofOnly).map((use) => (use.property === undefined ? use.name : `${use.name}.${use.property}`));

describe('freeNames (the parser behind the spawn-time check)', () => {
  it.each([
    ['(a, { b, c: [d = e] }, ...f) => a + b + d + f.length + g', ['e', 'g']],
    ['function named() { return named + arguments.length + x }', ['x']],
    ['() => arguments', ['arguments']],
    ['() => { var late; { late = 1; let inner = 2; } return inner + late }', ['inner']],
    ['() => { hoisted(); function hoisted() {} }', []],
    ['() => { try {} catch ({ message }) { return message + other } }', ['other']],
    ['() => { class A extends Base { static s = A; #p = 1; m() { return this.#p + outside } } }', ['Base', 'outside']],
    ['() => { for (const [k, v] of list) use(k, v) }', ['list', 'use']],
    ['() => { label: for (;;) { break label } }', []],
    ['() => ({ key: 1, [computed]: 2, short, method() { return inner } })', ['computed', 'short', 'inner']],
    ['() => { let a, b; [a, b = dflt] = [1]; ({ a, ...b } = obj) }', ['dflt', 'obj']],
    ['() => { undeclared = 1 }', ['undeclared']],
    ['() => typeof maybe + (0, mod_1.fn)() + lib.deep.x', ['mod_1.fn', 'lib.deep']],
    ['async function* g() { for await (const x of source) yield x }', ['source']],
    ['() => import.meta.url', ['import.meta']],
  ])('%s', (source, expected) => {
    expect(names(source)).toEqual(expected);
  });

  it('marks typeof-only and called uses', () => {
    const [maybe, counter] = freeNames('() => { typeof maybe; cov_abc().s[1]++ }');
    expect(maybe).toMatchObject({ name: 'maybe', typeofOnly: true });
    expect(counter).toMatchObject({ name: 'cov_abc', called: true, typeofOnly: false });
  });
});
