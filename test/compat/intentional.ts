/**
 * The differences left on purpose, each with the reason docs/compatibility.md gives a user. A difference
 * the suite finds is intentional when its area matches and both patterns match its step and path.
 */
import type { Area, Difference } from './difference.js';

export interface Intentional {
  readonly area: Area;
  readonly step: RegExp;
  readonly path: RegExp;
  readonly reason: string;
}

const PLUGINS =
  "Sluice implements its own set of plugins: it adds S3, Cassandra, the JDBC sink and datagen, and does not implement Debezium's other transforms and converters nor BooleanConverter (README, Plugins)";
const SNAPSHOT_INFINITY =
  "Debezium's snapshot reads ±infinity and BC dates through JDBC and writes other numbers for them than its own streaming does (4713 BC becomes 4713 AD); Sluice writes the streaming values in both phases";

export const INTENTIONAL: readonly Intentional[] = [
  // REST
  { area: 'rest', step: /^GET \/connector-plugins/, path: /^body\.[a-z]+\.[\w.$]+$/, reason: PLUGINS },
  {
    area: 'rest',
    step: /./,
    path: /\.(documentation|display_name)$/,
    reason:
      "Documentation texts and display names describe Sluice's behaviour for people; no tool reads them",
  },
  {
    area: 'rest',
    step: /FileStreamSource\}\/config/,
    path: /^body\.file\.required$/,
    reason:
      'FileStreamSource needs a file: Sluice does not read standard input (docs/compatibility.md, Connectors)',
  },
  {
    area: 'rest',
    step: /^PUT validate/,
    path: /^body\.configs\.delivery\.guarantee$/,
    reason: "FileStreamSink's delivery.guarantee (exactly once by default) is Sluice's own key",
  },
  {
    area: 'rest',
    step: /./,
    path: /^body\.message$/,
    reason:
      'Error messages are worded by Sluice (naming the key and what is wrong); status codes and error_code match',
  },
  {
    area: 'rest',
    step: /malformed JSON/,
    path: /^(status|body\.error_code)$/,
    reason:
      "A request body that is not JSON is the client's error: 400, where Connect answers 500 from its JSON parser",
  },
  // Debezium
  {
    area: 'debezium',
    step: /./,
    path: /(\.c_bit|\.c_varbit|fields\[\d+\]\.fields\[(29|30)\]\.(type|name|version|parameters))$/,
    reason: 'bit/varbit values are their 0/1 text, not io.debezium.data.Bits bytes (docs/postgres-cdc.md)',
  },
  {
    area: 'debezium',
    step: /./,
    path: /^value\.payload\.source\.version$/,
    reason: 'source.version says which implementation wrote the event (3.6.1.Final-sluice)',
  },
  { area: 'debezium', step: / snapshot event /, path: /\.after\.c_date$/, reason: SNAPSHOT_INFINITY },
  {
    area: 'debezium',
    step: /./,
    path: /\.after\.(c_date_array|c_tstz_array)\[\d+\]$/,
    reason:
      "Debezium writes ±infinity inside date and timestamptz arrays as pgjdbc's sentinel dates; Sluice writes them as it writes the scalar column",
  },
  {
    area: 'debezium',
    step: /^string\/connect /,
    path: /\.after\.(c_date|c_ts|c_ts3|c_date_array\[\d+\]|c_ts_array\[\d+\])$/,
    reason:
      "time.precision.mode=connect: ±infinity dates and timestamps are clamped to what a JavaScript Date holds (±8.64e15 ms); Debezium writes pgjdbc's sentinels",
  },
  // MirrorMaker 2
  {
    area: 'mirror',
    step: /^mm2-configs\./,
    path: /^"(connector|task)-Mirror\w+Connector(-\d+)?"\.value\.properties\.(enabled|tasks\.max|(key|value|header)\.converter|(source|target)\.(admin|consumer|producer)\.bootstrap\.servers)$/,
    reason:
      "Each implementation stores the connector configs it derives from mm2.properties (MM2 spells out each client's bootstrap servers, Sluice the converters and tasks.max it applies) and rewrites them when it starts, so either takes over the other's state (checked by the take-over runs)",
  },
  {
    area: 'mirror',
    step: /^mm2-configs\./,
    path: /^"target-state-Mirror\w+Connector"$/,
    reason:
      "Sluice's flow worker records each connector's target state STARTED, as a Connect cluster does; MM2's dedicated mode writes none, and both read STARTED when there is none",
  },
  {
    area: 'mirror',
    step: /^mm2-status\./,
    // The first side stopped cleanly before its records are compared: every status here is its UNASSIGNED.
    path: /^"status-(connector-Mirror\w+Connector|task-Mirror\w+Connector-\d+)"\.value\.version$/,
    reason:
      "A stopped connector's or task's UNASSIGNED status has no version in Sluice; Connect looks the version up as the instance stops and finds it only when the stop was quick enough to beat its removal from the worker (a race: in the suite's runs MM2's heartbeat connector and task had one, its source and checkpoint connectors, which close clients first, had none). No tool reads the version of something that no longer runs",
  },
];

export function intentionalReason(difference: Difference): string | null {
  const match = INTENTIONAL.find(
    (i) => i.area === difference.area && i.step.test(difference.step) && i.path.test(difference.path),
  );
  return match?.reason ?? null;
}
