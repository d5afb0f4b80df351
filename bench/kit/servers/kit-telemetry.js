// The kit server of kit.js, with the telemetry entry required first as an app's main.ts
// does: what it costs is set by the environment the bench gives it (nothing configured, or
// an OTLP endpoint with a sampler).
require('@bundle/kit/telemetry');
require('./kit');
