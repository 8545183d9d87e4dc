import { DataProblem } from './conversion-error.js';

export const MILLIS_PER_DAY = 86_400_000;

function millisOf(value: unknown, logicalName: string): number {
  if (!(value instanceof Date))
    throw new DataProblem(`Invalid type for ${logicalName}, expected Date but was ${typeof value}`);
  const millis = value.getTime();
  if (Number.isNaN(millis)) throw new DataProblem(`Invalid ${logicalName}: the Date is not a valid date`);
  return millis;
}

/** Connect's Date.fromLogical: days since the epoch of a midnight-UTC Date. */
export function dateToEpochDays(value: unknown): number {
  const millis = millisOf(value, 'Date');
  if (millis % MILLIS_PER_DAY !== 0)
    throw new DataProblem('Kafka Connect Date type should not have any time fields set to non-zero values.');
  return millis / MILLIS_PER_DAY;
}

/** Connect's Time.fromLogical: milliseconds since midnight of a Date on 1970-01-01 UTC. */
export function timeToMillisOfDay(value: unknown): number {
  const millis = millisOf(value, 'Time');
  if (millis < 0 || millis > MILLIS_PER_DAY)
    throw new DataProblem('Kafka Connect Time type should not have any date fields set to non-zero values.');
  return millis;
}

export function timestampToMillis(value: unknown): number {
  return millisOf(value, 'Timestamp');
}

export function epochDaysToDate(days: number): Date {
  return new Date(days * MILLIS_PER_DAY);
}

/** Connect's Time.toLogical. */
export function millisOfDayToTime(millis: number): Date {
  if (millis < 0 || millis >= MILLIS_PER_DAY) {
    throw new DataProblem(
      'Time values must use number of milliseconds greater than 0 and less than 86400000',
    );
  }
  return new Date(millis);
}
