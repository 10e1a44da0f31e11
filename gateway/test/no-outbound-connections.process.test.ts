import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, RUN_FROM_SOURCE } from '@storefront/testing';
import { signDevToken } from '../src/auth';
import { DEV_JWT_SECRET } from '../src/config';

/**
 * Nothing leaves the machine unless the operator asks. The real gateway process runs inside a network
 * namespace that has only loopback (so nothing it tries can get out), under strace, which writes down
 * every address it tries to reach: connect(), and sendto()/sendmsg() with a destination (UDP, DNS).
 * Any address outside 127.0.0.0/8 and ::1 fails the test. The environment has neither
 * APOLLO_TELEMETRY_DISABLED nor our opt-in variable: the gateway's own code must keep Apollo quiet.
 *
 * Any dependency added to the gateway (tracing, metrics) is held to this test as it stands.
 */

const STRACE_FILTER = 'trace=connect,sendto,sendmsg';

/** The socket addresses in strace's output, e.g. `inet_addr("169.254.169.254")`, `inet_pton(AF_INET6, "::1", ...)`. */
export function addressesIn(trace: string): string[] {
  const found: string[] = [];
  for (const line of trace.split('\n')) {
    if (!/\b(connect|sendto|sendmsg)\(/.test(line)) continue;
    for (const m of line.matchAll(/inet_addr\("([^"]+)"\)/g)) found.push(m[1]);
    for (const m of line.matchAll(/inet_pton\(AF_INET6,\s*"([^"]+)"/g)) found.push(m[1]);
  }
  return found;
}

export function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return /^127\.\d+\.\d+\.\d+$/.test(v4) || address === '::1';
}

interface TracedRun {
  addresses: string[];
  output: string;
}

/**
 * Runs `command` (argv) inside `unshare -n` with loopback up, under strace, for as long as `script`
 * (a shell snippet run beside it in the namespace, with `$PID` set) takes; returns every address tried.
 */
function traced(command: string[], env: Record<string, string | undefined>, script: string): Promise<TracedRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'storefront-netns-'));
  const trace = path.join(dir, 'trace.txt');
  const runner = path.join(dir, 'run.sh');
  const quoted = command.map((c) => `'${c.replace(/'/g, `'\\''`)}'`).join(' ');
  writeFileSync(
    runner,
    [
      'set -u',
      'ip link set lo up',
      `strace -f -qq -e ${STRACE_FILTER} -e signal=none -o '${trace}' ${quoted} &`,
      'PID=$!',
      script,
      // SIGINT the traced program (strace's child), not strace, which would detach and leave it running
      // (SIGINT: no shutdown grace period to wait through).
      'pkill -INT -P $PID 2>/dev/null',
      'wait $PID 2>/dev/null',
      'exit 0',
    ].join('\n'),
  );
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-n', 'sh', runner], { cwd: REPO_ROOT, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`unshare run failed (${code}):\n${output}`);
        resolve({ addresses: addressesIn(readFileSync(trace, 'utf8')), output });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The environment a user's shell might have, minus every switch that would quiet Apollo for us. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', NODE_ENV: 'development', ...extra };
  delete env.APOLLO_TELEMETRY_DISABLED;
  if (!('GATEWAY_APOLLO_TELEMETRY' in extra)) delete env.GATEWAY_APOLLO_TELEMETRY;
  return env;
}

/** Waits for the gateway inside the namespace, sends it a query (planning and a subgraph fetch), then gives its background work time. */
const EXERCISE_GATEWAY = `
node -e '
const url = "http://127.0.0.1:" + process.env.GATEWAY_PORT;
(async () => {
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(url + "/health")).ok) break; } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  const body = JSON.stringify({ query: "{ products(first: 1) { edges { node { id name } } } }" });
  const res = await fetch(url + "/", { method: "POST", headers: { "content-type": "application/json" }, body });
  console.log("query status", res.status);
  await fetch(url + "/ready").catch(() => {});
})();
'
sleep 8
`;

const GATEWAY = [process.execPath, ...RUN_FROM_SOURCE, 'gateway/src/index.ts'];

/**
 * `npm start` (every service, default ports: the namespace has its own) taken through a whole purchase:
 * browse, add to cart, check out (catalog internal API, cart claim, outbox relay), history. Every
 * process the project starts is traced (strace -f follows the children).
 */
const START_ALL = [process.execPath, ...RUN_FROM_SOURCE, 'scripts/start-all.ts'];
const EXERCISE_SHOP = `
node -e '
const url = "http://127.0.0.1:4000/";
const gql = async (query, variables, token) => {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: "Bearer " + token } : {}) }, body: JSON.stringify({ query, variables }) });
  return res.json();
};
(async () => {
  for (let i = 0; i < 600; i++) {
    // Every subgraph ready as the gateway sees it (under strace they come up slowly), and the demo catalog loaded.
    try { const ready = await (await fetch(url + "ready")).json(); if (Object.values(ready.subgraphs).every((s) => s === "ready") && (await gql("{ products(first: 1) { edges { node { id } } } }")).data?.products) break; } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  const token = process.env.SHOP_TOKEN;
  const products = await gql("{ products(first: 2) { edges { node { variants { id } } } } }");
  const variantId = products.data.products.edges[0].node.variants[0].id;
  const added = await gql("mutation($v: ID!) { addToCart(variantId: $v, quantity: 1) { userErrors { code } cart { totalQuantity } } }", { v: variantId }, token);
  const order = await gql("mutation($input: CheckoutInput!) { checkout(input: $input) { order { number } userErrors { code } } }", { input: { idempotencyKey: "netns-1" } }, token);
  const history = await gql("{ me { orders(first: 5) { totalCount } } }", {}, token);
  console.log("shop", JSON.stringify({ added: added.data?.addToCart ?? added, order: order.data?.checkout ?? order, history: history.data?.me ?? history }));
})();
'
sleep 8
`;

describe('no process the project starts opens a connection beyond loopback', () => {
  test('started with a clean environment, it only ever tries loopback addresses', async () => {
    const run = await traced(GATEWAY, cleanEnv({ GATEWAY_PORT: '4999' }), EXERCISE_GATEWAY);
    expect(run.output).toContain('query status 200');
    // The query reached for the catalog on loopback: the trace does record connections.
    expect(run.addresses).toContain('127.0.0.1');
    expect(run.addresses.filter((a) => !isLoopback(a))).toEqual([]);
  }, 120_000);

  test('npm start: every service, through a whole purchase, only ever tries loopback addresses', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'storefront-netns-data-'));
    try {
      const token = await signDevToken({ userId: 'netns-shopper', secret: DEV_JWT_SECRET });
      // Under strace -f every syscall is slowed down: this test is about addresses, not latency, so the
      // timeouts (3 s to a subgraph, 2.5 s between services by default) are relaxed.
      const slow = { GATEWAY_SUBGRAPH_TIMEOUT_MS: '30000', GATEWAY_BREAKER_WINDOW_MS: '60000', INTERNAL_CALL_TIMEOUT_MS: '20000' };
      const env = cleanEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', SHOP_TOKEN: token, ...slow });
      const run = await traced(START_ALL, env, EXERCISE_SHOP);
      const shop = /^shop (\{.*)$/m.exec(run.output);
      if (!shop) throw new Error(`the purchase did not run:\n${run.output.slice(-4000)}`);
      const result = JSON.parse(shop![1]);
      expect(result.added).toEqual({ userErrors: [], cart: { totalQuantity: 1 } });
      expect(result.order.order.number).toMatch(/^SF-/);
      expect(result.history).toEqual({ orders: { totalCount: 1 } });
      // Gateway to subgraphs, cart and order to the catalog, order to the cart: all traced, all loopback.
      expect(run.addresses.length).toBeGreaterThan(4);
      expect(run.addresses.filter((a) => !isLoopback(a))).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  test('control: the same harness catches a deliberate outside connection', async () => {
    const probe = [process.execPath, '-e', `require('net').connect(80, '192.0.2.7').on('error', () => {}); setTimeout(() => {}, 500);`];
    const run = await traced(probe, cleanEnv(), 'sleep 2');
    expect(run.addresses).toContain('192.0.2.7');
  }, 60_000);

  test('control: an operator who opts in (GATEWAY_APOLLO_TELEMETRY=true) gets Apollo telemetry, and the harness sees it', async () => {
    const run = await traced(GATEWAY, cleanEnv({ GATEWAY_PORT: '4999', GATEWAY_APOLLO_TELEMETRY: 'true' }), EXERCISE_GATEWAY);
    expect(run.output).toContain('query status 200');
    expect(run.addresses.filter((a) => !isLoopback(a)).length).toBeGreaterThan(0);
  }, 120_000);
});

test('strace addresses are parsed for IPv4, IPv6 and UDP sends', () => {
  const sample = [
    '123 connect(21, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("169.254.169.254")}, 16) = -1 ENETUNREACH',
    '124 connect(22, {sa_family=AF_INET6, sin6_port=htons(4001), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    '125 sendto(23, "\\x12", 30, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = -1',
    '126 connect(24, {sa_family=AF_UNIX, sun_path="/var/run/x.sock"}, 110) = 0',
  ].join('\n');
  expect(addressesIn(sample)).toEqual(['169.254.169.254', '::1', '10.255.255.53']);
  expect(['127.0.0.1', '127.4.0.9', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
  expect(['169.254.169.254', '10.0.0.1', '::ffff:10.0.0.1', '100.100.100.200'].some(isLoopback)).toBe(false);
});
