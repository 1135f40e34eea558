export * from './blue-green-app';
export * from './canary-app';
export * from './istio-gateway';
export { IstioApiVersion, Protocol } from './model';
export * from './release-app';
export { RouteCheck } from './route-check';
export * from './scaling';
export type { VersionProps } from './workloads';
export * from './verify';
