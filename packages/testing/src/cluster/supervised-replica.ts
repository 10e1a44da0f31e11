import type { WriteStream } from 'node:fs';
import { spawnService, type ServiceProcess } from '../processes';
import type { ShopProcessName } from '../shop-processes';
import type { ReplicaSpec } from './topology';

/** One entry of `replicas.json`: a running process. */
export interface ReplicaEntry {
  id: string;
  service: ShopProcessName;
  pid: number;
  host: string;
  port: number;
}

/**
 * One replica under supervision: started, and started again whenever its process ends while the
 * cluster is not stopping (after a short back-off that grows while it keeps failing).
 */
export class SupervisedReplica {
  private current: ServiceProcess | undefined;
  private pid: number | undefined;
  /** Resolved when the current process is ready; replaced by a pending one whenever a process ends. */
  private readiness = deferred();
  private loop: Promise<void> | undefined;

  constructor(
    readonly spec: ReplicaSpec,
    private readonly how: {
      entry: string;
      env: Record<string, string>;
      log: WriteStream;
      readyTimeoutMs: number;
      changed: () => void;
      event: (message: string) => void;
      stopping: () => boolean;
    },
  ) {}

  entry(): ReplicaEntry | undefined {
    const { id, service, host, port } = this.spec;
    return this.pid === undefined ? undefined : { id, service, pid: this.pid, host, port };
  }

  ready(): Promise<void> {
    return this.readiness.promise;
  }

  /** Resolves once the first process is ready; supervision goes on in the background. */
  start(): Promise<void> {
    let firstReady!: () => void;
    let firstFailed!: (error: unknown) => void;
    const first = new Promise<void>((resolve, reject) => ((firstReady = resolve), (firstFailed = reject)));
    this.loop = this.supervise(firstReady, firstFailed);
    return first;
  }

  private async supervise(firstReady: () => void, firstFailed: (error: unknown) => void): Promise<void> {
    let failures = 0;
    let started = false;
    while (!this.how.stopping()) {
      try {
        this.current = await this.spawn();
      } catch (error) {
        this.forget();
        if (!started) return firstFailed(error);
        failures += 1;
        this.how.event(`${this.spec.id} did not become ready (${(error as Error).message.split('\n')[0]}); trying again`);
        await delay(Math.min(5_000, 250 * 2 ** failures));
        continue;
      }
      if (this.how.stopping()) {
        // Became ready while the cluster was stopping: stop() saw the previous process, not this one.
        await this.current.stop();
        this.forget();
        return;
      }
      this.readiness.resolve();
      if (!started) firstReady();
      else this.how.event(`${this.spec.id} is ready again (pid ${this.pid})`);
      started = true;
      failures = 0;
      const how = await this.current.exited;
      this.readiness = deferred();
      this.forget();
      if (this.how.stopping()) return;
      this.how.event(`${this.spec.id} (pid ${this.current.child.pid}) exited (${how}); starting it again`);
      await delay(200);
    }
  }

  private spawn(): Promise<ServiceProcess> {
    return spawnService({
      name: this.spec.service,
      entry: this.how.entry,
      env: this.how.env,
      readyUrl: `http://${this.spec.host}:${this.spec.port}/ready`,
      timeoutMs: this.how.readyTimeoutMs,
      onOutput: (text) => this.how.log.write(text),
      keepOutputChars: 20_000,
      ownProcessGroup: true,
      onSpawn: (child) => {
        this.pid = child.pid;
        this.how.changed();
      },
    });
  }

  /** The process is gone: its entry leaves `replicas.json` at once. */
  private forget(): void {
    this.pid = undefined;
    this.how.changed();
  }

  async stop(): Promise<void> {
    await this.current?.stop();
    await this.loop?.catch(() => undefined);
    this.how.log.end();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

