import { ConfigError, loadSubgraphConfig } from '@storefront/service-kit';
import { loadGatewayConfig } from '../src/config';

/** Timeouts, breakers and shutdown are configuration: safe defaults, overrides, and refusals naming the variable. */

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected the configuration to be refused');
}

test('subgraph timeouts default to 3 s each; one subgraph can be given its own', () => {
  expect(loadGatewayConfig({}).subgraphFetch).toEqual({
    timeoutMs: { catalog: 3_000, cart: 3_000, order: 3_000 },
    breaker: { errorPercent: 50, minRequests: 5, resetMs: 2_000, windowMs: 10_000 },
    connectionTtlMs: 30_000,
  });
  const tuned = loadGatewayConfig({ GATEWAY_SUBGRAPH_TIMEOUT_MS: '2000', GATEWAY_ORDER_TIMEOUT_MS: '8000', GATEWAY_BREAKER_RESET_MS: '500' });
  expect(tuned.subgraphFetch.timeoutMs).toEqual({ catalog: 2_000, cart: 2_000, order: 8_000 });
  expect(tuned.subgraphFetch.breaker.resetMs).toBe(500);
});

test('bad timeout and breaker values are refused, each named', () => {
  const message = refusal(() =>
    loadGatewayConfig({ GATEWAY_SUBGRAPH_TIMEOUT_MS: 'soon', GATEWAY_CART_TIMEOUT_MS: '0', GATEWAY_BREAKER_ERROR_PERCENT: '150' }),
  );
  expect(message).toContain('GATEWAY_SUBGRAPH_TIMEOUT_MS ("soon")');
  expect(message).toContain('GATEWAY_CART_TIMEOUT_MS ("0")');
  expect(message).toContain('GATEWAY_BREAKER_ERROR_PERCENT ("150")');
  // A window shorter than a call would forget the call before its failure counts: never opens.
  expect(refusal(() => loadGatewayConfig({ GATEWAY_ORDER_TIMEOUT_MS: '12000' }))).toContain(
    'GATEWAY_BREAKER_WINDOW_MS (10000): must be longer than the longest subgraph timeout (12000 ms)',
  );
});

test('shutdown: 5 s grace within a 25 s timeout by default, for the gateway and every subgraph', () => {
  expect(loadGatewayConfig({}).shutdown).toEqual({ graceMs: 5_000, timeoutMs: 25_000 });
  expect(loadSubgraphConfig('catalog', 4001, {}).shutdown).toEqual({ graceMs: 5_000, timeoutMs: 25_000 });
  expect(loadSubgraphConfig('cart', 4002, { SHUTDOWN_GRACE_MS: '0', SHUTDOWN_TIMEOUT_MS: '3000' }).shutdown).toEqual({ graceMs: 0, timeoutMs: 3_000 });
});

test('a grace period that leaves no time to drain within the shutdown timeout is refused', () => {
  for (const load of [
    (env: Record<string, string>) => loadGatewayConfig(env),
    (env: Record<string, string>) => loadSubgraphConfig('order', 4003, env),
  ]) {
    expect(refusal(() => load({ SHUTDOWN_GRACE_MS: '30000' }))).toContain('SHUTDOWN_TIMEOUT_MS (25000): must leave at least 1000 ms to drain after SHUTDOWN_GRACE_MS (30000)');
    expect(refusal(() => load({ SHUTDOWN_GRACE_MS: '-1' }))).toContain('SHUTDOWN_GRACE_MS ("-1")');
  }
});

test('service-to-service calls time out at 2.5 s by default, below the gateway; configurable and validated', () => {
  expect(loadSubgraphConfig('cart', 4002, {}).internalCallTimeoutMs).toBe(2_500);
  expect(loadSubgraphConfig('order', 4003, { INTERNAL_CALL_TIMEOUT_MS: '1200' }).internalCallTimeoutMs).toBe(1_200);
  expect(refusal(() => loadSubgraphConfig('cart', 4002, { INTERNAL_CALL_TIMEOUT_MS: '0' }))).toContain('INTERNAL_CALL_TIMEOUT_MS ("0")');
  expect(loadSubgraphConfig('cart', 4002, {}).internalCallTimeoutMs).toBeLessThan(loadGatewayConfig({}).subgraphFetch.timeoutMs.cart);
});
