/**
 * The mutants StrykerJS left alive in modules whose guarding suites start real processes: an in-process
 * mutant cannot reach a child process, so each one is applied to a copy of the code and that group's
 * `processTests` (mutation/groups.cjs) are run against it. A failing run kills the mutant.
 *
 *   npm run mutation:processes [-- group ...] [--only <mutant id,...>]
 *
 * Reads reports/mutation/<group>.json (written by `npm run mutation`), writes
 * reports/mutation/<group>.processes.json, which scripts/mutation.ts folds into the scores.
 */
// @ts-nocheck

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(__dirname, '..');
const groups: Record<string, { processTests?: string[] }> = createRequire(__filename)(path.join(root, 'mutation/groups.cjs'));
const REPORTS = path.join(root, 'reports/mutation');
/** A process suite that outlives this is counted as a kill by timeout, as Stryker counts one. */
const RUN_TIMEOUT_MS = 10 * 60_000;

interface Position {
  line: number;
  column: number;
}
interface Mutant {
  id: string;
  mutatorName: string;
  replacement: string;
  status: string;
  location: { start: Position; end: Position };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set(args.splice(onlyAt, 2)[1].split(',')) : undefined;
const chosen = args.length ? args : Object.keys(groups).filter((name) => groups[name].processTests?.length);

/** Offset of a report position (1-based line and column) in `source`. */
function offsetOf(source: string, { line, column }: Position): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = source.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** Stryker numbers mutants per run; this names one across runs. */
export function mutantKey(file: string, m: Pick<Mutant, 'location' | 'mutatorName' | 'replacement'>): string {
  return `${file}:${m.location.start.line}:${m.location.start.column}:${m.mutatorName}:${m.replacement}`;
}

function applyMutant(source: string, mutant: Mutant): string {
  return source.slice(0, offsetOf(source, mutant.location.start)) + mutant.replacement + source.slice(offsetOf(source, mutant.location.end));
}

/**
 * A copy of the working tree (tracked and untracked files, not node_modules or reports) whose
 * node_modules links the workspaces to the copy's own folders and everything else to the original's.
 */
function makeCopy(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'storefront-mutation-'));
  const skip = new Set(['node_modules', '.git', 'reports', '.stryker-tmp', 'data']);
  cpSync(root, copy, { recursive: true, filter: (from) => !skip.has(path.basename(from)) || path.dirname(from) !== root });
  mkdirSync(path.join(copy, 'node_modules/@storefront'), { recursive: true });
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '@storefront') symlinkSync(path.join(root, 'node_modules', entry), path.join(copy, 'node_modules', entry));
  }
  const workspaces = path.join(root, 'node_modules/@storefront');
  for (const name of readdirSync(workspaces)) {
    const target = path.relative(workspaces, path.resolve(workspaces, readlinkSync(path.join(workspaces, name))));
    symlinkSync(target, path.join(copy, 'node_modules/@storefront', name));
  }
  return copy;
}

/** Runs `tests` in `copy`: Survived when they pass, Killed when they fail, Timeout when they outlive RUN_TIMEOUT_MS. */
function runSuites(copy: string, tests: string[]): { status: 'Killed' | 'Timeout' | 'Survived'; seconds: number } {
  const started = Date.now();
  const run = spawnSync('npx', ['jest', '--ci', '--silent', ...tests], {
    cwd: copy,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
    timeout: RUN_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const status = run.error ? 'Timeout' : run.status === 0 ? 'Survived' : 'Killed';
  return { status, seconds: Math.round((Date.now() - started) / 1000) };
}

if (require.main === module) main();

function main() {
  const copy = makeCopy();
  try {
    for (const name of chosen) {
      const tests = groups[name].processTests ?? [];
      // Unmutated first: a failure here is the copy's or the suites', and would pass for a kill below.
      if (runSuites(copy, tests).status !== 'Survived') throw new Error(`${name}: the process suites fail without any mutant: ${tests.join(', ')}`);
      const report = JSON.parse(readFileSync(path.join(REPORTS, `${name}.json`), 'utf8')) as Report;
      const results: Record<string, { status: 'Killed' | 'Timeout' | 'Survived'; seconds: number }> = {};
      for (const [file, { source, mutants }] of Object.entries(report.files)) {
        const alive = mutants.filter((m) => (m.status === 'Survived' || m.status === 'NoCoverage') && (!only || only.has(m.id)));
        for (const mutant of alive) {
          const target = path.join(copy, file);
          writeFileSync(target, applyMutant(source, mutant));
          const { status, seconds } = runSuites(copy, tests);
          writeFileSync(target, source);
          results[mutantKey(file, mutant)] = { status, seconds };
          console.log(`${name} #${mutant.id} ${file}:${mutant.location.start.line} ${mutant.mutatorName} → ${status}`);
        }
      }
      const out = path.join(REPORTS, `${name}.processes.json`);
      const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
      writeFileSync(out, JSON.stringify({ ...previous, ...results }, null, 2));
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
