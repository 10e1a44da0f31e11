import {
  AddToCartDocument,
  CheckoutDocument,
  CreateGuestCartDocument,
  CreateProductDocument,
  GuestCartDocument,
  MyOrdersDocument,
  OrderDocument,
  ProductsDocument,
  UpdateProductDocument,
  VariantBySkuDocument,
  type GraphQLResponse,
} from '@storefront/client';
import {
  ADMIN,
  CART_TABLES,
  CATALOG_TABLES,
  expectUnchanged,
  startShopStack,
  type Caller,
  type ShopStack,
} from '@storefront/testing';

/**
 * The known ways a client reached INTERNAL_SERVER_ERROR, each now refused with BAD_USER_INPUT naming
 * the argument (`extensions.field`) before anything is written; typed `userErrors` stay where the
 * schema has a code. `input-bounds.property.test.ts` generalises this over the whole public schema.
 */

let stack: ShopStack;
const SHOPPER: Caller = { userId: 'bad-input-shopper' };
let variantId: string;
let productId: string;

const cursor = (key: string) => Buffer.from(key).toString('base64url');

function refusal(response: GraphQLResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  return { code: error.extensions?.code, field: error.extensions?.field };
}

beforeAll(async () => {
  stack = await startShopStack();
  const created = await stack.run(
    CreateProductDocument,
    {
      input: {
        name: 'Bounded Tee',
        kind: 'TSHIRT',
        price: { amount: 1_000, currencyCode: 'USD' },
        variants: [{ sku: 'BOUNDED-M', stock: 10, attributes: { tshirt: { size: 'M', color: 'red' } } }],
      },
    },
    ADMIN,
  );
  productId = created.data!.createProduct.product!.id;
  variantId = created.data!.createProduct.product!.variants[0].id;
}, 120_000);

afterAll(() => stack?.stop());

test('a 65-character variantId to addToCart is refused on variantId, for users and guests, and writes nothing', async () => {
  const { guestCartToken } = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  for (const caller of [SHOPPER, undefined]) {
    const response = await expectUnchanged(stack.cart.server.database, CART_TABLES, () =>
      stack.run(AddToCartDocument, { variantId: 'v'.repeat(65), quantity: 1, guestCartToken }, caller),
    );
    expect(refusal(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'variantId' });
  }
  // A well-formed id that matches nothing stays the typed refusal.
  const unknown = await stack.run(AddToCartDocument, { variantId: 'no-such-variant', quantity: 1 }, SHOPPER);
  expect(unknown.data!.addToCart.userErrors).toEqual([expect.objectContaining({ code: 'VARIANT_NOT_FOUND', field: ['variantId'] })]);
});

test('a history cursor that decodes to [1e400] (or any key we did not make) is refused on after', async () => {
  await stack.run(AddToCartDocument, { variantId, quantity: 1 }, SHOPPER);
  await stack.run(CheckoutDocument, { input: { idempotencyKey: 'bad-input-1' } }, SHOPPER);
  const page = (await stack.run(MyOrdersDocument, { first: 1 }, SHOPPER)).data!.me!.orders;
  expect(page.edges).toHaveLength(1);
  const real = await stack.run(MyOrdersDocument, { first: 1, after: page.pageInfo.endCursor }, SHOPPER);
  expect(real.errors).toBeUndefined();
  for (const forged of ['[1e400]', '[-1]', '[1.5]', '["1"]', '[9007199254740993]', '{}', 'x'.repeat(2_000)]) {
    const response = await stack.run(MyOrdersDocument, { first: 1, after: cursor(forged) }, SHOPPER);
    expect(refusal(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  }
  for (const forged of ['[1e400, "x"]', '["a"]', '["a", 1]', `["a", "${'b'.repeat(37)}"]`]) {
    expect(refusal(await stack.run(ProductsDocument, { first: 1, after: cursor(forged) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  }
});

test('filter.attributes with 1,000 entries and a 50,000-character filter.search are refused on their field', async () => {
  const attributes = Array.from({ length: 1_000 }, () => ({ name: 'color', value: 'red' }));
  expect(refusal(await stack.run(ProductsDocument, { first: 5, filter: { attributes } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'filter.attributes',
  });
  expect(refusal(await stack.run(ProductsDocument, { first: 5, filter: { search: 'a'.repeat(50_000) } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'filter.search',
  });
  expect(refusal(await stack.run(ProductsDocument, { first: 5, filter: { attributes: [{ name: 'color', value: 're\u0000d' }] } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'filter.attributes.0.value',
  });
  expect(refusal(await stack.run(ProductsDocument, { first: 5, filter: { attributes: [{ name: 'co\u0000lor', value: 'red' }] } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'filter.attributes.0.name',
  });
  const unknownName = [{ name: 'color', value: 'red' }, { name: 'price', value: '1' }];
  expect(refusal(await stack.run(ProductsDocument, { first: 5, filter: { attributes: unknownName } }))).toEqual({
    code: 'BAD_USER_INPUT',
    field: 'filter.attributes.1.name',
  });
  // Within bounds, the same filters answer.
  const ok = await stack.run(ProductsDocument, { first: 5, filter: { search: 'bounded', attributes: [{ name: 'color', value: 'Red' }] } });
  expect(ok.data!.products.edges.map((e) => e.node.id)).toEqual([productId]);
});

test('ids, tokens and SKUs past their column or with control characters are refused on their argument', async () => {
  expect(refusal(await stack.run(OrderDocument, { id: 'o'.repeat(37) }, SHOPPER))).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
  expect(refusal(await stack.run(VariantBySkuDocument, { sku: 'S'.repeat(65) }))).toEqual({ code: 'BAD_USER_INPUT', field: 'sku' });
  expect(refusal(await stack.run(GuestCartDocument, { token: 'a\u0000b' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'token' });
  const response = await expectUnchanged(stack.cart.server.database, CART_TABLES, () =>
    stack.run(AddToCartDocument, { variantId, quantity: 1, guestCartToken: 't'.repeat(129) }),
  );
  expect(refusal(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'guestCartToken' });
});

test('an argument of the wrong type or out of Int range is refused with the field it is about', async () => {
  const body = (variables: string) =>
    fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"query P($first: Int, $filter: ProductFilter) { products(first: $first, filter: $filter) { totalCount } }","variables":${variables}}`,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as GraphQLResponse<unknown> }));
  for (const [variables, field] of [
    ['{"first":1e400}', 'first'],
    ['{"first":2147483648}', 'first'],
    // Not an integer: GraphQL's Int refuses it before any resolver, so pageSize only ever sees integers.
    ['{"first":1.5}', 'first'],
    ['{"filter":{"attributes":[{"name":"color","value":5}]}}', 'filter.attributes.0.value'],
  ]) {
    const { status, json } = await body(variables);
    expect(status).toBeLessThan(500);
    expect(refusal(json)).toEqual({ code: 'BAD_USER_INPUT', field });
  }
});

test('admin text keeps its typed INVALID_INPUT, now for control characters too, and writes nothing', async () => {
  const response = await expectUnchanged(stack.catalog.server.database, CATALOG_TABLES, () =>
    stack.run(UpdateProductDocument, { id: productId, input: { name: 'Bad\u0000Name' } }, ADMIN),
  );
  expect(response.data!.updateProduct.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'name'] })]);
  const multiline = await stack.run(UpdateProductDocument, { id: productId, input: { description: 'Line one.\nLine two.' } }, ADMIN);
  expect(multiline.data!.updateProduct.userErrors).toEqual([]);
});

test('a caller reaching a subgraph without the gateway meets the same bounds', async () => {
  const response = await fetch(stack.catalog.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...stack.catalog.headers() },
    body: JSON.stringify({ query: 'query ($id: ID!) { product(id: $id) { id } }', variables: { id: 'p'.repeat(65) } }),
  });
  expect(refusal((await response.json()) as GraphQLResponse<unknown>)).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
});
