// @ts-check
/**
 * The part of ERB the gateway's config uses, for running it here (Heroku renders it with
 * Ruby's `erb`, which no machine of this project has): output tags that read the
 * environment, `<%= ENV.fetch('NAME') %>` (a missing NAME stops it, as Ruby's KeyError
 * does) and `<%= ENV['NAME'] || 'default' %>` (or a number). Any other tag is refused, so a
 * template this cannot render as Ruby would is never run in a different form.
 */

const TAG = /<%(.*?)%>/gs;
const FETCH = /^=\s*ENV\.fetch\((['"])([A-Z0-9_]+)\1\)\s*$/;
const WITH_DEFAULT = /^=\s*ENV\[(['"])([A-Z0-9_]+)\1\](?:\s*\|\|\s*(?:(['"])([^'"]*)\3|(\d+)))?\s*$/;

/**
 * The template with every tag replaced from `env`; a one-line Error for a missing
 * ENV.fetch name or a tag outside the subset.
 * @param {string} template @param {Record<string, string | undefined>} env @returns {string}
 */
function renderErb(template, env) {
  return template.replace(TAG, (tag, /** @type {string} */ inside) => {
    const fetched = FETCH.exec(inside);
    if (fetched) {
      const value = env[/** @type {string} */ (fetched[2])];
      if (value === undefined) throw new Error(`${fetched[2]} is not set (the gateway's config reads it with ENV.fetch)`);
      return value;
    }
    const read = WITH_DEFAULT.exec(inside);
    if (read) return env[/** @type {string} */ (read[2])] ?? read[4] ?? read[5] ?? '';
    throw new Error(
      `unsupported ERB tag ${tag.replace(/\s+/g, ' ')}: only <%= ENV.fetch('NAME') %> and <%= ENV['NAME'] || default %> are rendered here`,
    );
  });
}

module.exports = { renderErb };
