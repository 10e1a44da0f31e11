import { candy } from './kinds/candy.kind';
import { hat } from './kinds/hat.kind';
import { tshirt } from './kinds/tshirt.kind';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import type { Attributes, ProductKindDefinition } from './product-kind';

/** Every product kind the system knows. Adding a kind is one module and one line here. */
const REGISTERED = [
  tshirt,
  hat,
  candy,
] as const;

type Registered = (typeof REGISTERED)[number];
/** The `ProductKind` enum values: `'TSHIRT' | 'HAT' | ...`, one per registered kind. */
export type KindName = Registered['kind'];
/** The `VariantAttributes` union members: `'TShirtAttributes' | ...`, one per registered kind. */
export type KindTypeName = Registered['typeName'];
/** A registered kind, whatever its attributes. */
export type RegisteredKind = ProductKindDefinition<any, KindName, KindTypeName>;
/**
 * Stored attributes as a `VariantAttributes` member (what `attributesForGraphQL` returns). The subgraphs'
 * codegen maps the union to this type, so resolvers return it and `__resolveType` answers its
 * `__typename` with no cast: a kind whose `typeName` is not a member of the schema's union fails to compile.
 */
export type KindAttributes = Attributes & { __typename: KindTypeName };

/** The registered kinds, in registration order (the order of the schema's enum and union). */
export const PRODUCT_KINDS: readonly RegisteredKind[] = REGISTERED;

/**
 * The declarations kinds extend. Kept member-less here so each kind adds itself; graphql-js accepts an
 * empty enum, union or input that extensions fill before the schema is validated.
 */
export const BASE_TYPE_DEFS = /* GraphQL */ `
  "The kind of a product. It decides which attributes its variants carry."
  enum ProductKind

  "Kind-specific attributes of a variant: one member per product kind."
  union VariantAttributes
`;

export const BASE_INPUT_TYPE_DEFS = /* GraphQL */ `
  "Attributes of a variant: set exactly one field, the one of the product's kind."
  input VariantAttributesInput
`;

/** SDL for subgraphs that show attributes (catalog, order): types, enums and union members. */
export function kindTypeDefs(): string {
  return [BASE_TYPE_DEFS, ...PRODUCT_KINDS.map((k) => k.typeDefs)].join('\n');
}

/** SDL for the catalog's admin inputs. */
export function kindInputTypeDefs(): string {
  return [BASE_INPUT_TYPE_DEFS, ...PRODUCT_KINDS.map((k) => k.inputTypeDefs)].join('\n');
}

/**
 * `... on <TypeName> { <its fields> }` for every kind, read from the kind's own SDL: what a query
 * selects to see each kind's attributes. The client's `VariantAttributesFields` fragment (written by
 * `npm run compose`) and the explorer's default query are built from it, so a new kind is in both.
 */
export function attributeSelections(): string[] {
  return PRODUCT_KINDS.map((k) => {
    const type = parse(k.typeDefs).definitions.find(
      (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === k.typeName,
    );
    if (!type?.fields?.length) throw new Error(`Product kind ${k.kind}: its typeDefs declare no type ${k.typeName} with fields`);
    return `... on ${k.typeName} { ${type.fields.map((f) => f.name.value).join(' ')} }`;
  });
}

const byKind = new Map<string, RegisteredKind>(PRODUCT_KINDS.map((k) => [k.kind, k]));

export function findKind(kind: string): RegisteredKind | undefined {
  return byKind.get(kind);
}

export function getKind(kind: string): RegisteredKind {
  const definition = byKind.get(kind);
  if (!definition) throw new Error(`Unknown product kind ${kind}: is it registered in registry.ts?`);
  return definition;
}

/** Stored attributes as a union member: GraphQL picks the member from `__typename`. */
export function attributesForGraphQL(kind: string, attributes: Attributes): KindAttributes {
  return { __typename: getKind(kind).typeName, ...attributes };
}

/**
 * The `VariantAttributes` resolver for every subgraph that returns attributes (catalog, order): the
 * member is the `__typename` that `attributesForGraphQL` put on them.
 */
export const variantAttributesResolver = {
  __resolveType: (attributes: KindAttributes): KindTypeName => attributes.__typename,
};

export type AttributesErrorCode = 'INVALID_ATTRIBUTES' | 'ATTRIBUTES_KIND_MISMATCH';

export type AttributesResult =
  | { ok: true; attributes: Attributes }
  | { ok: false; code: AttributesErrorCode; field: string[]; message: string };

/**
 * Validates a `VariantAttributesInput` for a product of `kind`: exactly one field set, the kind's own
 * (federation 2.14 rejects `@oneOf`, so the rule lives here), and values the kind accepts.
 */
export function parseAttributesInput(kind: string, input: Record<string, unknown> | null | undefined): AttributesResult {
  const definition = getKind(kind);
  const given = Object.entries(input ?? {}).filter(([, value]) => value !== null && value !== undefined);
  if (given.length !== 1 || given[0][0] !== definition.inputField) {
    const named = given.map(([field]) => field).join(', ') || 'none';
    return {
      ok: false,
      code: 'ATTRIBUTES_KIND_MISMATCH',
      field: ['attributes'],
      message: `A ${definition.kind} variant takes exactly one attributes field, \`${definition.inputField}\`; got ${named}.`,
    };
  }
  return validateAttributes(kind, given[0][1], ['attributes', definition.inputField]);
}

/** Runs the kind's validator; used for admin input and for every sample the seeder writes. */
export function validateAttributes(kind: string, value: unknown, path: string[] = ['attributes']): AttributesResult {
  const parsed = getKind(kind).validator.safeParse(value);
  if (parsed.success) return { ok: true, attributes: parsed.data };
  const issue = parsed.error.issues[0];
  const field = [...path, ...issue.path.map(String)];
  return { ok: false, code: 'INVALID_ATTRIBUTES', field, message: `${field.join('.')}: ${issue.message}` };
}

/** Normalized (name, value) pairs the catalog indexes for filtering. */
export function filterableValues(kind: string, attributes: Attributes): { name: string; value: string }[] {
  return getKind(kind)
    .filterable.filter((name) => attributes[name] !== undefined)
    .map((name) => ({ name, value: normalizeFilterValue(attributes[name]) }));
}

export function normalizeFilterValue(value: unknown): string {
  return String(value).trim().toLowerCase();
}

/** Every attribute name some kind lets shoppers filter on. */
export function filterableNames(): Set<string> {
  return new Set(PRODUCT_KINDS.flatMap((k) => k.filterable));
}
