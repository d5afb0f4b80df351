/**
 * A configuration problem found at boot. Its message is one line that names the
 * variable and what was expected; it never contains a secret's value.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly variable: string,
  ) {
    super(message);
  }
}
