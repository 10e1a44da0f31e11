import { PRODUCT_KINDS } from '@storefront/product-kinds';
import { typeDefs as catalogTypeDefs } from '@storefront/catalog';
import { typeDefs as orderTypeDefs } from '@storefront/order';
import { Kind, type DocumentNode } from 'graphql';

/** Members of `VariantAttributes` as a subgraph's SDL declares them (the base declaration plus extensions). */
function unionMembers(typeDefs: DocumentNode): string[] {
  return typeDefs.definitions
    .flatMap((d) =>
      (d.kind === Kind.UNION_TYPE_DEFINITION || d.kind === Kind.UNION_TYPE_EXTENSION) && d.name.value === 'VariantAttributes'
        ? (d.types ?? []).map((t) => t.name.value)
        : [],
    )
    .sort();
}

/**
 * Federation merges a union across subgraphs without recording which members each subgraph can
 * resolve: if the order subgraph lacked a member the catalog has, history would fail at runtime for
 * that kind. Both take their members from the same registry; this keeps it that way.
 */
test('the catalog and the order subgraph declare the same VariantAttributes members, one per registered kind', () => {
  const catalog = unionMembers(catalogTypeDefs);
  expect(catalog).toEqual(PRODUCT_KINDS.map((k) => k.typeName).sort());
  expect(unionMembers(orderTypeDefs)).toEqual(catalog);
});
