import { spawnService } from '@storefront/testing';
import { deadUrl } from './helpers';

test('index.ts starts the gateway, says where, and stops cleanly on SIGTERM after its grace period', async () => {
  const port = new URL(await deadUrl()).port;
  const gateway = await spawnService({
    name: 'gateway',
    entry: 'gateway/src/index.ts',
    // No subgraph runs: the static supergraph is enough to start.
    env: { GATEWAY_PORT: port, CATALOG_URL: await deadUrl(), LOG_LEVEL: 'info', LOG_FORMAT: 'json', NODE_ENV: 'development', SHUTDOWN_GRACE_MS: '300' },
    readyUrl: `http://127.0.0.1:${port}/ready`,
  });
  expect(gateway.output()).toContain(`Gateway ready at http://localhost:${port}/`);
  await gateway.stop(10_000, 'SIGTERM');
  expect(await gateway.exited).toBe(0);
  expect(gateway.output()).toContain('"graceMs":300');
  expect(gateway.output()).toContain('"msg":"stopped"');
});
