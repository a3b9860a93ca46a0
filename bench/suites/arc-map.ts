/**
 * A large Map<string, string> read by N threads: `Arc<Map>` (one shared hash index, each
 * thread's view decodes only what it looks up) against a copy per thread (the Map moved into
 * each thread, i.e. structured-cloned once per thread) and against `Arc<{ map }>` (the Map
 * inside an object: one shared blob, decoded whole by each thread, as every Arc was before).
 * Every case spawns the same threads and does the same lookups; a row of threads that only
 * start and join shows what spawning itself costs.
 *
 *   npm run bench -- arc-map
 */
import { Arc, move, spawn } from 'fearless';
import { median, printTable, type Row } from '../lib.js';

const ENTRIES = 200_000;
const THREADS = 4;
const LOOKUPS = 5_000;
const ROUNDS = 3;

/** Median wall-clock seconds of `round` (after one warm-up round, which also starts the workers). */
async function seconds(round: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index <= ROUNDS; index++) {
    const began = process.hrtime.bigint();
    await round();
    if (index > 0) times.push(Number(process.hrtime.bigint() - began) / 1e9);
  }
  return median(times);
}

export default async function arcMapSuite(): Promise<void> {
  const map = new Map<string, string>();
  for (let index = 0; index < ENTRIES; index++) map.set(`term-${index}`, `definition of term number ${index}`);
  const slices = Array.from({ length: THREADS }, (_, thread) => Array.from({ length: LOOKUPS }, (_, index) => `term-${(index * THREADS + thread) * 7 % ENTRIES}`));
  const shared = new Arc(map);
  const wrapped = new Arc({ map });

  const spawnOnly = await seconds(() => Promise.all(slices.map((slice) => spawn(move(slice), (slice) => slice.length).join())));
  const view = await seconds(() =>
    Promise.all(
      slices.map((slice) =>
        spawn(move(shared.clone(), slice), (arc, slice) => {
          const glossary = arc.get();
          let chars = 0;
          for (const key of slice) chars += glossary.get(key)?.length ?? 0;
          return chars;
        }).join(),
      ),
    ),
  );
  const copies = await seconds(() =>
    Promise.all(
      slices.map((slice) =>
        spawn(move(map, slice), (glossary, slice) => {
          let chars = 0;
          for (const key of slice) chars += glossary.get(key)?.length ?? 0;
          return chars;
        }).join(),
      ),
    ),
  );
  const blob = await seconds(() =>
    Promise.all(
      slices.map((slice) =>
        spawn(move(wrapped.clone(), slice), (arc, slice) => {
          const glossary = arc.get().map;
          let chars = 0;
          for (const key of slice) chars += glossary.get(key)?.length ?? 0;
          return chars;
        }).join(),
      ),
    ),
  );

  const label = `${THREADS} threads × ${LOOKUPS} lookups in a ${ENTRIES / 1000}k-entry Map`;
  const rows: Row[] = [
    { name: `${THREADS} threads: spawn + join only`, value: spawnOnly * 1000, unit: 'ms' },
    { name: `${label}: Arc<Map> view`, value: view * 1000, unit: 'ms' },
    { name: `${label}: Map moved (cloned) per thread`, value: copies * 1000, unit: 'ms', baseline: `${label}: Arc<Map> view`, better: 'higher' },
    { name: `${label}: Arc<{ map }> decoded per thread`, value: blob * 1000, unit: 'ms', baseline: `${label}: Arc<Map> view`, better: 'higher' },
  ];
  printTable('Arc<Map>: one shared index vs a copy per thread (wall-clock, lower is better)', rows);
  console.log('\n(ratio = that time / the Arc<Map> view time: how many times slower a copy per thread is)');
}
