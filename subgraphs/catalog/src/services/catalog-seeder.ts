import { randomUUID } from 'node:crypto';
import { PRODUCT_KINDS, validateAttributes, type SampleProduct } from '@storefront/product-kinds';
import { backgroundContext, createLogger, type Database, type Logger } from '@storefront/service-kit';
import { ProductSchema, type ProductEntity, type ProductVariantEntity } from '../entities';
import { VariantRepository } from '../repositories';

/** Every kind's samples, interleaved so any prefix of the catalog has every kind. */
export function demoSamples(): { kind: string; sample: SampleProduct<never> }[] {
  const longest = Math.max(...PRODUCT_KINDS.map((k) => k.samples.length));
  const out: { kind: string; sample: SampleProduct<never> }[] = [];
  for (let i = 0; i < longest; i += 1) {
    for (const k of PRODUCT_KINDS) if (i < k.samples.length) out.push({ kind: k.kind, sample: k.samples[i] as SampleProduct<never> });
  }
  return out;
}

/**
 * Writes `count` products cycling through the kinds' samples (the first cycle keeps their names; later
 * ones are numbered), in batches of one transaction each. Attributes pass the kind's validator like
 * any admin write, so a broken sample fails here rather than in a storefront.
 */
export async function seedCatalog(db: Database, count: number, logger?: Logger, batchSize = 200): Promise<number> {
  const samples = demoSamples();
  const ctx = backgroundContext(db, logger ?? createLogger('catalog', 'silent'), null);
  const repository = new VariantRepository();
  let variantsWritten = 0;
  for (let start = 0; start < count; start += batchSize) {
    const products: ProductEntity[] = [];
    const variants: ProductVariantEntity[] = [];
    const now = new Date();
    for (let i = start; i < Math.min(count, start + batchSize); i += 1) {
      const { kind, sample } = samples[i % samples.length];
      const cycle = Math.floor(i / samples.length);
      const product: ProductEntity = {
        id: randomUUID(),
        name: cycle === 0 ? sample.name : `${sample.name} #${cycle + 1}`,
        description: sample.description,
        kind,
        priceAmount: sample.price,
        currencyCode: sample.currencyCode,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      products.push(product);
      sample.variants.forEach((v, j) => {
        const attributes = validateAttributes(kind, v.attributes);
        if (!attributes.ok) throw new Error(`Sample ${sample.name} of ${kind} is invalid: ${attributes.message}`);
        variants.push({
          id: randomUUID(),
          productId: product.id,
          sku: `${kind}-${String(i + 1).padStart(6, '0')}-${j + 1}`,
          kind,
          attributes: attributes.attributes,
          priceOverride: v.priceOverride ?? null,
          stock: v.stock,
          position: j,
          removedAt: null,
          createdAt: now,
          updatedAt: now,
        });
      });
    }
    await ctx.transaction(async (tx) => {
      await tx.manager.insert(ProductSchema, products);
      for (let k = 0; k < variants.length; k += batchSize) await repository.insert(tx, variants.slice(k, k + batchSize));
    });
    variantsWritten += variants.length;
    if (logger && count > batchSize) logger.info({ products: Math.min(count, start + batchSize), of: count }, 'seeding');
  }
  return variantsWritten;
}

/** On the first start of the embedded default, a catalog to browse: every sample of every kind once. */
export async function seedDemoCatalogIfEmpty(db: Database, logger: Logger): Promise<void> {
  if ((await db.manager.count(ProductSchema)) > 0) return;
  const products = demoSamples().length;
  const variants = await seedCatalog(db, products);
  logger.info({ products, variants }, 'loaded the demo catalog');
}
