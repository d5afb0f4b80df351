/** A space's name: it names a folder under .local, so letters, digits and dashes only, never a path. */
export const SPACE_NAME = /^[a-z0-9][a-z0-9-]*$/;

export const spaceNameError = (name: string): string => `space "${name}": a space name is lower-case letters, digits and dashes`;
