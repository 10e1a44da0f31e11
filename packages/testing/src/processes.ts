import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/**
 * A port that was free a moment ago on `host`: the OS picks one for a throwaway listener. A service
 * started on it right after binds it (another process taking it first would fail that start loudly).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

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
 * Runs a service entry point (`subgraphs/catalog/src/index.ts`) as a real child process with tsx and
 * waits until `readyUrl` answers 200. Used where the point is separate processes: persistence across
 * restarts, crash safety, the benchmark.
 */
export async function spawnService(options: {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyUrl: string;
  timeoutMs?: number;
}): Promise<ServiceProcess> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the service in a grandchild, which a SIGKILL
  // of the child would leave running. Here the child *is* the service.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, options.entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const service: ServiceProcess = {
    name: options.name,
    child,
    output: () => log,
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
      if (response.ok) return service;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await service.kill();
  throw new Error(`${options.name} did not become ready at ${options.readyUrl}:\n${log}`);
}
