import type { ConfigDef, ConfigValues } from '../../../runtime/api/index.js';
import type { ObjectStoreSettings } from '../storage/object-store.js';

/** Where the bucket is: the Confluent S3 sink's keys, shared by the sink and the source. */
export const StoreKeys = {
  BUCKET: 's3.bucket.name',
  REGION: 's3.region',
  STORE_URL: 'store.url',
  PATH_STYLE: 's3.path.style.access.enabled',
  ACCESS_KEY_ID: 'aws.access.key.id',
  SECRET_ACCESS_KEY: 'aws.secret.access.key',
  PART_RETRIES: 's3.part.retries',
} as const;

const group = 'S3';

export const storeConfigDef: ConfigDef = {
  [StoreKeys.BUCKET]: {
    type: 'string',
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation: 'The bucket objects are written to (sink) or read from (source). It must exist.',
    validator: { nonEmpty: true },
  },
  [StoreKeys.REGION]: {
    type: 'string',
    default: 'us-west-2',
    importance: 'medium',
    group,
    orderInGroup: 2,
    documentation: "The bucket's AWS region (S3-compatible servers usually accept any).",
  },
  [StoreKeys.STORE_URL]: {
    type: 'string',
    default: null,
    importance: 'high',
    group,
    orderInGroup: 3,
    documentation:
      'The endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000 (MinIO, S3Proxy, Ceph). Unset means AWS S3.',
  },
  [StoreKeys.PATH_STYLE]: {
    type: 'boolean',
    default: true,
    importance: 'low',
    group,
    orderInGroup: 4,
    documentation:
      'Address the bucket as <store.url>/<bucket> (path style) instead of <bucket>.<host> (virtual-hosted style).',
  },
  [StoreKeys.ACCESS_KEY_ID]: {
    type: 'string',
    default: null,
    importance: 'high',
    group,
    orderInGroup: 5,
    documentation:
      "Access key id. Unset means the AWS SDK's default chain (AWS_ACCESS_KEY_ID, ~/.aws, instance roles).",
  },
  [StoreKeys.SECRET_ACCESS_KEY]: {
    type: 'password',
    default: null,
    importance: 'high',
    group,
    orderInGroup: 6,
    documentation: 'Secret access key; keep it out of the config with a config provider (${file:...}).',
  },
  [StoreKeys.PART_RETRIES]: {
    type: 'int',
    default: 3,
    importance: 'low',
    group,
    orderInGroup: 7,
    documentation:
      'Retries of one S3 request inside the client before the task sees the failure (and retries the batch within errors.retry.timeout).',
    validator: { min: 0 },
  },
};

export function objectStoreSettings(values: ConfigValues): ObjectStoreSettings {
  return {
    bucket: values.string(StoreKeys.BUCKET),
    region: values.string(StoreKeys.REGION),
    endpoint: values.optionalString(StoreKeys.STORE_URL),
    pathStyle: values.boolean(StoreKeys.PATH_STYLE),
    accessKeyId: values.optionalString(StoreKeys.ACCESS_KEY_ID),
    secretAccessKey: values.optionalString(StoreKeys.SECRET_ACCESS_KEY),
    maxAttempts: values.number(StoreKeys.PART_RETRIES) + 1,
  };
}
