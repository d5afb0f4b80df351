// @ts-check
/**
 * `scripts/provision <space> --target cf --otlp-endpoint URL [--otlp-headers K=V,...]`: the
 * `otel` user-provided service the kit reads its OTLP endpoint from (credentials `endpoint`
 * and `headers`, packages/kit/README.md), then bound to every app of the manifest and each
 * app restarted with a rolling deployment so its instances start exporting. The service is
 * not in manifest.yml, so a space without telemetry pushes as before. Run it once the apps
 * exist (after the first push): a binding needs its app.
 */
const { manifestFor } = require('../../lib/manifest');
const { otlpSettings } = require('../../lib/otlp');

/** @typedef {import('../../lib/provision-items').Item} Item */

const SERVICE = 'otel';

/** @param {string} space @param {Record<string, unknown>} values @returns {Item[]} */
function otelItems(space, values) {
  const otlp = otlpSettings(values);
  if (!otlp) return [];
  const credentials = JSON.stringify({ endpoint: otlp.endpoint, ...(otlp.headers ? { headers: otlp.headers } : {}) });
  const shown = JSON.stringify({ endpoint: otlp.endpoint, ...(otlp.headers ? { headers: '<given>' } : {}) });
  /** @type {Item[]} */
  const items = [
    {
      what: `service ${SERVICE} (OTLP endpoint ${otlp.endpoint})`,
      check: ['cf', 'service', SERVICE],
      // The flags say what it holds now: an existing one gets them too (a new endpoint, a rotated key).
      plan: (checked) => {
        const verb = checked.code === 0 ? 'update-user-provided-service' : 'create-user-provided-service';
        return [{ argv: ['cf', verb, SERVICE, '-p', '{file}'], shown: `cf ${verb} ${SERVICE} -p '${shown}'`, secretFile: credentials }];
      },
    },
  ];
  for (const app of manifestFor(space).apps.map((entry) => entry.name)) {
    // A binding needs its app: this stops with cf's "App ... not found" until the first push.
    items.push({ what: `app ${app}`, check: ['cf', 'app', app, '--guid'], setup: true, plan: () => [] });
    items.push({
      what: `${SERVICE} bound to ${app}`,
      check: ['cf', 'curl', `/v3/service_credential_bindings?service_instance_names=${SERVICE}&app_names=${app}`],
      plan: (checked) =>
        boundCount(checked.output) > 0
          ? []
          : [{ argv: ['cf', 'bind-service', app, SERVICE] }, { argv: ['cf', 'restart', app, '--strategy', 'rolling'] }],
    });
  }
  return items;
}

/** How many bindings `cf curl /v3/service_credential_bindings?...` found (0 when it could not say). @param {string} output */
function boundCount(output) {
  try {
    return Number(JSON.parse(output)?.pagination?.total_results ?? 0);
  } catch {
    return 0;
  }
}

module.exports = { otelItems };
