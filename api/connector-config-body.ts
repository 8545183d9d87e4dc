import { SluiceError } from '../runtime/errors/sluice-error.js';
import type { TargetState } from '../runtime/cluster/rest-types.js';

/** A validated config body: scalars are turned into strings, as Connect's JSON mapper does for `Map<String, String>`. */
export function stringifyConfig(
  body: Readonly<Record<string, string | number | boolean>>,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) config[key] = String(value);
  return config;
}

/** A job's config body: scalars as for a connector, a list of strings as one comma-separated value. */
export function stringifyJobConfig(
  body: Readonly<Record<string, string | number | boolean | readonly string[]>>,
): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(body))
    config[key] = Array.isArray(value) ? value.join(',') : String(value);
  return config;
}

/** Same for a PATCH body, where null keeps meaning "remove this key". */
export function stringifyConfigPatch(
  body: Readonly<Record<string, string | number | boolean | null>>,
): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(body)) patch[key] = value === null ? null : String(value);
  return patch;
}

/**
 * Connect's rule for a config sent with a connector name: a `name` inside the config must equal the name
 * given by the URL (or the create request), and is filled in when absent.
 */
export function withConnectorName(
  connectorName: string,
  config: Record<string, string>,
): Record<string, string> {
  const included = config['name'];
  if (included !== undefined && included !== connectorName) {
    throw new SluiceError('INVALID_REQUEST', [
      `Connector name configuration (${included}) doesn't match connector name in the URL (${connectorName})`,
    ]);
  }
  return { ...config, name: connectorName };
}

const initialStates: Readonly<Record<string, TargetState>> = {
  RUNNING: 'STARTED',
  PAUSED: 'PAUSED',
  STOPPED: 'STOPPED',
};

/** `initial_state` of a create request (any case) as the herder's target state. */
export function initialTargetState(value: string | null | undefined): TargetState | undefined {
  if (value === undefined || value === null) return undefined;
  const state = initialStates[value.toUpperCase()];
  if (state === undefined) {
    throw new SluiceError('INVALID_REQUEST', [
      `Invalid request body: 'initial_state' must be one of RUNNING, PAUSED, STOPPED (got "${value}")`,
    ]);
  }
  return state;
}

/** The Location header of a created connector; the name is encoded so slashes stay inside one path segment. */
export function connectorLocation(connectorName: string): string {
  return `/connectors/${encodeURIComponent(connectorName)}`;
}
