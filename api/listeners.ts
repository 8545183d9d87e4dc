import { SluiceError } from '../runtime/errors/sluice-error.js';

export interface RestListener {
  readonly protocol: 'http' | 'https';
  /** Host to bind; empty means every interface, as in Connect's `http://:8083`. */
  readonly host: string;
  readonly port: number;
}

const listenerPattern = /^([A-Za-z]+):\/\/(\[[0-9A-Fa-f:.]+\]|[^:/[\]]*):(\d{1,5})\/?$/;

/** Parses Connect's `listeners` worker property: a comma-separated list of `protocol://host:port`. */
export function parseListeners(value: string): RestListener[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0)
    throw new SluiceError('CONFIG_INVALID_VALUE', [
      JSON.stringify(value),
      'listeners',
      'at least one listener is required',
    ]);
  return entries.map((entry) => {
    const match = listenerPattern.exec(entry);
    if (match === null) {
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        entry,
        'listeners',
        'expected protocol://host:port, e.g. http://0.0.0.0:8083',
      ]);
    }
    const protocol = (match[1] ?? '').toLowerCase();
    if (protocol !== 'http' && protocol !== 'https') {
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        entry,
        'listeners',
        'the protocol must be http or https',
      ]);
    }
    const port = Number(match[3]);
    if (port > 65535)
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        entry,
        'listeners',
        'the port must be between 0 and 65535',
      ]);
    return { protocol, host: (match[2] ?? '').replace(/^\[|\]$/g, ''), port };
  });
}
