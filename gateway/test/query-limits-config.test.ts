import { loadCartConfig } from '@storefront/cart';
import { loadCatalogConfig } from '@storefront/catalog';
import { ConfigError, loadSubgraphConfig } from '@storefront/service-kit';
import { loadGatewayConfig } from '../src/config';

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

test('the limits default to values that accept the shipped operations (measured in query-limits.test.ts)', () => {
  expect(loadGatewayConfig({}).queryLimits).toEqual({
    maxTokens: 1_000,
    maxDepth: 10,
    maxAliases: 15,
    maxDirectives: 50,
    maxCost: 250_000,
    maxVariantsPerProduct: 100,
    maxCartLines: 100,
  });
  expect(loadSubgraphConfig('catalog', 4001, {}).maxDepth).toBe(16);
});

test('operators set every limit', () => {
  const env = {
    GATEWAY_MAX_TOKENS: '5000',
    GATEWAY_MAX_DEPTH: '20',
    GATEWAY_MAX_ALIASES: '40',
    GATEWAY_MAX_DIRECTIVES: '80',
    GATEWAY_MAX_COST: '1000000',
    CATALOG_MAX_VARIANTS_PER_PRODUCT: '250',
    CART_MAX_LINES: '300',
  };
  expect(loadGatewayConfig(env).queryLimits).toEqual({
    maxTokens: 5_000,
    maxDepth: 20,
    maxAliases: 40,
    maxDirectives: 80,
    maxCost: 1_000_000,
    maxVariantsPerProduct: 250,
    maxCartLines: 300,
  });
  expect(loadSubgraphConfig('order', 4003, { SUBGRAPH_MAX_DEPTH: '30' }).maxDepth).toBe(30);
});

test('the cost estimate and the write caps read the same variables', () => {
  const env = { CATALOG_MAX_VARIANTS_PER_PRODUCT: '42', CART_MAX_LINES: '7' };
  const gateway = loadGatewayConfig(env).queryLimits;
  expect(loadCatalogConfig(env).maxVariantsPerProduct).toBe(gateway.maxVariantsPerProduct);
  expect(loadCartConfig(env).maxLines).toBe(gateway.maxCartLines);
});

test('malformed limits are refused at start, each named', () => {
  const problems = problemsOf(() =>
    loadGatewayConfig({ GATEWAY_MAX_DEPTH: '0', GATEWAY_MAX_COST: 'lots', GATEWAY_MAX_TOKENS: '1.5', CATALOG_MAX_VARIANTS_PER_PRODUCT: '-1' }),
  );
  expect(problems).toEqual([
    expect.stringMatching(/^GATEWAY_MAX_TOKENS \("1.5"\): must be a whole number/),
    expect.stringMatching(/^GATEWAY_MAX_DEPTH \("0"\): must be at least 1/),
    expect.stringMatching(/^GATEWAY_MAX_COST \("lots"\)/),
    expect.stringMatching(/^CATALOG_MAX_VARIANTS_PER_PRODUCT \("-1"\): must be at least 1/),
  ]);
  expect(problemsOf(() => loadSubgraphConfig('cart', 4002, { SUBGRAPH_MAX_DEPTH: '1001' }))).toEqual([
    'SUBGRAPH_MAX_DEPTH ("1001"): must be at most 1000',
  ]);
});
