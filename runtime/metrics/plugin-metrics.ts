import type { MetricFamily, MetricSample, SampledStat, TaskMetricsRegistry } from '../api/metrics.js';
import { SluiceError } from '../errors/sluice-error.js';
import { SampledWindow } from './sampled-window.js';

/** Accepts (or refuses, with METRIC_CONFLICT) a plugin's family definition for the whole process. */
export type PluginFamilyGate = (family: MetricFamily) => void;

/** One task's plugin series: the samplers it registered per family name. */
export class TaskPluginMetrics implements TaskMetricsRegistry {
  private readonly samplers = new Map<string, Array<() => Iterable<MetricSample>>>();

  constructor(
    private readonly gate: PluginFamilyGate,
    private readonly now: () => number,
  ) {}

  register(family: MetricFamily, samples: () => Iterable<MetricSample>): void {
    this.gate(family);
    const list = this.samplers.get(family.name) ?? [];
    list.push(samples);
    this.samplers.set(family.name, list);
  }

  sampledStat(): SampledStat {
    const now = this.now;
    const window = new SampledWindow(now());
    return {
      record: (value, at) => window.record(value, at ?? now()),
      avg: () => window.avg(now()),
      max: () => window.max(now()),
      min: () => window.min(now()),
      rate: () => window.rate(now()),
    };
  }

  /** This task's series of one family, read at scrape time. */
  *samples(name: string): Iterable<MetricSample> {
    for (const sampler of this.samplers.get(name) ?? []) yield* sampler();
  }
}

/**
 * The process-wide definitions of plugin families: the first registration of a name defines it, a later one
 * must match it (type and label names), and no plugin may take a name the runtime uses itself.
 */
export class PluginFamilyDefinitions {
  private readonly defined = new Map<string, MetricFamily>();

  constructor(
    private readonly reserved: ReadonlySet<string>,
    /** Called once per new family name, to show it from now on. */
    private readonly onNewFamily: (family: MetricFamily) => void,
  ) {}

  readonly accept: PluginFamilyGate = (family) => {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(family.name))
      throw new SluiceError('METRIC_CONFLICT', [family.name, 'not a valid Prometheus metric name']);
    if (family.labelNames.some((label) => label === 'connector' || label === 'task'))
      throw new SluiceError('METRIC_CONFLICT', [
        family.name,
        "the labels connector and task are the runtime's: it adds them to every series of a task",
      ]);
    if (this.reserved.has(family.name))
      throw new SluiceError('METRIC_CONFLICT', [family.name, 'the runtime uses this name']);
    const earlier = this.defined.get(family.name);
    if (earlier === undefined) {
      this.defined.set(family.name, { ...family, labelNames: [...family.labelNames] });
      this.onNewFamily(family);
      return;
    }
    if (earlier.type !== family.type || earlier.labelNames.join(',') !== family.labelNames.join(','))
      throw new SluiceError('METRIC_CONFLICT', [
        family.name,
        `it is already registered as a ${earlier.type} with labels [${earlier.labelNames.join(', ')}]`,
      ]);
  };
}
