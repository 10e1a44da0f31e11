import { z } from 'zod';
import { defineProductKind } from '../product-kind';
import { color } from './common-attributes';

type HatStyle = 'BASEBALL_CAP' | 'BEANIE' | 'BUCKET' | 'FEDORA' | 'SNAPBACK';

export const hat = defineProductKind({
  kind: 'HAT',
  typeName: 'HatAttributes',
  inputField: 'hat',
  label: 'Hat',
  typeDefs: /* GraphQL */ `
    "Shapes of hat."
    enum HatStyle {
      "Curved brim, adjustable strap."
      BASEBALL_CAP
      "Knitted, brimless."
      BEANIE
      "Soft, with a downward-sloping brim."
      BUCKET
      "Creased crown, wide brim."
      FEDORA
      "Flat brim, snap closure."
      SNAPBACK
    }

    "Attributes of a hat variant."
    type HatAttributes @shareable {
      "Colour name, lower case."
      color: String!
      "Shape of the hat."
      style: HatStyle!
    }

    extend union VariantAttributes = HatAttributes

    extend enum ProductKind {
      "Hats: variants differ by colour and style."
      HAT
    }
  `,
  inputTypeDefs: /* GraphQL */ `
    "Attributes of a hat variant."
    input HatAttributesInput {
      "Colour name; stored trimmed and lower case."
      color: String!
      "Shape of the hat."
      style: HatStyle!
    }

    extend input VariantAttributesInput {
      "Set for variants of HAT products."
      hat: HatAttributesInput
    }
  `,
  validator: z.strictObject({
    color,
    style: z.enum(['BASEBALL_CAP', 'BEANIE', 'BUCKET', 'FEDORA', 'SNAPBACK']),
  }),
  filterable: ['color', 'style'],
  samples: [
    cap('Dad Cap', 'Washed cotton six-panel cap.', 2200, 'BASEBALL_CAP', ['khaki', 'navy blue', 'black']),
    cap('Merino Beanie', 'Fine-knit merino, folds twice.', 2800, 'BEANIE', ['charcoal', 'mustard']),
    cap('Festival Bucket Hat', 'Reversible bucket in ripstop.', 2500, 'BUCKET', ['green', 'orange']),
    cap('Wool Fedora', 'Felted wool with a grosgrain band.', 6900, 'FEDORA', ['brown', 'grey']),
    cap('Flatbill Snapback', 'Structured crown, flat bill.', 3000, 'SNAPBACK', ['red', 'black', 'white']),
    cap('Trucker Mesh Cap', 'Foam front, mesh back.', 1800, 'BASEBALL_CAP', ['white', 'red']),
    cap('Cable Knit Beanie', 'Chunky cable knit with a pompom.', 3200, 'BEANIE', ['cream', 'red']),
  ],
});

function cap(name: string, description: string, price: number, style: HatStyle, colors: string[]) {
  return {
    name,
    description,
    price,
    currencyCode: 'USD',
    variants: colors.map((c, i) => ({ attributes: { color: c, style }, stock: 5 + ((i * 11) % 30) })),
  };
}
