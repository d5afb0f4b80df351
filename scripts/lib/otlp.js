// @ts-check
/**
 * scripts/provision's --otlp-endpoint and --otlp-headers, the same for every target that
 * takes them (cf: the `otel` user-provided service, bound to every app; heroku: the
 * OTEL_EXPORTER_OTLP_* config vars): their --help lines, their checks, what they hold. The
 * kit reads the same values at boot (packages/kit/src/telemetry/settings.ts) and refuses
 * what is refused here.
 */

/** @type {Record<string, import('@bundle/args').Option & { elsewhere?: string }>} */
const OTLP_FLAGS = {
  'otlp-endpoint': {
    type: 'string',
    value: 'URL',
    doc: "send every app's traces and metrics over OTLP/HTTP to URL (e.g. https://otlp.example.com:4318)",
    elsewhere: "takes OTEL_EXPORTER_OTLP_ENDPOINT from npm start's environment",
  },
  'otlp-headers': {
    type: 'string',
    value: 'K=V,...',
    doc: 'headers sent with each export (e.g. an API key), with --otlp-endpoint; never printed',
    elsewhere: "takes OTEL_EXPORTER_OTLP_HEADERS from npm start's environment",
  },
};

/** A usage problem with the two flags, in one line, or undefined. @param {Record<string, unknown>} values */
function checkOtlp(values) {
  const endpoint = values['otlp-endpoint'];
  const headers = values['otlp-headers'];
  if (headers !== undefined && endpoint === undefined) return '--otlp-headers needs --otlp-endpoint';
  if (typeof endpoint === 'string') {
    /** @type {URL | undefined} */
    let url;
    try {
      url = new URL(endpoint);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return '--otlp-endpoint takes an http:// or https:// URL';
    if (url.username || url.password) return '--otlp-endpoint must not carry credentials: put them in --otlp-headers';
  }
  if (typeof headers === 'string') {
    const entries = headers.split(',').filter((entry) => entry.trim() !== '');
    const bad = entries.findIndex((entry) => entry.indexOf('=') < 1);
    if (entries.length === 0 || bad !== -1)
      return `--otlp-headers takes key=value pairs separated by commas (entry ${bad + 1 || 1} is not one)`;
  }
  return undefined;
}

/**
 * The endpoint and headers the flags give, or undefined without --otlp-endpoint.
 * @param {Record<string, unknown>} values @returns {{ endpoint: string, headers: string | undefined } | undefined}
 */
function otlpSettings(values) {
  const endpoint = values['otlp-endpoint'];
  if (typeof endpoint !== 'string') return undefined;
  const headers = values['otlp-headers'];
  return { endpoint, headers: typeof headers === 'string' ? headers : undefined };
}

module.exports = { OTLP_FLAGS, checkOtlp, otlpSettings };
