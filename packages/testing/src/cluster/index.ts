export * from './cluster';
export * from './haproxy-config';
export * from './topology';
