import { CreateCatalog1764028800000 } from './1764028800000-create-catalog';
import { CreateStockReservation1764029000000 } from './1764029000000-create-stock-reservation';
import { CreateStockReservationOutcome1764029300000 } from './1764029300000-create-stock-reservation-outcome';
import { BinaryIdentifiersCatalog1764029400100 } from './1764029400100-binary-identifiers';

/** In order. Never edit a migration that has shipped: add a new one. */
export const CATALOG_MIGRATIONS = [
  CreateCatalog1764028800000,
  CreateStockReservation1764029000000,
  CreateStockReservationOutcome1764029300000,
  BinaryIdentifiersCatalog1764029400100,
];
