// The router lives in router/ (one module per job, router/README.md). This file stays so that
// an incremental build overwrites dist/local/router.js: a stale one would shadow router/index.js.
export { Router, type Backend, type RouteTarget, type RouterLimits, type RouterOptions } from './router/index';
