/**
 * Mutation testing over the modules that hold the rules (mutation/groups.cjs), one StrykerJS run per
 * group, then a score per module:
 *
 *   npm run mutation [-- group ...]      (default: every group; see README "Mutation testing")
 *
 * Runs are incremental: a group's second run retests only the mutants whose code or covering tests
 * changed. Reports: reports/mutation/<group>.html, .json; scores: reports/mutation/scores.md.
 * Too slow for CI on two cores (README gives the time).
 */
// @ts-nocheck

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(__dirname, '..');
const groups: Record<string, { mutate: string[] }> = createRequire(__filename)(path.join(root, 'mutation/groups.cjs'));
const REPORTS = path.join(root, 'reports/mutation');

const asked = process.argv.slice(2);
for (const name of asked) if (!groups[name]) throw new Error(`unknown group ${name}; groups: ${Object.keys(groups).join(', ')}`);
const chosen = asked.length ? asked : Object.keys(groups);

interface Report {
  files: Record<string, { mutants: { status: string }[] }>;
}

/** Stryker's score: detected (killed or timed out) over valid mutants; compile errors and ignored ones don't count. */
function score(mutants: { status: string }[]) {
  const count = (s: string) => mutants.filter((m) => m.status === s).length;
  const detected = count('Killed') + count('Timeout');
  const undetected = count('Survived') + count('NoCoverage');
  return { detected, undetected, ignored: count('Ignored'), errors: count('CompileError') + count('RuntimeError'), score: (100 * detected) / (detected + undetected || 1) };
}

mkdirSync(REPORTS, { recursive: true });
const timings: string[] = [];
for (const name of chosen) {
  const started = Date.now();
  console.log(`== mutation: ${name}`);
  execFileSync('npx', ['stryker', 'run'], { cwd: root, stdio: 'inherit', env: { ...process.env, MUTATION_GROUP: name, APOLLO_TELEMETRY_DISABLED: '1' } });
  timings.push(`${name}: ${Math.round((Date.now() - started) / 60_000)} min`);
}

const rows = ['| module | score | killed | survived | compile errors | ignored |', '|---|--:|--:|--:|--:|--:|'];
for (const name of Object.keys(groups)) {
  const file = path.join(REPORTS, `${name}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  for (const [module, { mutants }] of Object.entries(report.files)) {
    const s = score(mutants);
    rows.push(`| ${path.relative(root, path.resolve(root, module))} | ${s.score.toFixed(1)}% | ${s.detected} | ${s.undetected} | ${s.errors} | ${s.ignored} |`);
  }
}
writeFileSync(path.join(REPORTS, 'scores.md'), `${rows.join('\n')}\n`);
console.log(`\n${rows.join('\n')}\n\n${timings.join('\n')}`);
