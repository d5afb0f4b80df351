/**
 * A manifest, vars file or space that cannot run. Its message is one line that names the
 * file (with line and column when known) and what is wrong; the commands print it as is
 * and start nothing.
 */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Something the local platform cannot provide (redis-server, a port): one line too. */
export class PlatformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}
