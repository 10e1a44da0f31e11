import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import net from 'node:net';

/** A server of one of HAProxy's backends: `status` is `UP`, `DOWN`, ...; `sessions` are requests on it now. */
export interface BalancerRow {
  backend: string;
  server: string;
  status: string;
  sessions: number;
}

/** Starts HAProxy on `config`, writing its pid to `pidFile`; server state changes go to `event`. */
export function startHaproxy(config: string, pidFile: string, logFile: string, event: (message: string) => void): ChildProcess {
  // `-db`: in the foreground, one process, so it is this child and stops with it. HAProxy writes no pid
  // file in the foreground: this one is ours, for the next start to find it if this run is killed.
  const child = spawn('haproxy', ['-db', '-f', config], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(pidFile, `${child.pid}\n`);
  const log = createWriteStream(logFile, { flags: 'a' });
  let pending = '';
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    // Server state changes are what an operator watching the cluster wants to see.
    // (stderr's copy: the `log stdout` copy of each line carries a syslog header instead)
    for (const line of lines) {
      const change = /^\[(?:WARNING|ALERT)\]\s+\(\d+\) : (.*(?: is (?:UP|DOWN)|has no server available).*)$/.exec(line);
      if (change) event(`haproxy: ${change[1]}`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => log.end());
  return child;
}

/** HAProxy's `show stat` over its runtime API at `socket`, the servers' rows (not the FRONTEND/BACKEND totals). */
export function balancerViewAt(socket: string): Promise<BalancerRow[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    const connection = net.connect(socket, () => connection.end('show stat\n'));
    connection.on('data', (chunk) => (text += chunk));
    connection.on('error', reject);
    connection.on('end', () => {
      const [header, ...rows] = text.trim().split('\n');
      const columns = header.replace(/^# /, '').split(',');
      const at = (name: string) => columns.indexOf(name);
      resolve(
        rows
          .map((row) => row.split(','))
          .filter((cells) => !['FRONTEND', 'BACKEND'].includes(cells[at('svname')]))
          .map((cells) => ({ backend: cells[at('pxname')], server: cells[at('svname')], status: cells[at('status')], sessions: Number(cells[at('scur')]) })),
      );
    });
  });
}

