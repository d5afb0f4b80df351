// @ts-check
/**
 * The space a local-platform command is about (its first positional, default dev), checked
 * by the platform's rule (packages/platform/src/local/space-name.ts) before anything reads
 * or writes under .local: a name such as ../other would reach another folder.
 */
const { usageError } = require('@bundle/args');
const { platform } = require('./platform');

/** @param {import('@bundle/args').Command} command @param {string} [space] @returns {string} */
function checkSpace(command, space = 'dev') {
  const { SPACE_NAME, spaceNameError } = platform('local/space-name');
  return SPACE_NAME.test(space) ? space : usageError(command, spaceNameError(space));
}

module.exports = { checkSpace };
