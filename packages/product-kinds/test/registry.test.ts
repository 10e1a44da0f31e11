import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  GraphQLEnumType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLUnionType,
  getNamedType,
  parse,
  type GraphQLSchema,
} from 'graphql';
import { z } from 'zod';
import {
  PRODUCT_KINDS,
  attributeSelections,
  attributesForGraphQL,
  filterableValues,
  kindInputTypeDefs,
  kindTypeDefs,
  parseAttributesInput,
  validateAttributes,
} from '../src';

const schema: GraphQLSchema = buildSubgraphSchema({
  typeDefs: parse(
    `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])
     type Query { attributes(input: VariantAttributesInput): VariantAttributes, kind: ProductKind }
     ${kindTypeDefs()}\n${kindInputTypeDefs()}`,
  ),
});

function shapeOf(validator: z.ZodType): Record<string, z.ZodType> {
  return (validator as z.ZodObject).shape;
}

/** The zod type behind optional/default wrappers, to compare with the GraphQL field type. */
function inner(type: z.ZodType): z.ZodType {
  const def = (type as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
  return def.innerType && (def.type === 'default' || def.type === 'optional') ? inner(def.innerType) : type;
}

test('kinds have unique enum values, type names and input fields', () => {
  for (const key of ['kind', 'typeName', 'inputField'] as const) {
    const values = PRODUCT_KINDS.map((k) => k[key]);
    expect(new Set(values).size).toBe(values.length);
  }
});

test('the union, the kind enum and the input have exactly one entry per registered kind', () => {
  const union = schema.getType('VariantAttributes') as GraphQLUnionType;
  expect(union.getTypes().map((t) => t.name).sort()).toEqual(PRODUCT_KINDS.map((k) => k.typeName).sort());
  const kinds = schema.getType('ProductKind') as GraphQLEnumType;
  expect(kinds.getValues().map((v) => v.name).sort()).toEqual(PRODUCT_KINDS.map((k) => k.kind).sort());
  const input = schema.getType('VariantAttributesInput') as { getFields(): Record<string, unknown> };
  expect(Object.keys(input.getFields()).sort()).toEqual(PRODUCT_KINDS.map((k) => k.inputField).sort());
});

test('attributeSelections selects, for every kind, each field of its attributes type', () => {
  const union = schema.getType('VariantAttributes') as GraphQLUnionType;
  const expected = union.getTypes().map((t) => `... on ${t.name} { ${Object.keys(t.getFields()).join(' ')} }`);
  expect(attributeSelections().sort()).toEqual(expected.sort());
});

describe.each(PRODUCT_KINDS.map((k) => [k.kind, k] as const))('kind %s', (_, kind) => {
  const type = schema.getType(kind.typeName) as GraphQLObjectType;

  test('its validator has the same fields as its GraphQL type, with the same enum values', () => {
    const shape = shapeOf(kind.validator);
    expect(Object.keys(shape).sort()).toEqual(Object.keys(type.getFields()).sort());
    for (const [name, field] of Object.entries(type.getFields())) {
      expect(field.type).toBeInstanceOf(GraphQLNonNull);
      const named = getNamedType(field.type);
      if (named instanceof GraphQLEnumType) {
        expect((inner(shape[name]) as z.ZodEnum).options.slice().sort()).toEqual(named.getValues().map((v) => v.name).sort());
      }
    }
  });

  test('filterable attributes are fields of the type', () => {
    for (const name of kind.filterable) expect(type.getFields()[name]).toBeDefined();
  });

  test('every sample is valid, and round-trips through the input', () => {
    expect(kind.samples.length).toBeGreaterThan(0);
    for (const sample of kind.samples) {
      expect(sample.variants.length).toBeGreaterThan(0);
      for (const variant of sample.variants) {
        const parsed = parseAttributesInput(kind.kind, { [kind.inputField]: variant.attributes });
        expect(parsed).toEqual({ ok: true, attributes: variant.attributes });
        expect(attributesForGraphQL(kind.kind, variant.attributes).__typename).toBe(kind.typeName);
        expect(filterableValues(kind.kind, variant.attributes).map((f) => f.name)).toEqual([...kind.filterable]);
      }
    }
  });

  test("attributes given under another kind's field, or several, are refused", () => {
    const sample = kind.samples[0].variants[0].attributes;
    const other = PRODUCT_KINDS.find((k) => k.kind !== kind.kind)!;
    expect(parseAttributesInput(kind.kind, { [other.inputField]: other.samples[0].variants[0].attributes })).toMatchObject({
      ok: false,
      code: 'ATTRIBUTES_KIND_MISMATCH',
    });
    expect(parseAttributesInput(kind.kind, { [kind.inputField]: sample, [other.inputField]: sample })).toMatchObject({
      ok: false,
      code: 'ATTRIBUTES_KIND_MISMATCH',
    });
    expect(parseAttributesInput(kind.kind, {})).toMatchObject({ ok: false, code: 'ATTRIBUTES_KIND_MISMATCH' });
  });

  test('a missing field, an unknown field or a wrong type is refused with the field named', () => {
    const sample = kind.samples[0].variants[0].attributes;
    const [firstField] = Object.keys(type.getFields());
    const { [firstField]: _dropped, ...missing } = sample;
    const refusedMissing = validateAttributes(kind.kind, missing);
    expect(refusedMissing).toMatchObject({ ok: false, code: 'INVALID_ATTRIBUTES', field: ['attributes', firstField] });
    expect(validateAttributes(kind.kind, { ...sample, bogus: 1 })).toMatchObject({ ok: false, code: 'INVALID_ATTRIBUTES' });
    expect(validateAttributes(kind.kind, { ...sample, [firstField]: { nested: true } })).toMatchObject({
      ok: false,
      code: 'INVALID_ATTRIBUTES',
    });
  });
});

test('values are normalized: colours and flavours are trimmed and lower-cased', () => {
  expect(validateAttributes('TSHIRT', { size: 'M', color: '  Navy Blue ' })).toEqual({
    ok: true,
    attributes: { size: 'M', color: 'navy blue' },
  });
  expect(validateAttributes('CANDY', { flavor: 'Lemon', weightGrams: 100 })).toEqual({
    ok: true,
    attributes: { flavor: 'lemon', weightGrams: 100, sugarFree: false },
  });
  expect(validateAttributes('CANDY', { flavor: 'lemon', weightGrams: 0 })).toMatchObject({
    ok: false,
    field: ['attributes', 'weightGrams'],
  });
  expect(validateAttributes('HAT', { color: 'red', style: 'TOP_HAT' })).toMatchObject({ ok: false, field: ['attributes', 'style'] });
});
