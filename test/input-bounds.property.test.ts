import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLUnionType,
  isLeafType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import {
  AddToCartDocument,
  CheckoutDocument,
  CreateGuestCartDocument,
  CreateProductDocument,
  MyOrdersDocument,
  ProductsDocument,
  type ProductKind,
  type VariantAttributesInput,
} from '@storefront/client';
import { PRODUCT_KINDS } from '@storefront/product-kinds';
import { ADMIN, startShopStack, tokenFor, type Caller, type ShopStack } from '@storefront/testing';

/**
 * Bad input never reaches an internal error. Operations are generated from the public schema
 * (`clients/schema.graphql`): every root field with a shallow selection and arguments passed as
 * variables, valid ones drawn from real ids, tokens and cursors of this shop, and, for every argument
 * path of every root field, out-of-bound values (too long, 1e400, forged cursors, 1,000-element lists,
 * NUL, wrong types). Sent through the real gateway, none may answer a 5xx or INTERNAL_SERVER_ERROR,
 * leak an address, path, stack, SQL or driver code, or leave a service unready.
 */

const SEED = 20261203;
const RANDOM_OPERATIONS = 1_700;
const CONCURRENCY = 4;
const MAX_DEPTH = 4;
const RAW_1E400 = '__raw_1e400__';

const schema = buildSchema(readFileSync(path.join(__dirname, '../clients/schema.graphql'), 'utf8'));
const ADMIN_FIELDS = new Set(['createProduct', 'updateProduct', 'archiveProduct', 'addVariant', 'updateVariant', 'removeVariant', 'setStock']);

interface Pools {
  ids: string[];
  tokens: string[];
  skus: string[];
  cursors: string[];
}

interface Operation {
  kind: 'query' | 'mutation';
  field: string;
  selection: Selection;
  /** Root arguments, then nested ones (`n0_first`...), all as variables. */
  variables: Record<string, unknown>;
  caller: Caller | null;
  /** Which argument path got an out-of-bound value, if any. */
  bad?: string;
}

interface Selection {
  text: string;
  /** Variables the selection's nested fields take, with their types. */
  args: { name: string; type: GraphQLInputType; argName: string }[];
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

// ---------------------------------------------------------------- valid values, by type and name

function intArb(name: string): fc.Arbitrary<number> {
  const ranges: Record<string, [number, number]> = {
    first: [0, 20],
    quantity: [0, 5],
    stock: [0, 500],
    amount: [0, 50_000],
    weightGrams: [1, 2_000],
  };
  const [min, max] = ranges[name] ?? [0, 100];
  return fc.integer({ min, max });
}

function stringArb(name: string, parent: string, pools: Pools): fc.Arbitrary<string> {
  if (/^(id|productId|variantId|lineId)$/.test(name)) return fc.constantFrom(...pools.ids);
  if (/token/i.test(name)) return fc.constantFrom(...pools.tokens);
  if (name === 'after') return fc.constantFrom(...pools.cursors);
  if (name === 'sku') return fc.oneof(fc.constantFrom(...pools.skus), fc.stringMatching(/^[A-Z][A-Z0-9-]{2,11}$/));
  if (name === 'idempotencyKey') return fc.uuid();
  if (name === 'currencyCode') return fc.constantFrom('USD', 'USD', 'USD', 'EUR');
  if (parent === 'AttributeFilter' && name === 'name') return fc.constantFrom('size', 'color', 'style', 'flavor', 'sugarFree');
  if (parent === 'AttributeFilter' && name === 'value') return fc.constantFrom('M', 'red', 'BEANIE', 'cherry', 'true', 'navy blue');
  if (name === 'search') return fc.constantFrom('tee', 'hat', 'Classic', 'candy', '', 'o');
  if (name === 'color' || name === 'flavor') return fc.constantFrom('red', 'navy blue', 'cherry', 'sour lemon', 'black');
  if (name === 'name') return fc.stringMatching(/^[A-Z][a-z]{2,10}( [A-Z][a-z]{2,8})?$/);
  if (name === 'description') return fc.constantFrom('', 'Soft and warm.', 'Line one.\nLine two.');
  return fc.stringMatching(/^[a-z]{1,12}$/);
}

function inputArb(type: GraphQLInputType, name: string, parent: string, pools: Pools): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLNonNull) return inputArb(type.ofType, name, parent, pools);
  const inner = namedInputArb(type, name, parent, pools);
  return fc.oneof({ weight: 6, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) });
}

function namedInputArb(type: GraphQLInputType, name: string, parent: string, pools: Pools): fc.Arbitrary<unknown> {
  if (type instanceof GraphQLNonNull) return namedInputArb(type.ofType, name, parent, pools);
  if (type instanceof GraphQLList) return fc.array(namedInputArb(type.ofType, name, parent, pools), { maxLength: 3 });
  if (type instanceof GraphQLEnumType) return fc.constantFrom(...type.getValues().map((v) => v.name));
  if (type instanceof GraphQLInputObjectType) {
    const fields = type.getFields();
    if (type.name === 'VariantAttributesInput') {
      // "Exactly one of", checked in code (federation refuses @oneOf).
      return fc.oneof(...Object.values(fields).map((f) => namedInputArb(f.type, f.name, type.name, pools).map((v) => ({ [f.name]: v }))));
    }
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    const required: string[] = [];
    for (const f of Object.values(fields)) {
      record[f.name] = f.type instanceof GraphQLNonNull ? namedInputArb(f.type, f.name, type.name, pools) : inputArb(f.type, f.name, type.name, pools);
      if (f.type instanceof GraphQLNonNull) required.push(f.name);
    }
    return fc.record(record, { requiredKeys: required as never[] });
  }
  switch (type.name) {
    case 'Int':
      return intArb(name);
    case 'Boolean':
      return fc.boolean();
    default:
      return stringArb(name, parent, pools);
  }
}

// ---------------------------------------------------------------- out-of-bound values, by type

function forgedCursors(): string[] {
  return ['[1e400]', '[-1]', '[1.5]', '["a"]', '["x".repeat]', '[{"a":1},"b"]', '[null,null]', '{"a":1}', '[9007199254740993]']
    .map(b64)
    .concat(['not a cursor!', b64('[' + '1,'.repeat(400) + '1]'), b64(JSON.stringify(['a'.repeat(5_000), 'b']))]);
}

function badValues(type: GraphQLInputType, sampleElement: () => unknown): unknown[] {
  const named = getNamedType(type);
  if (type instanceof GraphQLNonNull) return [null, ...badValues(type.ofType, sampleElement)];
  if (type instanceof GraphQLList) return [Array.from({ length: 1_000 }, sampleElement), 'not a list', [null], { length: 1 }];
  if (named instanceof GraphQLEnumType) return ['NOPE', 5, 'a\u0000'];
  if (named instanceof GraphQLInputObjectType) return [{}, 'not an object', { unexpected: 1 }, [1, 2]];
  switch (named.name) {
    case 'Int':
      return [RAW_1E400, 2 ** 31, -(2 ** 31) - 1, 2 ** 31 - 1, -1, 1.5, '7', Number.MAX_SAFE_INTEGER];
    case 'Boolean':
      return ['true', 1, RAW_1E400];
    default:
      return [
        ...[37, 65, 101, 129, 201, 1_025, 50_000].map((n) => 'x'.repeat(n)),
        'a\u0000b',
        '\ud800',
        ' \t ',
        '',
        '%_!\\\'"; DROP TABLE product; --',
        12345,
        { a: 1 },
        RAW_1E400,
        ...forgedCursors(),
      ];
  }
}

/** Every path into a root field's arguments: the argument, its input fields, list elements (`0`). */
function argumentPaths(type: GraphQLInputType, at: (string | number)[], depth = 0): { path: (string | number)[]; type: GraphQLInputType }[] {
  const out = [{ path: at, type }];
  if (depth > 4) return out;
  const unwrapped = type instanceof GraphQLNonNull ? type.ofType : type;
  if (unwrapped instanceof GraphQLList) return [...out, ...argumentPaths(unwrapped.ofType, [...at, 0], depth + 1)];
  if (unwrapped instanceof GraphQLInputObjectType) {
    for (const f of Object.values(unwrapped.getFields())) out.push(...argumentPaths(f.type, [...at, f.name], depth + 1));
  }
  return out;
}

/** `value` with `path` set to `bad`, creating the containers (from `fill`) the path goes through. */
function setAt(value: Record<string, unknown>, path: (string | number)[], bad: unknown, fill: (at: (string | number)[]) => unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  let node: Record<string | number, unknown> = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    let next = node[key];
    if (next == null || typeof next !== 'object') {
      next = fill(path.slice(0, i + 1));
      if (Array.isArray(next) && next.length === 0) next.push(fill([...path.slice(0, i + 1), 0]));
      node[key] = next;
    }
    node = next as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = bad;
  return copy;
}

// ---------------------------------------------------------------- selections

function leafFields(type: GraphQLObjectType): string[] {
  return Object.values(type.getFields())
    .filter((f) => isLeafType(getNamedType(f.type)) && f.args.every((a) => !(a.type instanceof GraphQLNonNull)))
    .map((f) => f.name);
}

/** A shallow selection of `type`: random leaves and child objects down to MAX_DEPTH, nested args as variables. */
function selectionArb(type: GraphQLOutputType, depth: number, counter: { n: number }, full: boolean): fc.Arbitrary<Selection> {
  const named = getNamedType(type);
  if (isLeafType(named)) return fc.constant({ text: '', args: [] });
  if (named instanceof GraphQLUnionType) {
    return fc
      .tuple(...named.getTypes().map((member) => selectionArb(member, depth, counter, full)))
      .map((parts) => ({
        text: `{ __typename ${parts.map((p, i) => `... on ${named.getTypes()[i].name} ${p.text}`).join(' ')} }`,
        args: parts.flatMap((p) => p.args),
      }));
  }
  const object = named as GraphQLObjectType;
  const leaves = leafFields(object);
  const children = depth < MAX_DEPTH
    ? Object.values(object.getFields()).filter((f) => !isLeafType(getNamedType(f.type)) && f.args.every((a) => !(a.type instanceof GraphQLNonNull)))
    : [];
  // The sweep's selection reaches every nested field that takes arguments (me.orders), and no further.
  const pickedLeaves = full ? fc.constant(leaves) : fc.subarray(leaves, { minLength: Math.min(1, leaves.length) });
  const pickedChildren = full
    ? fc.constant(children.filter((c) => takesArguments(c, depth)))
    : fc.subarray(children, { maxLength: Math.min(2, children.length) });
  return fc.tuple(pickedLeaves, pickedChildren).chain(([ls, cs]) =>
    fc.tuple(...cs.map((c) => childArb(c, depth, counter, full))).map((parts) => ({
      text: `{ ${['__typename', ...ls].join(' ')} ${parts.map((p) => p.text).join(' ')} }`,
      args: parts.flatMap((p) => p.args),
    })),
  );
}

function takesArguments(field: GraphQLField<unknown, unknown>, depth: number): boolean {
  if (field.args.length > 0) return true;
  const named = getNamedType(field.type);
  if (depth + 1 >= MAX_DEPTH || !(named instanceof GraphQLObjectType)) return false;
  return Object.values(named.getFields()).some((f) => !isLeafType(getNamedType(f.type)) && takesArguments(f, depth + 1));
}

function childArb(field: GraphQLField<unknown, unknown>, depth: number, counter: { n: number }, full: boolean): fc.Arbitrary<Selection> {
  const args = field.args.map((a) => ({ name: `n${counter.n++}_${a.name}`, type: a.type, argName: a.name }));
  return selectionArb(field.type, depth + 1, counter, full).map((inner) => ({
    text: `${field.name}${args.length ? `(${args.map((a) => `${a.argName}: $${a.name}`).join(', ')})` : ''} ${inner.text}`,
    args: [...args, ...inner.args],
  }));
}

function documentOf(op: Operation): string {
  const root = (op.kind === 'query' ? schema.getQueryType() : schema.getMutationType())!;
  const field = root.getFields()[op.field];
  const vars = [...field.args.map((a) => ({ name: a.name, type: a.type })), ...op.selection.args];
  const declared = vars.length ? `(${vars.map((v) => `$${v.name}: ${v.type.toString()}`).join(', ')})` : '';
  const passed = field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  return `${op.kind} Fuzz${declared} { ${op.field}${passed} ${op.selection.text} }`;
}

// ---------------------------------------------------------------- the shop and the run

const LEAKS: [string, RegExp][] = [
  ['an IPv4 address', /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/],
  ['a host:port', /\b(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0):\d+/],
  ['a file path', /(\/(home|work|tmp|usr|srv|app|opt)\/|node_modules|\.[jt]s:\d+)/],
  ['a stack frame', /\bat [\w.<>]+ \(|\n\s+at /],
  ['SQL text', /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/],
  ['a driver error code', /\bER_[A-Z_]{3,}|\bSQLITE_[A-Z_]+/],
];

interface Verdict {
  op: Operation;
  status: number;
  reached: boolean;
  problems: string[];
}

let stack: ShopStack;
const tokens = new Map<string, Promise<string>>();
const tokenOf = (caller: Caller) => {
  const key = `${caller.userId}:${caller.admin ? 'admin' : ''}`;
  if (!tokens.has(key)) tokens.set(key, tokenFor(caller.userId, { admin: caller.admin }));
  return tokens.get(key)!;
};

async function send(op: Operation): Promise<Verdict> {
  const body = JSON.stringify({ query: documentOf(op), variables: op.variables }).replaceAll(`"${RAW_1E400}"`, '1e400');
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(op.caller ? { authorization: `Bearer ${await tokenOf(op.caller)}` } : {}) },
    body,
  });
  const text = await response.text();
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  for (const [what, pattern] of LEAKS) if (pattern.test(text)) problems.push(`leaks ${what}`);
  let reached = false;
  try {
    const json = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
    if (json.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) problems.push('INTERNAL_SERVER_ERROR');
    // The root resolver ran: it answered data (a typed userErrors payload counts), or null without an error.
    reached = json.data != null && (json.data[op.field] != null || !json.errors?.length);
  } catch {
    problems.push('not JSON');
  }
  return { op, status: response.status, reached, problems: problems.map((p) => `${p}: ${text.slice(0, 300)}`) };
}

async function runAll(ops: Operation[]): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ops.length) verdicts.push(await send(ops[next++]));
    }),
  );
  return verdicts;
}

async function seedShop(): Promise<Pools> {
  const shopper: Caller = { userId: 'fuzz-shopper-0' };
  const created = await Promise.all(
    // A product of every kind, its first two sample variants' attributes as input.
    PRODUCT_KINDS.map(async ({ kind, inputField, samples }, i) => {
      const [a, b = a] = samples.flatMap((sample) => sample.variants).map((v): VariantAttributesInput => ({ [inputField]: v.attributes }));
      const { data } = await stack.run(
        CreateProductDocument,
        {
          input: {
            name: `Fuzz ${kind} ${i}`,
            kind: kind as ProductKind,
            price: { amount: 1_500 + i, currencyCode: 'USD' },
            variants: [
              { sku: `FUZZ-${kind}-A`, stock: 1_000, attributes: a },
              { sku: `FUZZ-${kind}-B`, stock: 1_000, attributes: b },
            ],
          },
        },
        ADMIN,
      );
      return data!.createProduct.product!;
    }),
  );
  const variants = created.flatMap((p) => p.variants);
  const guest = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart;
  await stack.run(AddToCartDocument, { variantId: variants[0].id, quantity: 1, guestCartToken: guest.guestCartToken });
  const added = (await stack.run(AddToCartDocument, { variantId: variants[1].id, quantity: 2 }, shopper)).data!.addToCart;
  const order = (await stack.run(CheckoutDocument, { input: { idempotencyKey: 'fuzz-seed-1' } }, shopper)).data!.checkout.order!;
  const line = (await stack.run(AddToCartDocument, { variantId: variants[2].id, quantity: 1 }, shopper)).data!.addToCart.cart!.lines[0];
  const page = (await stack.run(ProductsDocument, { first: 1 })).data!.products;
  const orders = (await stack.run(MyOrdersDocument, { first: 1 }, shopper)).data!.me!.orders;
  return {
    ids: [...created.map((p) => p.id), ...variants.map((v) => v.id), added.cart!.lines[0].id, line.id, order.id, 'no-such-id', '00000000-0000-4000-8000-000000000000'],
    tokens: [guest.guestCartToken, guest.guestCartToken, 'unknown-token'],
    skus: variants.map((v) => v.sku).concat([variants[0].sku.toLowerCase(), 'NO-SUCH-SKU']),
    cursors: [page.pageInfo.endCursor!, orders.pageInfo.endCursor!],
  };
}

/** The caller a field works for, mostly; sometimes another, so authorization refusals are exercised too. */
function callerArb(field: string): fc.Arbitrary<Caller | null> {
  const shopper = fc.integer({ min: 1, max: 5 }).map((n): Caller => ({ userId: `fuzz-shopper-${n}` }));
  if (ADMIN_FIELDS.has(field)) return fc.oneof({ weight: 9, arbitrary: fc.constant(ADMIN) }, { weight: 1, arbitrary: shopper });
  return fc.oneof({ weight: 7, arbitrary: shopper }, { weight: 2, arbitrary: fc.constant(ADMIN) }, { weight: 1, arbitrary: fc.constant(null) });
}

function operationArb(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, pools: Pools, full = false): fc.Arbitrary<Operation> {
  const counter = { n: 0 };
  return selectionArb(field.type, 1, counter, full).chain((selection) => {
    const args = [...field.args.map((a) => ({ name: a.name, type: a.type, argName: a.name })), ...selection.args];
    const values = Object.fromEntries(args.map((a) => [a.name, a.type instanceof GraphQLNonNull ? namedInputArb(a.type, a.argName, '', pools) : inputArb(a.type, a.argName, '', pools)]));
    return fc.tuple(fc.record(values), callerArb(field.name)).map(([variables, caller]) => ({ kind, field: field.name, selection, variables, caller }));
  });
}

/** For every argument path of every root field (and of the selection's nested fields), each out-of-bound value once. */
function outOfBoundOperations(pools: Pools): Operation[] {
  const ops: Operation[] = [];
  const roots = [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!]] as const;
  let seed = SEED;
  for (const [kind, root] of roots) {
    for (const field of Object.values(root.getFields())) {
      const [base] = fc.sample(operationArb(kind, field, pools, true), { seed: seed++, numRuns: 1 });
      const argTypes = new Map<string, { type: GraphQLInputType; argName: string }>([
        ...field.args.map((a) => [a.name, { type: a.type, argName: a.name }] as const),
        ...base.selection.args.map((a) => [a.name, { type: a.type, argName: a.argName }] as const),
      ]);
      for (const [variable, { type, argName }] of argTypes) {
        for (const { path: at, type: pathType } of argumentPaths(type, [variable])) {
          const typeAt = (p: (string | number)[]) => argumentPaths(type, [variable]).find((x) => x.path.join('.') === p.join('.'))!.type;
          const sampleOf = (t: GraphQLInputType, name: string) => fc.sample(namedInputArb(t, name, '', pools), { seed: seed++, numRuns: 1 })[0];
          const fill = (p: (string | number)[]) => sampleOf(typeAt(p), String(p[p.length - 1] ?? argName));
          const elementType = (pathType instanceof GraphQLNonNull ? pathType.ofType : pathType) as GraphQLInputType;
          const element = () => (elementType instanceof GraphQLList ? sampleOf(elementType.ofType, argName) : null);
          const sampleElement = element();
          for (const bad of badValues(pathType, () => sampleElement)) {
            ops.push({ ...base, variables: setAt(base.variables, at, bad, fill), bad: at.join('.') });
          }
        }
      }
    }
  }
  return ops;
}

function randomOperations(pools: Pools, count: number): Operation[] {
  const fields = [
    ...Object.values(schema.getQueryType()!.getFields()).map((f) => operationArb('query', f, pools)),
    ...Object.values(schema.getMutationType()!.getFields()).map((f) => operationArb('mutation', f, pools)),
  ];
  return fc.sample(fc.oneof(...fields), { seed: SEED, numRuns: count });
}

beforeAll(async () => {
  stack = await startShopStack();
}, 120_000);

afterAll(() => stack?.stop());

test('generated operations, valid and out of bounds, never reach an internal error, leak nothing, and leave every service ready', async () => {
  const pools = await seedShop();
  const outOfBound = outOfBoundOperations(pools);
  const valid = randomOperations(pools, RANDOM_OPERATIONS);
  const verdicts = await runAll([...valid, ...outOfBound]);

  // One example per root field and argument path at fault, so a failure reads as a list of holes.
  const failures = new Map<string, object>();
  for (const v of verdicts.filter((x) => x.problems.length > 0)) {
    const key = `${v.op.field} ${v.op.bad ?? '(valid arguments)'}`;
    if (!failures.has(key)) failures.set(key, { operation: documentOf(v.op), caller: v.op.caller?.userId, problems: v.problems });
  }
  expect(Object.fromEntries(failures)).toEqual({});

  expect(verdicts.length).toBeGreaterThanOrEqual(2_000);
  const reached = verdicts.filter((v) => v.reached).length;
  expect(reached).toBeGreaterThanOrEqual(verdicts.length / 2);

  // Every argument of every root field got out-of-bound values.
  const covered = new Set(outOfBound.map((op) => `${op.field}.${op.bad!.split('.')[0]}`));
  for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
    for (const field of Object.values(root.getFields())) for (const arg of field.args) expect(covered).toContain(`${field.name}.${arg.name}`);
  }

  const readiness = await Promise.all(
    [stack.url.replace(/\/$/, ''), ...[stack.catalog.url, stack.cart.url, stack.order.url].map((u) => u.replace(/\/graphql$/, ''))].map(
      async (base) => (await fetch(`${base}/ready`)).status,
    ),
  );
  expect(readiness).toEqual([200, 200, 200, 200]);
  console.log(`input bounds: ${verdicts.length} operations (${outOfBound.length} out of bounds), ${reached} reached resolvers`);
}, 600_000);
