import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './processes';

/**
 * Just enough of a Dockerfile parser to check the repository's one image without building it (no image
 * can be built on the test machines): stages, their instructions, what each COPY takes from where, and
 * which repository file a path inside the final image comes from.
 */
export interface DockerInstruction {
  keyword: string;
  /** The arguments as written, continuation lines joined. */
  args: string;
}

export interface DockerStage {
  /** `FROM image AS name`: the name, or the stage's index when it has none. */
  name: string;
  image: string;
  workdir: string;
  instructions: DockerInstruction[];
}

export interface DockerCopy {
  /** The stage it copies from, or undefined for the build context (the repository). */
  from?: string;
  /** Absolute paths for a stage, context-relative paths for the repository. */
  sources: string[];
  /** Absolute, in the image; ends with `/` when written so (copied into that directory). */
  dest: string;
}

export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of logical) {
    const [, keyword, args] = /^(\w+)\s*(.*)$/.exec(line) ?? [];
    if (!keyword) throw new Error(`Dockerfile: cannot read "${line}"`);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      // A stage built FROM another starts in that one's working directory.
      const workdir = stages.find((s) => s.name === image)?.workdir ?? '/';
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : String(stages.length), image, workdir, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${upper} before FROM`);
    if (upper === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, args);
    stage.instructions.push({ keyword: upper, args });
  }
  return stages;
}

export function readRepositoryDockerfile(): DockerStage[] {
  return parseDockerfile(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
}

/** Exec-form arguments (`["node", "x.js"]`) as a list; shell form split on spaces. */
export function execArgs(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
}

export function copiesOf(stage: DockerStage): DockerCopy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const words = execArgs(i.args);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = words.filter((w) => !w.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      const raw = paths.at(-1)!;
      const resolved = path.posix.resolve(stage.workdir, raw);
      // A trailing slash (or `.`) means "into this directory"; resolving would drop it.
      const dest = (raw.endsWith('/') || raw === '.') && !resolved.endsWith('/') ? `${resolved}/` : resolved;
      return { from, sources: paths.slice(0, -1), dest };
    });
}

/**
 * Where the final stage's file `imagePath` (absolute, or relative to its WORKDIR) comes from: the stage
 * (undefined: the build context) and the repository path, since every stage here works in the repository's
 * layout. Undefined when no COPY of the final stage covers it. The Dockerfile writes a copy into a
 * directory (`COPY x/package.json x/`: it keeps its name) with a trailing slash, and a copy of a directory
 * without one (`COPY x/dist x/dist`: it becomes the destination), so the shape of each COPY says which.
 */
export function repositoryPathOf(stages: DockerStage[], imagePath: string): { stage?: string; repoPath: string } | undefined {
  const final = stages.at(-1)!;
  const target = path.posix.resolve(final.workdir, imagePath);
  // A later COPY overwrites an earlier one, so the last that covers the path wins.
  for (const copy of copiesOf(final).reverse()) {
    const from = copy.from ? stages.find((s) => s.name === copy.from) : undefined;
    for (const source of copy.sources) {
      const repoPath = from ? path.posix.relative(from.workdir, path.posix.resolve(from.workdir, source)) : path.posix.normalize(source);
      const landsAt = copy.dest.endsWith('/') ? path.posix.join(copy.dest, path.posix.basename(repoPath)) : copy.dest;
      if (target === landsAt || target.startsWith(`${landsAt}/`)) return { stage: copy.from, repoPath: path.posix.join(repoPath, target.slice(landsAt.length)) };
    }
  }
  return undefined;
}

/**
 * For a file the image runs (`gateway/dist/index.js`): the repository file it is (`npm run build`'s
 * output, copied from the stage that ran the build) and the TypeScript source that compiles to it.
 * Throws, saying why, when the image would not have it.
 */
export function compiledEntryOf(stages: DockerStage[], imagePath: string): { built: string; source: string } {
  const origin = repositoryPathOf(stages, imagePath);
  if (!origin) throw new Error(`${imagePath}: no COPY of the final stage puts it in the image`);
  const builder = stages.find((s) => s.name === origin.stage);
  if (!builder?.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args))) {
    throw new Error(`${imagePath}: copied from ${origin.stage ?? 'the build context'}, not from the stage that runs \`npm run build\``);
  }
  const compiled = /^(.+)\/dist\/(.+)\.js$/.exec(origin.repoPath);
  if (!compiled) throw new Error(`${imagePath}: ${origin.repoPath} is not compiled output (<package>/dist/*.js)`);
  const [, pkg, file] = compiled;
  const source = `${pkg}/src/${file}.ts`;
  if (!existsSync(path.join(REPO_ROOT, source))) throw new Error(`${imagePath}: no ${source} compiles to it`);
  // `npm run build` is `tsc -b tsconfig.build.json`: it compiles the packages that file references.
  const built = readFileSync(path.join(REPO_ROOT, 'tsconfig.build.json'), 'utf8').includes(`"path": "${pkg}/tsconfig.build.json"`);
  if (!built) throw new Error(`${imagePath}: tsconfig.build.json does not reference ${pkg}, so \`npm run build\` skips it`);
  return { built: origin.repoPath, source };
}
