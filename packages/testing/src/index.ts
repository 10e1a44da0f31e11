export * from './catalog';
export * from './databases';
export * from './processes';
export * from './stack';
export * from './table-snapshot';
export * from './gateway';
export * from './cart';
