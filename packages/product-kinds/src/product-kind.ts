import type { z } from 'zod';

/** A stored attribute value: kinds keep attributes flat so they serialize to JSON and index simply. */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface SampleVariant<T extends Attributes> {
  attributes: T;
  stock: number;
  /** Minor units; the product's price when absent. */
  priceOverride?: number;
}

export interface SampleProduct<T extends Attributes> {
  name: string;
  description: string;
  /** Minor units of `currencyCode`. */
  price: number;
  currencyCode: string;
  variants: SampleVariant<T>[];
}

/**
 * A product kind: everything the system knows about one kind of product, in one module.
 *
 * To add a kind, write `kinds/<name>.kind.ts` exporting a `defineProductKind({...})`, add it to
 * the list in `registry.ts`, and run `npm run codegen`. The catalog then validates, stores,
 * filters and exposes its attributes; the order subgraph exposes them in purchase history; the demo
 * catalog and the benchmark catalog include its samples; and the registry tests exercise it.
 *
 * The SDL strings are literal and marked `/* GraphQL *\/` so GraphQL Code Generator reads them from
 * this file: keep them free of `${}` interpolation.
 */
export interface ProductKindDefinition<T extends Attributes = Attributes, Kind extends string = string, TypeName extends string = string> {
  /** The `ProductKind` enum value, e.g. `TSHIRT`. Stored with every product: never rename one. */
  kind: Kind;
  /** The `VariantAttributes` union member this kind resolves to, e.g. `TShirtAttributes`. */
  typeName: TypeName;
  /** The `VariantAttributesInput` field that carries this kind's attributes, e.g. `tshirt`. */
  inputField: string;
  /** Human-readable name for storefront navigation, e.g. `T-shirt`. */
  label: string;
  /**
   * Output SDL, shared by every subgraph that shows attributes: the attributes type (marked
   * `@shareable`, since the catalog and the order subgraph both resolve it), its enums,
   * `extend union VariantAttributes = <typeName>` and `extend enum ProductKind { <kind> }`.
   */
  typeDefs: string;
  /**
   * Input SDL, for the catalog's admin mutations only: `<typeName>Input` and
   * `extend input VariantAttributesInput { <inputField>: <typeName>Input }`.
   */
  inputTypeDefs: string;
  /**
   * Validates and normalizes attributes on every write (trims, lower-cases colours...). Its keys and
   * enum values must match `typeDefs`; a registry test checks that for every kind.
   */
  validator: z.ZodType<T>;
  /** Attributes shoppers can filter products by; the catalog indexes them. */
  filterable: readonly (keyof T & string)[];
  /** Demo catalog entries: loaded on first start and cycled through for the benchmark catalog. */
  samples: readonly SampleProduct<T>[];
}

/**
 * Identity helper that ties the validator's type to the samples and the filterable keys, and keeps
 * `kind` and `typeName` as literal types: the registry derives the GraphQL enum values and union
 * members from them, which the generated resolver types check against the schema.
 */
export function defineProductKind<T extends Attributes, const Kind extends string, const TypeName extends string>(
  definition: ProductKindDefinition<T, Kind, TypeName>,
): ProductKindDefinition<T, Kind, TypeName> {
  return definition;
}
