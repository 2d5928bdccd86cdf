// GitOps discovery, the service's entry points (see discover.ts and types.ts).
export { discoverEnvironments } from './discover';
export { isScannedPath } from './paths';
export { toEnvironment, relativeTo, type ConvertedEnvironment } from './toEnvironment';
export type * from './types';
