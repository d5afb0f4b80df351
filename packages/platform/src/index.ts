export { ManifestError, PlatformError } from './manifest/errors';
export { parseManifest, readManifest, type ReadManifestOptions } from './manifest/read';
export { readVarsFile, type Vars } from './manifest/vars';
export { parseSize } from './manifest/size';
export type { AppSpec, HealthCheck, Manifest, ProcessSpec, Route } from './manifest/types';
