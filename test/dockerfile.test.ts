import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SUBGRAPHS } from '@storefront/contracts';
import { loadGatewayConfig } from '@storefront/gateway';
import { compiledEntryOf, copiesOf, execArgs, readRepositoryDockerfile, REPO_ROOT, repositoryPathOf, type DockerStage } from '@storefront/testing';

/**
 * No image can be built on the test machines, so this reads the Dockerfile against the repository: its
 * stages, where every COPY takes its files from, that the final stage holds compiled JavaScript and
 * production dependencies only and runs plain `node` as a non-root user. test/compiled-build.process.test.ts
 * builds the JavaScript and checks the rest against the build output, then runs it.
 */

const stages = readRepositoryDockerfile();
const final = stages.at(-1)!;
const stage = (name: string): DockerStage => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};
/** A stage's instructions with those of the stages it is built FROM before them. */
const lineage = (s: DockerStage): DockerStage['instructions'] => {
  const parent = stages.find((p) => p.name === s.image);
  return [...(parent ? lineage(parent) : []), ...s.instructions];
};
const runs = (s: DockerStage) => lineage(s).filter((i) => i.keyword === 'RUN').map((i) => i.args);

const rootPackage = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[]; engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; dependencies?: Record<string, string> }>;
};
const workspaces = rootPackage.workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(path.join(REPO_ROOT, pattern.slice(0, -2)), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(path.join(REPO_ROOT, pattern.slice(0, -2), entry.name, 'package.json')))
        .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
    : [pattern],
);
const packageOf = (dir: string) => JSON.parse(readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
const workspaceByName = new Map(workspaces.map((dir) => [packageOf(dir).name, dir]));

/** The workspace packages a service needs at run time: it and its `@storefront/*` dependencies, transitively. */
function runtimeWorkspaces(dir: string, seen = new Set<string>()): Set<string> {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  for (const dependency of Object.keys(packageOf(dir).dependencies ?? {})) {
    const workspace = workspaceByName.get(dependency);
    if (workspace) runtimeWorkspaces(workspace, seen);
  }
  return seen;
}
const SERVICE_DIRS = [...Object.keys(SUBGRAPHS).map((name) => `subgraphs/${name}`), 'gateway'];

test('a build stage compiles with every dependency, a production-dependencies stage installs without dev dependencies', () => {
  const build = runs(stage('build'));
  const install = build.findIndex((args) => /^npm ci\b/.test(args));
  expect(build[install]).not.toMatch(/--omit|--production/);
  expect(build.findIndex((args) => args === 'npm run build')).toBeGreaterThan(install);
  const sources = lineage(stage('build')).findIndex((i) => i.keyword === 'COPY' && i.args === '. .');
  expect(sources).toBeGreaterThan(lineage(stage('build')).findIndex((i) => i.keyword === 'RUN' && /^npm ci\b/.test(i.args)));

  expect(runs(stage('production-dependencies')).filter((args) => /^npm (ci|install)\b/.test(args))).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
  expect(lineage(stage('production-dependencies')).some((i) => i.keyword === 'COPY' && i.args === '. .')).toBe(false);
});

test('each install sees every workspace package and the lockfile first, so npm ci links them all', () => {
  for (const name of ['build', 'production-dependencies']) {
    const instructions = lineage(stage(name));
    const install = instructions.findIndex((i) => i.keyword === 'RUN' && /^npm ci\b/.test(i.args));
    const before = instructions.slice(0, install).filter((i) => i.keyword === 'COPY');
    const manifests = before.flatMap((i) => [...i.args.matchAll(/(\S+)\/package\.json \1\/$/g)].map((m) => m[1]));
    expect([name, manifests.sort()]).toEqual([name, [...workspaces].sort()]);
    expect(before.some((i) => i.args === 'package.json package-lock.json ./')).toBe(true);
  }
});

test('the final stage starts from plain Node of the supported major, installs and compiles nothing, and takes node_modules only from the production install', () => {
  expect(final.image).toBe('node:20-bookworm-slim');
  expect(rootPackage.engines.node).toMatch(/^>=20\./);
  expect(stages.some((s) => s.name === final.image)).toBe(false);
  // No RUN at all: no build tools, no npm, nothing but what the COPYs bring.
  expect(final.instructions.filter((i) => i.keyword === 'RUN')).toEqual([]);
  const modules = copiesOf(final).filter((copy) => copy.sources.some((source) => /(^|\/)node_modules\/?$/.test(source)));
  expect(modules).toEqual([{ from: 'production-dependencies', sources: ['/app/node_modules'], dest: '/app/node_modules' }]);
  expect(final.instructions).toContainEqual({ keyword: 'ENV', args: 'NODE_ENV=production' });
});

test('no package in the image needs a dev dependency: what the runtime packages declare, npm ci --omit=dev installs', () => {
  const inImage = new Set(SERVICE_DIRS.flatMap((dir) => [...runtimeWorkspaces(dir)]));
  for (const dir of inImage) {
    for (const dependency of Object.keys(packageOf(dir).dependencies ?? {})) {
      if (workspaceByName.has(dependency)) continue;
      const entry = lock.packages[`${dir}/node_modules/${dependency}`] ?? lock.packages[`node_modules/${dependency}`];
      const installed = !entry ? 'not in the lockfile' : entry.dev ? 'dev only' : 'installed';
      expect([dir, dependency, installed]).toEqual([dir, dependency, 'installed']);
    }
  }
  // A runtime package's own node_modules (a version that differs from the root's) would have to be copied too.
  const nested = Object.keys(lock.packages).filter((key) => [...inImage].some((dir) => key.startsWith(`${dir}/node_modules/`)) && !lock.packages[key].dev);
  expect(nested).toEqual([]);
});

test('every COPY source exists: in the repository, or as a stage\'s build output', () => {
  const ignored = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8');
  for (const s of stages) {
    for (const copy of copiesOf(s)) {
      for (const source of copy.sources) {
        if (!copy.from) {
          expect([source, existsSync(path.join(REPO_ROOT, source))]).toEqual([source, true]);
          expect([source, /(^|\/)(dist|node_modules)(\/|$)/.test(source)]).toEqual([source, false]);
          continue;
        }
        // A stage defined before this one, working in the repository's layout.
        const from = stages.findIndex((other) => other.name === copy.from);
        expect([source, from]).toEqual([source, expect.any(Number)]);
        expect(from).toBeGreaterThan(-1);
        expect(from).toBeLessThan(stages.indexOf(s));
        const repoPath = path.posix.relative(stages[from].workdir, source);
        const produced = /^(.+)\/dist$/.exec(repoPath);
        if (produced) {
          // Output of `npm run build` (checked after a real build in compiled-build.process.test.ts).
          expect([source, existsSync(path.join(REPO_ROOT, produced[1], 'tsconfig.build.json'))]).toEqual([source, true]);
        } else if (repoPath === 'node_modules') {
          expect(copy.from).toBe('production-dependencies');
        } else {
          expect([source, existsSync(path.join(REPO_ROOT, repoPath))]).toEqual([source, true]);
        }
      }
    }
  }
  expect(ignored).toMatch(/^\*\*\/dist$/m);
  expect(ignored).toMatch(/^\*\*\/node_modules$/m);
});

test('copies into a directory (dest/) are files, so each lands where the image expects it', () => {
  for (const copy of copiesOf(final).filter((c) => c.dest.endsWith('/'))) {
    for (const source of copy.sources) {
      const repoPath = path.posix.relative('/app', source);
      expect([source, statSync(path.join(REPO_ROOT, repoPath)).isFile()]).toEqual([source, true]);
    }
  }
});

test('it runs as a non-root user, by number', () => {
  const users = final.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
  // Not 0 (root): a number, because Kubernetes' runAsNonRoot cannot check a user name.
  expect(users.at(-1)).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
});

test('its command is compiled JavaScript on plain node, no tsx', () => {
  expect(final.instructions.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
  const [node, entry, ...rest] = execArgs(final.instructions.filter((i) => i.keyword === 'CMD').at(-1)!.args);
  expect([node, rest]).toEqual(['node', []]);
  expect(compiledEntryOf(stages, entry)).toEqual({ built: 'gateway/dist/index.js', source: 'gateway/src/index.ts' });
});

test('every service, its migrate command and every command docker-compose.yml gives the image are in it, compiled', () => {
  for (const name of Object.keys(SUBGRAPHS)) {
    expect(compiledEntryOf(stages, `subgraphs/${name}/dist/index.js`).source).toBe(`subgraphs/${name}/src/index.ts`);
    expect(compiledEntryOf(stages, `subgraphs/${name}/dist/migrate.js`).source).toBe(`subgraphs/${name}/src/migrate.ts`);
  }
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { build?: string; command?: string[] }>;
  };
  const built = Object.entries(compose.services).filter(([, service]) => service.build === '.');
  expect(built.length).toBe(SERVICE_DIRS.length);
  for (const [name, service] of built) {
    const [node, entry] = service.command!;
    expect([name, node]).toEqual([name, 'node']);
    expect(() => compiledEntryOf(stages, entry)).not.toThrow();
  }
});

test('what the services read at run time is in the image: every runtime package, the subgraphs\' SDL files, the supergraph', () => {
  for (const dir of new Set(SERVICE_DIRS.flatMap((service) => [...runtimeWorkspaces(service)]))) {
    // The manifest's `exports` map is how plain Node finds dist/ behind `@storefront/<name>`.
    expect([dir, repositoryPathOf(stages, `${dir}/package.json`)?.repoPath]).toEqual([dir, `${dir}/package.json`]);
    expect([dir, repositoryPathOf(stages, `${dir}/dist/index.js`)?.repoPath]).toEqual([dir, `${dir}/dist/index.js`]);
  }
  for (const name of Object.keys(SUBGRAPHS)) {
    const schemaDir = `subgraphs/${name}/src/schema`;
    for (const file of readdirSync(path.join(REPO_ROOT, schemaDir))) {
      expect(repositoryPathOf(stages, `${schemaDir}/${file}`)?.repoPath).toBe(`${schemaDir}/${file}`);
    }
  }
  // The gateway's default SUPERGRAPH_PATH sits at the same place relative to its code, compiled or not.
  const supergraph = path.relative(REPO_ROOT, loadGatewayConfig({}).supergraphPath);
  expect(supergraph).toBe('supergraph.graphql');
  expect(repositoryPathOf(stages, supergraph)?.repoPath).toBe(supergraph);
});
