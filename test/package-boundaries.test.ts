import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Packages are entered through their front door: every workspace package declares an `exports` map
 * (sources for development and types, compiled JavaScript otherwise), and no file anywhere imports a
 * path of another package that the map does not export (`@storefront/catalog/src/...`).
 */

const root = path.resolve(__dirname, '..');
type Manifest = { name: string; exports?: Record<string, string | Record<string, string>> };

const workspaceDirs = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.flatMap(
  (pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(path.join(root, pattern.slice(0, -2)))
          .map((name) => `${pattern.slice(0, -2)}/${name}`)
          .filter((dir) => existsSync(path.join(root, dir, 'package.json')))
      : [pattern],
);
const manifests = new Map(
  workspaceDirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Manifest;
    return [manifest.name, { dir, manifest }];
  }),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return ['node_modules', 'dist', 'generated', '.stryker-tmp', 'reports', 'data'].includes(entry.name) ? [] : sourceFiles(rel);
    return /\.(ts|tsx|js|cjs|mjs)$/.test(entry.name) ? [rel] : [];
  });
}

test.each(workspaceDirs)('%s has an exports map: sources for development and types, compiled JavaScript to run', (dir) => {
  const { exports } = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as Manifest;
  const main = exports?.['.'];
  expect(main).toEqual({ types: expect.stringMatching(/^\.\/src\/.+\.ts$/), development: expect.stringMatching(/^\.\/src\/.+\.ts$/), default: expect.stringMatching(/^\.\/dist\/.+\.js$/) });
  for (const [subpath, target] of Object.entries(exports!)) {
    if (typeof target === 'string') continue; // ./package.json
    expect([subpath, existsSync(path.join(root, dir, target.development))]).toEqual([subpath, true]);
  }
  // A service's entry point only exports: the file that starts the process is src/index.ts, never imported.
  if (existsSync(path.join(root, dir, 'src', 'exports.ts'))) expect((main as Record<string, string>).development).toBe('./src/exports.ts');
});

test('no file imports a path another package does not export', () => {
  const offenders: string[] = [];
  for (const file of ['packages', 'subgraphs', 'gateway', 'clients', 'scripts', 'test'].flatMap(sourceFiles)) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const [, name, subpath] of text.matchAll(/['"](@storefront\/[a-z-]+)(\/[^'"]*)?['"]/g)) {
      const target = manifests.get(name);
      if (!target) {
        offenders.push(`${file}: ${name} is not a workspace package`);
        continue;
      }
      const exported = Object.keys(target.manifest.exports ?? {});
      if (!exported.includes(subpath ? `.${subpath}` : '.')) offenders.push(`${file}: ${name}${subpath ?? ''}`);
    }
  }
  expect(offenders).toEqual([]);
});
