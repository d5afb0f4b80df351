// @ts-check
/** scripts/e2e: the journeys in e2e/ against a base URL (see e2e/src/run.js for options). */
require('../../e2e/src/run');
