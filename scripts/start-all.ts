/**
 * `npm start`: every service as its own process on its own port, embedded SQLite by default. Ctrl-C
 * stops them all (each drains its requests and closes its database); if one fails to start, the
 * others are stopped too, so a half-running system never looks like a working one.
 */
import path from 'node:path';
import concurrently from 'concurrently';
import { SUBGRAPHS } from '@storefront/contracts';
import { RUN_FROM_SOURCE } from '@storefront/testing/processes';

const root = path.resolve(__dirname, '..');
const node = JSON.stringify(process.execPath);

const services = [
  ...Object.keys(SUBGRAPHS).map((name) => ({ name, entry: `subgraphs/${name}/src/index.ts` })),
  { name: 'gateway', entry: 'gateway/src/index.ts' },
];

const { result } = concurrently(
  services.map(({ name, entry }) => ({
    name,
    // Node itself with tsx imported (not the tsx CLI) keeps each service a single process, so signals reach it directly.
    command: [node, ...RUN_FROM_SOURCE, entry].join(' '),
    cwd: root,
    env: { LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
  })),
  { prefix: 'name', killOthersOn: ['failure'], killSignal: 'SIGINT', prefixColors: ['cyan', 'magenta', 'yellow', 'green'] },
);

result.then(
  () => process.exit(0),
  () => process.exit(process.exitCode ?? 1),
);
