export * from './product-kind';
export * from './registry';
