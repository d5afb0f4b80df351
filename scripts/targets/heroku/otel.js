// @ts-check
/**
 * `scripts/provision <space> --target heroku --otlp-endpoint URL [--otlp-headers K=V,...]`:
 * OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_HEADERS) on every app, set again when
 * they differ from the flags (the flags say what they hold now). Setting a config var
 * restarts the app's dynos, which then export. On Fir apps a telemetry drain
 * (`heroku telemetry:add`, docs/heroku.md) sends the platform's own telemetry as well.
 */
const { otlpSettings } = require('../../lib/otlp');

/** @typedef {import('../../lib/provision-items').Item} Item */

/** @param {Record<string, string>} apps bundle app -> Heroku app @param {Record<string, unknown>} values @param {(output: string) => Record<string, string>} configOf @returns {Item[]} */
function otelItems(apps, values, configOf) {
  const otlp = otlpSettings(values);
  if (!otlp) return [];
  /** @type {Record<string, string>} */
  const wanted = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, ...(otlp.headers ? { OTEL_EXPORTER_OTLP_HEADERS: otlp.headers } : {}) };
  return Object.values(apps).map((name) => ({
    what: `${name}: OTLP export to ${otlp.endpoint}`,
    check: ['heroku', 'config', '-a', name, '--json'],
    plan: (checked) => {
      const present = configOf(checked.output);
      const changed = Object.keys(wanted).filter((key) => present[key] !== wanted[key]);
      if (changed.length === 0) return [];
      const shown = changed.map((key) => `${key}=${key === 'OTEL_EXPORTER_OTLP_HEADERS' ? '<given>' : wanted[key]}`).join(' ');
      // heroku config:set prints every value it set (the headers are credentials): quietly.
      return [
        {
          argv: ['heroku', 'config:set', '-a', name, ...changed.map((key) => `${key}=${wanted[key]}`)],
          shown: `heroku config:set -a ${name} ${shown}`,
          quiet: true,
        },
      ];
    },
  }));
}

module.exports = { otelItems };
