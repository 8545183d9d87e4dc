import type { Logger } from '../runtime/api/logger.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import type { RestSecurity } from '../runtime/security/index.js';
import {
  SharedByteRateThrottles,
  type TaskThrottles,
  type ThrottledFlow,
} from '../runtime/worker/byte-rate-throttle.js';

/** How far above the tenant's rate the Kafka client quota is set (the worker's throttling is the exact one). */
const KAFKA_QUOTA_HEADROOM = 2;

/** The tenants' byte-rate quotas as the worker applies them: throttles its tasks wait on, and Kafka quotas. */
export interface TenantQuotaWiring {
  readonly throttles: TaskThrottles;
  readonly onTaskClient: (connector: string, flow: ThrottledFlow, clientId: string) => void;
}

/**
 * Tenants' `produceBytesPerSecond`/`consumeBytesPerSecond` (docs/security.md): every task of a tenant on
 * this worker waits on one shared token bucket per direction, and each task's client id also gets the
 * tenant's rate as a Kafka client quota, so the brokers hold it too. Setting a Kafka quota needs
 * ALTER_CONFIGS on the cluster; without it the worker's throttling alone applies, said once per tenant.
 */
export function tenantQuotas(security: RestSecurity, kafka: KafkaClient, log: Logger): TenantQuotaWiring {
  const explained = new Set<string>();
  return {
    throttles: new SharedByteRateThrottles((connector, flow) => {
      const quota = security.byteRateOf(connector, flow);
      return quota === null ? null : { owner: quota.tenant, bytesPerSecond: quota.bytesPerSecond };
    }),
    onTaskClient(connector, flow, clientId) {
      const quota = security.byteRateOf(connector, flow);
      if (quota === null) return;
      const skip = (reason: string): void => {
        if (explained.has(quota.tenant)) return;
        explained.add(quota.tenant);
        log.warn(
          `Kafka client quotas of tenant ${quota.tenant} not set (${reason}); the worker's throttling alone holds its byte rate`,
          { tenant: quota.tenant },
        );
      };
      if (kafka.setClientByteRateQuotas === undefined) {
        skip('this Kafka client cannot set quotas');
        return;
      }
      // The brokers count protocol overhead too and throttle by muting the connection, which on top of the
      // worker's own bucket would cut the rate well below the quota: theirs is a backstop set above it.
      const brokerRate = Math.ceil(quota.bytesPerSecond * KAFKA_QUOTA_HEADROOM);
      const rate = flow === 'produce' ? { producerByteRate: brokerRate } : { consumerByteRate: brokerRate };
      kafka.setClientByteRateQuotas([{ clientId, ...rate }]).then(
        () =>
          log.info(`Kafka client quota ${flow} ${brokerRate} B/s set on client id ${clientId}`, {
            tenant: quota.tenant,
          }),
        (error: unknown) => skip(error instanceof Error ? error.message : String(error)),
      );
    },
  };
}
