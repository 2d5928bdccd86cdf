// GitOps discovery, the service's entry points (see discover.ts and types.ts).
export { discoverEnvironments } from './discover';
export { isScannedPath } from './paths';
export { environmentJson, toEnvironment, relativeTo, type ConvertedEnvironment, type EnvironmentJson } from './toEnvironment';
export type * from './types';
