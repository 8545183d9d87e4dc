/**
 * Baseline for the sink-path benchmark: a plain kafkajs consumer in a fresh group reading a topic from the
 * beginning until it saw `records` messages, run as its own process. It decodes each value the way the
 * worker's converter does in the compared run (`string`: UTF-8 text like StringConverter; `json`: JSON.parse
 * like JsonConverter schemas.enable=false), then drops it.
 * Prints {records, seconds, peakRssMb}: the timed window runs from the end of the first batch to the end
 * of the last one, so connecting and joining the group are left out (the worker side is timed the same way).
 * Usage: node bare-consumer.js '<json settings>'
 */
import { Kafka, logLevel } from 'kafkajs';

interface Settings {
  bootstrap: string;
  topic: string;
  groupId: string;
  records: number;
  decode: 'string' | 'json';
}

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const kafka = new Kafka({
  clientId: 'bench-bare-consumer',
  brokers: settings.bootstrap.split(','),
  logLevel: logLevel.NOTHING,
});
const consumer = kafka.consumer({ groupId: settings.groupId, maxBytesPerPartition: 1_048_576 });
await consumer.connect();
await consumer.subscribe({ topics: [settings.topic], fromBeginning: true });

let seen = 0;
let firstBatchAt = 0;
let firstBatchRecords = 0;
let firstBatchCpu: NodeJS.CpuUsage | undefined;
let decodedChars = 0;
const done = new Promise<number>((resolve) => {
  void consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        if (message.value === null) continue;
        const text = message.value.toString('utf8');
        decodedChars +=
          settings.decode === 'json' ? Object.keys(JSON.parse(text) as object).length : text.length;
      }
      seen += batch.messages.length;
      if (firstBatchAt === 0) {
        firstBatchAt = performance.now();
        firstBatchRecords = seen;
        firstBatchCpu = process.cpuUsage();
      }
      if (seen >= settings.records) resolve(performance.now());
    },
  });
});
const lastBatchAt = await done;
const cpu = process.cpuUsage(firstBatchCpu);
const peakRssMb = process.resourceUsage().maxRSS / 1024;
await consumer.disconnect();
process.stdout.write(
  `${JSON.stringify({ records: seen - firstBatchRecords, seconds: (lastBatchAt - firstBatchAt) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb, decodedChars })}\n`,
);
