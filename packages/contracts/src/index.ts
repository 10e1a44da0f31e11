export * from './shop';
export * from './catalog-api';
export * from './cart-api';
