/**
 * MM2's dedicated-mode file (mm2.properties, MirrorMakerConfig): `clusters`, `<alias>.<client key>`,
 * `<source>-><target>.enabled`, `<source>-><target>.<key>` flow overrides and top-level defaults. It
 * turns into three connector configs per enabled flow.
 */
export interface MirrorFlow {
  readonly source: string;
  readonly target: string;
  /** connector name → connector config (Heartbeat, Source, Checkpoint connectors) */
  readonly connectors: ReadonlyMap<string, Record<string, string>>;
}

export interface MirrorMakerPlan {
  readonly clusters: readonly string[];
  /** Client properties per cluster alias (`<alias>.bootstrap.servers` etc.). */
  readonly clusterProperties: ReadonlyMap<string, Record<string, string>>;
  readonly flows: readonly MirrorFlow[];
}

const CONNECTOR_CLASSES = [
  'MirrorHeartbeatConnector',
  'MirrorSourceConnector',
  'MirrorCheckpointConnector',
] as const;
const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter';

/** The connector name a flow's connector gets in dedicated mode. */
export function flowConnectorName(source: string, target: string, connectorClass: string): string {
  return `${source}->${target}.${connectorClass}`;
}

const splitList = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function planMirrorMaker(
  props: Readonly<Record<string, string>>,
  onlyTargets: readonly string[] | null,
): MirrorMakerPlan {
  const clusters = splitList(props['clusters']);
  if (clusters.length === 0) throw new Error('mm2.properties must list its cluster aliases in "clusters"');
  const isFlowKey = (k: string): boolean => /^[^.]+->[^.]+\./.test(k);
  const clusterOf = (k: string): string | undefined => clusters.find((c) => k.startsWith(`${c}.`));

  const clusterProperties = new Map<string, Record<string, string>>();
  for (const alias of clusters) {
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(props))
      if (!isFlowKey(k) && k.startsWith(`${alias}.`)) own[k.slice(alias.length + 1)] = v;
    if (own['bootstrap.servers'] === undefined)
      throw new Error(`mm2.properties has no "${alias}.bootstrap.servers"`);
    clusterProperties.set(alias, own);
  }
  const topLevel: Record<string, string> = {};
  for (const [k, v] of Object.entries(props))
    if (!isFlowKey(k) && clusterOf(k) === undefined && k !== 'clusters') topLevel[k] = v;

  const flows: MirrorFlow[] = [];
  for (const source of clusters) {
    for (const target of clusters) {
      if (source === target) continue;
      if (onlyTargets !== null && !onlyTargets.includes(target)) continue;
      const prefix = `${source}->${target}.`;
      const flowProps: Record<string, string> = {};
      for (const [k, v] of Object.entries(props))
        if (k.startsWith(prefix)) flowProps[k.slice(prefix.length)] = v;
      if ((flowProps['enabled'] ?? 'false').trim().toLowerCase() !== 'true') continue;
      delete flowProps['enabled'];
      const base: Record<string, string> = {
        'tasks.max': '1',
        ...topLevel,
        ...flowProps,
        'source.cluster.alias': source,
        'target.cluster.alias': target,
        'key.converter': BYTES,
        'value.converter': BYTES,
        'header.converter': BYTES,
      };
      for (const [k, v] of Object.entries(clusterProperties.get(source)!)) base[`source.cluster.${k}`] = v;
      for (const [k, v] of Object.entries(clusterProperties.get(target)!)) base[`target.cluster.${k}`] = v;
      const connectors = new Map<string, Record<string, string>>();
      for (const connectorClass of CONNECTOR_CLASSES) {
        const name = flowConnectorName(source, target, connectorClass);
        connectors.set(name, { ...base, name, 'connector.class': connectorClass });
      }
      flows.push({ source, target, connectors });
    }
  }
  return { clusters, clusterProperties, flows };
}
