/**
 * Checks a connector's `producer.override.*`, `consumer.override.*` and `admin.override.*` security keys
 * when it is validated or created, laid over the worker's keys as its clients will use them: a JKS
 * store or an unknown mechanism is then a 400 naming the key, not a task that fails later.
 */
import type { ConfigIssue } from '../api/config-def.js';
import { kafkaSecurityIssue, securityProperties } from '../kafka/security-config.js';

const ROLES = ['producer', 'consumer', 'admin'] as const;

function below(properties: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

export function clientSecurityIssues(
  connectorConfig: Readonly<Record<string, string>>,
  workerProperties: Readonly<Record<string, string>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const role of ROLES) {
    const overridePrefix = `${role}.override.`;
    const own = securityProperties(below(connectorConfig, overridePrefix));
    if (Object.keys(own).length === 0) continue;
    const workerRole = securityProperties(below(workerProperties, `${role}.`));
    const merged = { ...securityProperties(workerProperties), ...workerRole, ...own };
    const issue = kafkaSecurityIssue(merged, (key) =>
      key in own ? `${overridePrefix}${key}` : key in workerRole ? `${role}.${key}` : key,
    );
    if (issue !== null) issues.push(issue);
  }
  return issues;
}
