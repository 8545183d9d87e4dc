/**
 * JSON Schemas (draft-07, ajv 8) of the request bodies the REST API accepts, matching Kafka Connect's.
 *
 * Config values accept numbers and booleans as well as strings because Connect's JSON mapper
 * coerces scalars into the `Map<String, String>` it binds, and existing tooling relies on sending
 * `"tasks.max": 1`. The REST layer turns them into strings before the herder sees them.
 * Objects, arrays and nulls are rejected, naming the key.
 */

/** A flat connector configuration: `PUT /connectors/{c}/config`, `PUT /connector-plugins/{p}/config/validate`. */
export const connectorConfigBodySchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
} as const;

/** `PATCH /connectors/{c}/config`: a null value removes the key. */
export const connectorConfigPatchBodySchema = {
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
} as const;

/** `POST /connectors`. */
export const createConnectorBodySchema = {
  type: 'object',
  required: ['config'],
  properties: {
    name: { type: ['string', 'null'] },
    config: connectorConfigBodySchema,
    // RUNNING, PAUSED or STOPPED in any case; checked by the REST layer so the message can list them.
    initial_state: { type: ['string', 'null'] },
  },
} as const;

/** `PATCH /connectors/{c}/offsets`: a null (or absent) offset resets that partition. */
export const connectorOffsetsBodySchema = {
  type: 'object',
  properties: {
    offsets: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        required: ['partition'],
        properties: {
          partition: { type: 'object' },
          offset: { type: ['object', 'null'] },
        },
      },
    },
  },
} as const;

/** `PUT /admin/loggers/{name}`. A missing level is answered with Connect's own message, so it is not `required` here. */
export const loggerLevelBodySchema = {
  type: 'object',
  properties: {
    level: { type: ['string', 'null'] },
  },
} as const;

/** Every body schema by the name the OpenAPI document lists it under. */
/**
 * `POST /jobs`: the job type and its config (a flat map, values coerced to strings like connector configs; a
 * list of strings, such as a snapshot's `data-collections`, becomes one comma-separated value).
 */
export const jobRequestBodySchema = {
  type: 'object',
  required: ['type', 'config'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1 },
    config: {
      type: 'object',
      additionalProperties: {
        anyOf: [{ type: ['string', 'number', 'boolean'] }, { type: 'array', items: { type: 'string' } }],
      },
    },
  },
} as const;

export const restBodySchemas = {
  ConnectorConfigRequest: connectorConfigBodySchema,
  ConnectorConfigPatchRequest: connectorConfigPatchBodySchema,
  CreateConnectorRequest: createConnectorBodySchema,
  AlterOffsetsRequest: connectorOffsetsBodySchema,
  LoggerLevelRequest: loggerLevelBodySchema,
  JobRequest: jobRequestBodySchema,
} as const;
