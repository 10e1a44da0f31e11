import { ProductRepository } from './product.repository';
import { ReservationRepository } from './reservation.repository';
import { VariantRepository } from './variant.repository';

export { LIKE_ESCAPE, ProductRepository, type ProductListing } from './product.repository';
export { ReservationRepository } from './reservation.repository';
export { VariantRepository } from './variant.repository';

/** The catalog's tables, one repository per aggregate: services hold the rules, these the queries. */
export interface CatalogRepositories {
  products: ProductRepository;
  variants: VariantRepository;
  reservations: ReservationRepository;
}

export function createCatalogRepositories(): CatalogRepositories {
  return { products: new ProductRepository(), variants: new VariantRepository(), reservations: new ReservationRepository() };
}
