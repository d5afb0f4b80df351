// @ts-check
/**
 * After a push: polls each app's /version until it reports the pushed version, or fails
 * when the deadline passes, naming each app that did not and what it answered last.
 */

/**
 * @typedef {{ app: string, url: string, headers?: Record<string, string> }} VersionTarget
 */

/**
 * What one app answers on /version right now: its version, or why there is none.
 * @param {VersionTarget} target
 * @returns {Promise<{ version?: string, problem?: string }>}
 */
async function currentVersion(target) {
  try {
    const response = await fetch(`${target.url.replace(/\/$/, '')}/version`, { headers: target.headers ?? {}, signal: AbortSignal.timeout(5000) });
    if (!response.ok) return { problem: `HTTP ${response.status}` };
    const body = /** @type {{ version?: unknown }} */ (await response.json());
    return typeof body.version === 'string' ? { version: body.version } : { problem: 'no version field' };
  } catch (error) {
    const cause = /** @type {{ cause?: { code?: string } }} */ (error).cause;
    return { problem: cause?.code ?? (error instanceof Error ? error.message : String(error)) };
  }
}

/**
 * @param {VersionTarget[]} targets
 * @param {string} expected
 * @param {{ timeoutMs?: number, intervalMs?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
async function waitForVersion(targets, expected, options = {}) {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  /** @type {Map<string, string>} */
  const pending = new Map(targets.map((target) => [target.app, 'not asked yet']));
  for (;;) {
    await Promise.all(
      targets
        .filter((target) => pending.has(target.app))
        .map(async (target) => {
          const answer = await currentVersion(target);
          if (answer.version === expected) {
            pending.delete(target.app);
            options.log?.(`${target.app} answers ${expected}`);
          } else pending.set(target.app, answer.version ? `version ${answer.version}` : (answer.problem ?? 'no answer'));
        }),
    );
    if (pending.size === 0) return { ok: true };
    if (Date.now() > deadline) {
      return { ok: false, reason: `not at version ${expected} in time: ${[...pending].map(([app, last]) => `${app} (${last})`).join(', ')}` };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}

module.exports = { currentVersion, waitForVersion };
