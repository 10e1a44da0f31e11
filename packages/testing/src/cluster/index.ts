export * from './cluster';
export * from './haproxy-process';
export * from './supervised-replica';
export * from './haproxy-config';
export * from './topology';
export { readReplicas } from './cluster-state';
