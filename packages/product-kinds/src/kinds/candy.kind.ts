import { z } from 'zod';
import { defineProductKind } from '../product-kind';

export const candy = defineProductKind({
  kind: 'CANDY',
  typeName: 'CandyAttributes',
  inputField: 'candy',
  label: 'Candy',
  typeDefs: /* GraphQL */ `
    "Attributes of a candy variant."
    type CandyAttributes @shareable {
      "Flavour, lower case (for example 'sour cherry')."
      flavor: String!
      "Net weight of the pack in grams."
      weightGrams: Int!
      "True when the candy contains no added sugar."
      sugarFree: Boolean!
    }

    extend union VariantAttributes = CandyAttributes

    extend enum ProductKind {
      "Candy: variants differ by flavour and pack weight."
      CANDY
    }
  `,
  inputTypeDefs: /* GraphQL */ `
    "Attributes of a candy variant."
    input CandyAttributesInput {
      "Flavour; stored trimmed and lower case."
      flavor: String!
      "Net weight of the pack in grams (1 to 100000)."
      weightGrams: Int!
      "True when the candy contains no added sugar."
      sugarFree: Boolean = false
    }

    extend input VariantAttributesInput {
      "Set for variants of CANDY products."
      candy: CandyAttributesInput
    }
  `,
  validator: z.strictObject({
    flavor: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, 'must not be empty')
      .max(60, 'must be at most 60 characters'),
    weightGrams: z.number().int().min(1, 'must be at least 1 gram').max(100_000, 'must be at most 100000 grams'),
    sugarFree: z.boolean().default(false),
  }),
  filterable: ['flavor', 'sugarFree'],
  samples: [
    pack('Gummy Bears', 'Chewy bears in five fruit flavours.', 399, [['mixed fruit', 200], ['mixed fruit', 1000]]),
    pack('Sour Worms', 'Sugar-dusted and properly sour.', 449, [['sour cherry', 150], ['sour apple', 150]]),
    pack('Salted Caramels', 'Soft caramels with sea salt.', 799, [['caramel', 250]]),
    pack('Dark Chocolate Buttons', '70% cocoa, fair trade.', 599, [['dark chocolate', 100], ['dark chocolate', 500]]),
    pack('Peppermint Drops', 'Hard-boiled, extra strong.', 299, [['peppermint', 100]], true),
    pack('Licorice Twists', 'Red and black, soft twists.', 349, [['strawberry', 200], ['anise', 200]]),
    pack('Lemon Sherbets', 'Fizzy centres, tangy shell.', 329, [['lemon', 180]], true),
  ],
});

function pack(name: string, description: string, price: number, packs: [string, number][], sugarFree = false) {
  return {
    name,
    description,
    price,
    currencyCode: 'USD',
    variants: packs.map(([flavor, weightGrams], i) => ({
      attributes: { flavor, weightGrams, sugarFree },
      stock: 20 + ((i * 13) % 50),
      ...(weightGrams >= 500 ? { priceOverride: Math.round((price * weightGrams) / 250) } : {}),
    })),
  };
}
