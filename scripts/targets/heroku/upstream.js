// @ts-check
/**
 * The space each Heroku space is promoted from (push.js promotes production from staging:
 * `heroku pipelines:promote`, so production runs the slugs staging built). The same pair as
 * push.js's UPSTREAM, which that file keeps to itself.
 */
/** @type {Record<string, string | undefined>} */
const UPSTREAM = { production: 'staging' };

module.exports = { UPSTREAM };
