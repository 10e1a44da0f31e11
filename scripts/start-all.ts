/**
 * `npm start`: every service as its own process, configured by the environment (embedded SQLite and
 * the default ports unless told otherwise), started by the harness's launcher — the one the tests and
 * the benchmark use. Each line a service prints is shown with its name. Ctrl-C stops them all (each
 * drains its requests and closes its database); if one fails to start or dies, the others are stopped
 * too, so a half-running system never looks like a working one.
 */
import { SHOP_PROCESS_NAMES, startShopProcesses, type ShopProcesses, type ShopProcessName } from '@storefront/testing';
import { stopOnce } from './lib/stop-once';

const COLORS: Record<ShopProcessName, number> = { catalog: 36, cart: 35, order: 33, gateway: 32 };
const width = Math.max(...SHOP_PROCESS_NAMES.map((name) => name.length));
const label = (name: ShopProcessName) => {
  const text = `[${name}]`.padEnd(width + 2);
  return process.stdout.isTTY ? `\x1b[${COLORS[name]}m${text}\x1b[0m` : text;
};

/** Whole lines only: a chunk may end mid-line, and its rest comes with the next one. */
const pending = new Map<ShopProcessName, string>();
function show(name: ShopProcessName, text: string): void {
  const lines = ((pending.get(name) ?? '') + text).split('\n');
  pending.set(name, lines.pop() ?? '');
  for (const line of lines) process.stdout.write(`${label(name)} ${line}\n`);
}

let shop: ShopProcesses | undefined;
const { stop: stopAll, stopping } = stopOnce(() => shop);

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

async function main(): Promise<void> {
  shop = await startShopProcesses({
    asConfigured: true,
    commonEnv: { LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
    onOutput: show,
    // Ctrl-C reaches only this process, which stops the services in order, each once.
    ownProcessGroup: true,
    // Only for a failure message: a shop left running for days must not keep all it printed.
    keepOutputChars: 64_000,
  });
  for (const service of shop.started()) {
    void service.exited.then((how) => {
      if (stopping()) return;
      console.error(`${service.name} exited (${how}); stopping the others.`);
      stopAll(1);
    });
  }
  console.log(`\nThe shop is up: GraphQL at ${shop.url} (Ctrl-C stops every service).`);
}

main().catch((error: unknown) => {
  // The launcher has stopped whatever it had started.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
