export * from './checks';
export * from './faults';
export * from './run-chaos';
export * from './workload';
