/**
 * Recursive and deeply nested types check to the end: no "Type instantiation is excessively
 * deep" (TS2589), no silent give-up — a bad field at the bottom is still found and named.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSnippets, type SnippetDiagnostic } from './compile.js';

const depth = 30;

/** `{ l1: { l2: … { l30: leaf } } }` as a type. */
function nestedType(leaf: string): string {
  let type = leaf;
  for (let level = depth; level >= 1; level--) type = `{ l${level}: ${type} }`;
  return type;
}

/** The same shape as an object literal. */
function nestedLiteral(leaf: string): string {
  let value = leaf;
  for (let level = depth; level >= 1; level--) value = `{ l${level}: ${value} }`;
  return value;
}

const snippets = {
  linkedList: `interface ListNode { value: number; next: ListNode | null }
declare const list: ListNode;
post(list);
const proof: IsSend<ListNode> = true;`,
  linkedListBad: `interface ListNode { value: number; next: ListNode | null; onVisit: () => void }
declare const list: ListNode;
post(list);`,
  tree: `interface Tree { label: string; children: Tree[]; index?: Map<string, Tree>; parent?: Tree }
declare const tree: Tree;
post(tree);
post({ label: 'root', children: [tree, { label: 'leaf', children: [] }] });
const proof: IsSend<Tree> = true;`,
  treeBad: `interface Tree { label: string; children: Tree[]; pending?: Promise<Tree> }
declare const tree: Tree;
post(tree);`,
  mutual: `interface Department { name: string; people: Person[] }
interface Person { name: string; department: Department; manager?: Person; reports: Set<Person> }
declare const person: Person;
post(person);
const proof: IsSend<Department> = true;`,
  mutualBad: `interface Department { name: string; people: Person[] }
interface Person { name: string; department: Department; greet(): string }
declare const department: Department;
post(department);`,
  // Json[] directly in a union alias: an eagerly mapped array would recurse forever here.
  json: `type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
declare const document: Json;
post(document);
const proof: IsSend<Json> = true;`,
  genericTree: `interface Node<Value> { value: Value; children: Node<Value>[] }
declare const numbers: Node<number>;
declare const callbacks: Node<() => void>;
post(numbers);
const proof: IsSend<Node<() => void>> = false;`,
  nestedType: `type Deep = ${nestedType('number[]')};
declare const deep: Deep;
post(deep);
const proof: IsSend<Deep> = true;`,
  nestedLiteral: `post(${nestedLiteral('[1, 2]')});`,
  nestedArrays: `declare const cube: number${'[]'.repeat(depth)};
post(cube);`,
  nestedBad: `type Deep = ${nestedType('{ cb: () => void }')};
declare const deep: Deep;
post(deep);`,
  nestedLiteralBad: `post(${nestedLiteral('{ cb: () => {} }')});`,
};

let results: Map<string, SnippetDiagnostic[]>;
beforeAll(() => {
  results = compileSnippets(snippets);
}, 60_000);

function diagnostics(name: keyof typeof snippets): SnippetDiagnostic[] {
  const found = results.get(name) ?? [];
  // Never "excessively deep" (TS2589) nor "possibly infinite" (TS2590), whatever else happens.
  expect(found.filter((diagnostic) => diagnostic.code === 2589 || diagnostic.code === 2590)).toEqual([]);
  return found;
}

describe('recursive types that are Send check without errors', () => {
  it.each(['linkedList', 'tree', 'mutual', 'json', 'genericTree'] as const)('%s', (name) => {
    expect(diagnostics(name)).toEqual([]);
  });
});

describe('recursive types that are not Send are reported with the field and the reason', () => {
  it('a linked list node with a callback', () => {
    const [only, ...rest] = diagnostics('linkedListBad');
    expect(rest).toEqual([]);
    expect(only?.text).toContain("property 'onVisit'");
    expect(only?.text).toContain('functions cannot cross a worker boundary');
  });

  it('a tree holding a Promise of itself', () => {
    const [only, ...rest] = diagnostics('treeBad');
    expect(rest).toEqual([]);
    expect(only?.text).toContain("property 'pending'");
    expect(only?.text).toContain('a Promise or thenable cannot cross a worker boundary');
  });

  it('mutually recursive interfaces with a method', () => {
    const [only, ...rest] = diagnostics('mutualBad');
    expect(rest).toEqual([]);
    expect(only?.text).toContain("property 'greet'");
    expect(only?.text).toContain('functions cannot cross a worker boundary');
  });
});

describe(`${depth} levels of nesting`, () => {
  it.each(['nestedType', 'nestedLiteral', 'nestedArrays'] as const)('%s checks without errors', (name) => {
    expect(diagnostics(name)).toEqual([]);
  });

  it('a function at the bottom of a nested type is found, with the path to it', () => {
    const [only, ...rest] = diagnostics('nestedBad');
    expect(rest).toEqual([]);
    const path = Array.from({ length: depth }, (_, index) => `l${index + 1}`).join('.');
    expect(only?.text).toContain(`The types of '${path}.cb' are incompatible`);
    expect(only?.text).toContain('functions cannot cross a worker boundary');
  });

  it('a function at the bottom of a nested literal is pointed at', () => {
    const [only, ...rest] = diagnostics('nestedLiteralBad');
    expect(rest).toEqual([]);
    expect(only?.at).toBe('cb');
    expect(only?.text).toContain('functions cannot cross a worker boundary');
  });
});
