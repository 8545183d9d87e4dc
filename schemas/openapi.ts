/**
 * JSON Schemas of the REST response bodies (Kafka Connect's shapes, see runtime/cluster/rest-types.ts),
 * published under `components.schemas` of GET /openapi.json.
 */
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const connectorTaskId = {
  type: 'object',
  required: ['connector', 'task'],
  properties: { connector: { type: 'string' }, task: { type: 'integer' } },
} as const;

const stateEntry = {
  type: 'object',
  required: ['state', 'worker_id'],
  properties: {
    state: { type: 'string', enum: ['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING'] },
    worker_id: { type: 'string' },
    trace: { type: 'string' },
    version: { type: 'string' },
  },
} as const;

const taskState = {
  type: 'object',
  required: ['id', 'state', 'worker_id'],
  properties: { id: { type: 'integer' }, ...stateEntry.properties },
} as const;

const connectorType = { type: 'string', enum: ['source', 'sink', 'unknown'] } as const;

const connectorInfo = {
  type: 'object',
  required: ['name', 'config', 'tasks', 'type'],
  properties: {
    name: { type: 'string' },
    config: stringMap,
    tasks: { type: 'array', items: connectorTaskId },
    type: connectorType,
  },
} as const;

const connectorStateInfo = {
  type: 'object',
  required: ['name', 'connector', 'tasks', 'type'],
  properties: {
    name: { type: 'string' },
    connector: stateEntry,
    tasks: { type: 'array', items: taskState },
    type: connectorType,
  },
} as const;

const configKeyInfo = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    required: { type: 'boolean' },
    default_value: { type: ['string', 'null'] },
    importance: { type: 'string' },
    documentation: { type: 'string' },
    group: { type: ['string', 'null'] },
    order_in_group: { type: 'integer' },
    width: { type: 'string' },
    display_name: { type: 'string' },
    dependents: { type: 'array', items: { type: 'string' } },
  },
} as const;

const configValueInfo = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    value: { type: ['string', 'null'] },
    recommended_values: { type: 'array', items: { type: 'string' } },
    errors: { type: 'array', items: { type: 'string' } },
    visible: { type: 'boolean' },
    // Sluice's addition, only on keys with something to warn about (an unknown key, with a did-you-mean).
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

const loggerLevel = {
  type: 'object',
  required: ['level'],
  properties: { level: { type: 'string' }, last_modified: { type: ['integer', 'null'] } },
} as const;

const connectorOffsets = {
  type: 'object',
  required: ['offsets'],
  properties: {
    offsets: {
      type: 'array',
      items: {
        type: 'object',
        properties: { partition: { type: 'object' }, offset: { type: ['object', 'null'] } },
      },
    },
  },
} as const;

/** A job as GET /jobs/{id} shows it (runtime/jobs/job-service.ts JobView). */
const job = {
  type: 'object',
  required: ['id', 'type', 'config', 'state', 'progress', 'created_at'],
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    config: stringMap,
    state: { type: 'string', enum: ['waiting', 'active', 'completed', 'failed', 'cancelled'] },
    progress: {
      type: 'object',
      properties: {
        units_done: { type: 'integer' },
        units_total: { type: 'integer' },
        records: { type: 'integer' },
        bytes: { type: 'integer' },
        estimated_records: { type: ['integer', 'null'] },
        records_per_second: { type: 'number' },
        eta_seconds: { type: ['number', 'null'] },
        possible_duplicates: { type: 'integer' },
      },
    },
    created_at: { type: 'string', format: 'date-time' },
    started_at: { type: ['string', 'null'], format: 'date-time' },
    finished_at: { type: ['string', 'null'], format: 'date-time' },
    error: { type: ['string', 'null'] },
    result: { type: ['object', 'null'] },
  },
} as const;

export const restResponseSchemas = {
  ErrorMessage: {
    type: 'object',
    required: ['error_code', 'message'],
    properties: { error_code: { type: 'integer' }, message: { type: 'string' } },
  },
  ServerInfo: {
    type: 'object',
    properties: {
      version: { type: 'string' },
      commit: { type: 'string' },
      kafka_cluster_id: { type: ['string', 'null'] },
    },
  },
  Principal: {
    type: 'object',
    required: ['name', 'role', 'tenant', 'may_write'],
    properties: {
      name: { type: 'string' },
      role: { type: 'string', enum: ['admin', 'operator', 'viewer'] },
      tenant: { type: ['string', 'null'] },
      may_write: { type: 'boolean' },
    },
  },
  WorkerStatus: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['healthy', 'starting', 'unhealthy'] },
      message: { type: 'string' },
    },
  },
  ConnectorNames: { type: 'array', items: { type: 'string' } },
  ExpandedConnectors: {
    type: 'object',
    description: 'Keyed by connector name; each value holds the requested expansions.',
    additionalProperties: { type: 'object', properties: { status: connectorStateInfo, info: connectorInfo } },
  },
  ConnectorInfo: connectorInfo,
  ConnectorConfig: stringMap,
  ConnectorStateInfo: connectorStateInfo,
  TaskState: taskState,
  TaskInfos: {
    type: 'array',
    items: { type: 'object', properties: { id: connectorTaskId, config: stringMap } },
  },
  ActiveTopics: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { topics: { type: 'array', items: { type: 'string' } } },
    },
  },
  ConnectorOffsets: connectorOffsets,
  Message: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
  PluginInfos: {
    type: 'array',
    items: {
      type: 'object',
      properties: { class: { type: 'string' }, type: { type: 'string' }, version: { type: 'string' } },
    },
  },
  ConfigKeyInfos: { type: 'array', items: configKeyInfo },
  ConfigInfos: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      error_count: { type: 'integer' },
      groups: { type: 'array', items: { type: 'string' } },
      configs: {
        type: 'array',
        items: { type: 'object', properties: { definition: configKeyInfo, value: configValueInfo } },
      },
    },
  },
  LoggerLevels: { type: 'object', additionalProperties: loggerLevel },
  ConnectorLogs: {
    type: 'object',
    properties: {
      worker_id: { type: 'string' },
      next: { type: 'integer' },
      lines: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            seq: { type: 'integer' },
            time: { type: 'integer', description: 'epoch ms' },
            level: { type: 'string', enum: ['DEBUG', 'INFO', 'WARN', 'ERROR'] },
            logger: { type: 'string' },
            message: { type: 'string' },
            fields: { type: 'object' },
          },
        },
      },
    },
  },
  LoggerLevel: loggerLevel,
  LoggerNames: { type: 'array', items: { type: 'string' } },
  OpenApiDocument: { type: 'object' },
  Job: job,
  Jobs: { type: 'array', items: job },
  MetricsHistory: {
    type: 'object',
    properties: {
      interval_ms: { type: 'integer' },
      connectors: {
        type: 'object',
        description: 'Keyed by connector name; points oldest first.',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              t: { type: 'integer', description: 'epoch ms at the end of the interval' },
              records_per_second: { type: 'number' },
              errors_per_second: { type: 'number' },
              lag: { type: ['number', 'null'] },
              batch_ms: { type: ['number', 'null'] },
              batch_max_ms: { type: ['number', 'null'] },
              commit_ms: { type: ['number', 'null'] },
            },
          },
        },
      },
      rebalances: {
        type: 'array',
        description: "The last rebalances of this process's workers (distributed mode), oldest first.",
        items: {
          type: 'object',
          properties: {
            at: { type: 'integer', description: 'epoch ms when the worker had applied the round' },
            generation: { type: 'integer' },
            leader: { type: 'boolean' },
            leader_url: { type: ['string', 'null'] },
            connectors: { type: ['integer', 'null'] },
            tasks: { type: ['integer', 'null'] },
            revoked_connectors: { type: ['integer', 'null'] },
            revoked_tasks: { type: ['integer', 'null'] },
            delay_ms: { type: ['integer', 'null'] },
          },
        },
      },
    },
  },
} as const;
