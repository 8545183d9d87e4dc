import type { ConfigIssue } from '../api/config-def.js';
import { SluiceError } from '../errors/sluice-error.js';

/**
 * Turns a ConfigValues issue into the SluiceError a caller can act on: CONFIG_MISSING or
 * CONFIG_INVALID_VALUE, both naming the key (the message ConfigValues wrote is kept verbatim).
 */
export function issueToError(issue: ConfigIssue, raw: Readonly<Record<string, string>>): SluiceError {
  const value = raw[issue.key];
  if (value === undefined) return new SluiceError('CONFIG_MISSING', [issue.key]);
  const prefix = `Invalid value ${value} for configuration ${issue.key}: `;
  const reason = issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : issue.message;
  return new SluiceError('CONFIG_INVALID_VALUE', [value, issue.key, reason]);
}
