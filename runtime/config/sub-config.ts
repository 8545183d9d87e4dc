/**
 * Raw properties under `prefix`, with the prefix removed (Connect's `originalsWithPrefix`): how
 * `value.converter.schemas.enable` reaches the converter as `schemas.enable`, and `producer.acks` the producer.
 */
export function subConfig(raw: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(prefix) && key.length > prefix.length) out[key.slice(prefix.length)] = value;
  }
  return out;
}
