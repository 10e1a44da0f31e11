export * from './catalog';
export * from './databases';
export * from './processes';
