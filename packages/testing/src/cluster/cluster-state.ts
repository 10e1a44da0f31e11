// What a cluster keeps between runs (secrets, certificate), and what it checks and clears before it starts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SUBGRAPH_NAMES, type SubgraphName } from '@storefront/contracts';
import { REPO_ROOT } from '../processes';
import { eventually } from '../shop-processes';
import type { ReplicaEntry } from './supervised-replica';
import type { ClusterPorts } from './topology';

export interface Secrets {
  jwt: string;
  subgraphs: Record<SubgraphName, string>;
}

/** The cluster's secrets, made once and kept (tokens stay valid across restarts of the cluster). */
export function loadOrMakeSecrets(file: string): Secrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secret = (bytes: number) => randomBytes(bytes).toString('base64url');
  const secrets: Secrets = { jwt: secret(36), subgraphs: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, secret(24)])) as Record<SubgraphName, string> };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** A self-signed certificate for localhost and 127.0.0.1, made once with openssl. */
export function makeCertificateIfMissing(pem: string): void {
  if (existsSync(pem)) return;
  const key = `${pem}.key`;
  const cert = `${pem}.crt`;
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '825', '-subj', '/CN=localhost'];
  args.push('-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert);
  if (spawnSync('openssl', args, { stdio: 'ignore' }).status !== 0) throw new Error('openssl could not make the certificate (is openssl installed?)');
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'), { mode: 0o600 });
  rmSync(key);
  rmSync(cert);
}

/** What `replicas.json` lists (nothing when there is none). Always a whole file: it is renamed into place. */
export function readReplicas(file: string): ReplicaEntry[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReplicaEntry[]) : [];
}

/** A cluster this machine still runs from a run that was killed: its processes are ended first. */
export async function stopLeftovers(replicasFile: string, haproxyPidFile: string, event: (message: string) => void): Promise<void> {
  const pids = readReplicas(replicasFile).map((e) => e.pid);
  if (existsSync(haproxyPidFile)) pids.push(...readFileSync(haproxyPidFile, 'utf8').split(/\s+/).filter(Boolean).map(Number));
  // Only processes that are still this project's (a pid may have been reused by anything since).
  const ours = pids.filter((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return command.includes(REPO_ROOT) || command.includes(path.dirname(haproxyPidFile));
    } catch {
      return false;
    }
  });
  for (const pid of ours) {
    event(`stopping pid ${pid}, left running by an earlier cluster`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await eventually(async () => (ours.every((pid) => !existsSync(`/proc/${pid}`)) ? true : undefined), { timeoutMs: 10_000, what: 'leftover processes to end' });
  rmSync(replicasFile, { force: true });
  rmSync(haproxyPidFile, { force: true });
}

/** Refuses to start while anything (`npm start`, another cluster) holds a public port. */
export async function refuseBusyPorts(ports: ClusterPorts): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (!free) {
      throw new Error(`127.0.0.1:${port} (${name}) is in use: is \`npm start\` or another cluster running? Stop it first.`);
    }
  }
}
