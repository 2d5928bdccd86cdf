// GitOps discovery, the service's entry points (see discover.ts and types.ts).
export { discoverEnvironments, isManifestText } from './discover';
export { isScannedPath } from './paths';
export { environmentJson, toEnvironment, relativeTo, type ConvertedEnvironment, type EnvironmentJson } from './toEnvironment';
export type * from './types';
