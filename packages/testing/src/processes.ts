import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * Ports handed to child processes come from below the kernel's ephemeral range (32768-60999 here):
 * between this pick and the child binding it, which takes seconds with tsx, an in-process server of
 * another test file listening on port 0 (or any outgoing connection) can be given any ephemeral port,
 * never one of these.
 */
const PICK_FROM = 20_000;
const PICK_TO = 32_000;

function tryListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * A port that is free on `host` right now, picked at random below the ephemeral range. A service started
 * on it right after binds it; another process taking it first would fail that start loudly (see
 * spawnService, which also checks that the service answering is the one it started).
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM));
    if (await tryListen(port, host)) return port;
  }
  throw new Error(`No free port found on ${host} between ${PICK_FROM} and ${PICK_TO}`);
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Not compiled (plain CommonJS), so it is read from src/ by the sources and the compiled dist/ alike. */
const EXIT_WITH_PARENT = path.resolve(__dirname, '..', 'src', 'exit-with-parent.cjs');

/**
 * `NODE_OPTIONS` that make a process load modules as in the production image, whose node_modules holds no
 * devDependency (see refuse-dev-dependencies.cjs, plain CommonJS like the file above).
 */
export const AS_IN_PRODUCTION_IMAGE = `--require "${path.resolve(__dirname, '..', 'src', 'refuse-dev-dependencies.cjs')}"`;

/**
 * Node's arguments to run a TypeScript entry point from source: the `development` export condition makes
 * every `@storefront/*` import resolve to the package's sources (its `exports` map), where plain Node
 * would load the compiled `dist/` of `npm run build`; `--import tsx` compiles them on the fly.
 */
export const RUN_FROM_SOURCE = ['--conditions=development', '--import', 'tsx'] as const;

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process printed so far (for assertions and failure messages). */
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | NodeJS.Signals | null>;
  /**
   * SIGINT (drain in-flight requests, no grace period: teardown stays fast), then SIGKILL if it has not
   * exited after `graceMs`. `signal: 'SIGTERM'` stops it the way a load balancer or Kubernetes would.
   */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
  /** SIGKILL: dies at once, mid-request if need be. */
  kill(): Promise<void>;
}

/**
 * Runs a service entry point (`subgraphs/catalog/src/index.ts` with tsx, or its compiled
 * `subgraphs/catalog/dist/index.js`) as a real child process and
 * waits until `readyUrl` answers 200. Used where the point is separate processes: persistence across
 * restarts, crash safety, the benchmark.
 */
export async function spawnService(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyUrl: string;
  timeoutMs?: number;
  /** Called with every chunk the process prints, as it comes. */
  onOutput?: (text: string) => void;
  /** Keep at most this many characters for `output()` (a long-running process); default: everything. */
  keepOutputChars?: number;
  /**
   * Its own process group, out of reach of a terminal's Ctrl-C, so only the parent's orderly stop reaches
   * it (a second SIGINT would cut its drain short); it stops itself if the parent dies.
   */
  ownProcessGroup?: boolean;
  /** Called with the process as soon as it is spawned, before it is ready (a supervisor records its pid). */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<ServiceProcess> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the service in a grandchild, which a SIGKILL
  // of the child would leave running. Here the child *is* the service.
  // A compiled entry point (`dist/index.js` of `npm run build`) runs on plain Node, as in the production image.
  const from = options.entry.endsWith('.ts') ? RUN_FROM_SOURCE : [];
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.ownProcessGroup) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require "${EXIT_WITH_PARENT}"`.trim();
  const child = spawn(process.execPath, [...from, path.join(REPO_ROOT, options.entry)], {
    cwd: REPO_ROOT,
    env,
    detached: options.ownProcessGroup ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.(child);
  let log = '';
  const keep = options.keepOutputChars ?? Infinity;
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    options.onOutput?.(text);
    log += text;
    if (log.length > keep * 2) log = log.slice(-keep); // trimmed now and then, not on every chunk
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const service: ServiceProcess = {
    name: options.name,
    child,
    output: () => (log.length > keep ? log.slice(-keep) : log),
    exited,
    async stop(graceMs = 10_000, signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let ended = false;
  void exited.then(() => (ended = true));
  while (Date.now() < deadline && !ended) {
    try {
      const response = await fetch(options.readyUrl);
      // The service that answers must be the one started here: if another process took the port first,
      // ours exits (EADDRINUSE) and this start fails loudly rather than testing someone else's server.
      const body = (await response.json().catch(() => null)) as { service?: string } | null;
      if (response.ok && body?.service === options.name && !ended) return service;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await service.kill();
  throw new Error(`${options.name} did not become ready at ${options.readyUrl}:\n${log}`);
}

/** The structured log records a process printed so far (pino JSON lines; anything else is skipped). */
export function logRecords(service: ServiceProcess): Record<string, unknown>[] {
  return service
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
