/**
 * Where in a connector's pipeline an operation runs. The names are Kafka Connect's `Stage` enum values,
 * because they are written verbatim into the `__connect.errors.stage` dead letter queue header and the
 * error log, where existing Connect tooling reads them.
 */
export const Stages = [
  'KEY_CONVERTER',
  'VALUE_CONVERTER',
  'HEADER_CONVERTER',
  'TRANSFORMATION',
  'TASK_PUT',
  'TASK_POLL',
  'KAFKA_PRODUCE',
  'KAFKA_CONSUME',
] as const;

export type Stage = (typeof Stages)[number];

/**
 * Stages whose every failure `errors.tolerance=all` may skip: a record that cannot be converted or
 * transformed is bad data. In the other stages only retryable errors are tolerated, so that a fatal
 * sink or Kafka problem (bad credentials, missing table) fails the task instead of quietly skipping
 * every record to the dead letter queue — Connect's `TOLERABLE_EXCEPTIONS` rule.
 */
const stagesToleratingAnyError: ReadonlySet<Stage> = new Set<Stage>([
  'KEY_CONVERTER',
  'VALUE_CONVERTER',
  'HEADER_CONVERTER',
  'TRANSFORMATION',
]);

export function toleratesAnyError(stage: Stage): boolean {
  return stagesToleratingAnyError.has(stage);
}
