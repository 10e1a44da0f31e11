import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The naming rule behind `npm run test:fast` (jest.config.js): a test file that starts real processes is
 * named `*.process.test.ts`, so the fast tier leaves it out. Checked here, or a new process test named
 * `*.test.ts` would quietly make the fast tier slow, and a renamed in-process one would drop out of it.
 */
const root = path.resolve(__dirname, '..');

/** Starting a service (one, the whole shop, or a cluster of them) or anything through child_process. */
const STARTS_PROCESSES = /\b(spawnService|startShopProcesses|startCluster)\b|['"](node:)?child_process['"]/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [path.relative(root, full)] : [];
  });
}

test('exactly the test files that start processes are named *.process.test.ts', () => {
  const files = ['packages', 'subgraphs', 'gateway', 'test']
    .flatMap((dir) => testFiles(path.join(root, dir)))
    .filter((file) => file !== path.relative(root, __filename));
  const starting = files.filter((file) => STARTS_PROCESSES.test(readFileSync(path.join(root, file), 'utf8'))).sort();
  const named = files.filter((file) => file.endsWith('.process.test.ts')).sort();
  expect(named.length).toBeGreaterThan(0);
  expect(starting).toEqual(named);
});
