import { z } from 'zod';
import { defineProductKind } from '../product-kind';
import { color } from './common-attributes';

export const tshirt = defineProductKind({
  kind: 'TSHIRT',
  typeName: 'TShirtAttributes',
  inputField: 'tshirt',
  label: 'T-shirt',
  typeDefs: /* GraphQL */ `
    "T-shirt sizes, smallest to largest."
    enum TShirtSize {
      "Extra small."
      XS
      "Small."
      S
      "Medium."
      M
      "Large."
      L
      "Extra large."
      XL
      "Extra extra large."
      XXL
    }

    "Attributes of a t-shirt variant."
    type TShirtAttributes @shareable {
      "Size of this variant."
      size: TShirtSize!
      "Colour name, lower case (for example 'navy blue')."
      color: String!
    }

    extend union VariantAttributes = TShirtAttributes

    extend enum ProductKind {
      "T-shirts: variants differ by size and colour."
      TSHIRT
    }
  `,
  inputTypeDefs: /* GraphQL */ `
    "Attributes of a t-shirt variant."
    input TShirtAttributesInput {
      "Size of this variant."
      size: TShirtSize!
      "Colour name; stored trimmed and lower case."
      color: String!
    }

    extend input VariantAttributesInput {
      "Set for variants of TSHIRT products."
      tshirt: TShirtAttributesInput
    }
  `,
  validator: z.strictObject({
    size: z.enum(['XS', 'S', 'M', 'L', 'XL', 'XXL']),
    color,
  }),
  filterable: ['size', 'color'],
  samples: [
    tee('Classic Crew Tee', 'Heavyweight cotton crew neck for every day.', 1900, ['white', 'black'], ['S', 'M', 'L', 'XL']),
    tee('Graphite V-Neck', 'Soft slub jersey with a relaxed V neckline.', 2400, ['graphite'], ['S', 'M', 'L']),
    tee('Sunset Graphic Tee', 'Screen-printed sunset over a faded wash.', 2900, ['sand', 'white'], ['M', 'L']),
    tee('Trail Runner Tech Tee', 'Quick-dry mesh for long runs.', 3500, ['red', 'navy blue'], ['XS', 'S', 'M', 'L', 'XL']),
    tee('Organic Pocket Tee', 'Organic cotton with a chest pocket.', 2200, ['olive', 'white'], ['S', 'M', 'L', 'XXL']),
    tee('Oversized Box Tee', 'Dropped shoulders, boxy cut.', 2700, ['black'], ['M', 'L', 'XL', 'XXL']),
    tee('Kids Dino Tee', 'Glow-in-the-dark dinosaur print.', 1500, ['green', 'red'], ['XS', 'S']),
    tee('Striped Breton Tee', 'Navy stripes on ecru, long sleeves.', 3900, ['ecru'], ['S', 'M', 'L']),
  ],
});

function tee(
  name: string,
  description: string,
  price: number,
  colors: string[],
  sizes: ('XS' | 'S' | 'M' | 'L' | 'XL' | 'XXL')[],
) {
  return {
    name,
    description,
    price,
    currencyCode: 'USD',
    variants: colors.flatMap((c, ci) =>
      sizes.map((size, si) => ({ attributes: { size, color: c }, stock: 10 + ((ci * 7 + si * 5) % 40) })),
    ),
  };
}
