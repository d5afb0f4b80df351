const UNITS: Record<string, number> = { M: 1, G: 1024, T: 1024 * 1024 };

/**
 * A Cloud Foundry size ("128M", "1G", "512MB", "2gb") in megabytes, or undefined when the
 * value is not one: a bare number is refused as the cf CLI refuses it (no unit, no size).
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)\s*([MGT])B?$/i.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = UNITS[(match[2] ?? '').toUpperCase()];
  if (amount <= 0 || unit === undefined) return undefined;
  return amount * unit;
}
