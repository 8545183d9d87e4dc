import { randomUUID } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { CASSANDRA_LOCAL_DC, cassandraContactPoints } from './endpoints.js';

/** A driver client on the test Cassandra with a throwaway keyspace of its own (replication factor 1). */
export class TestKeyspace {
  private constructor(
    readonly client: cassandra.Client,
    readonly name: string,
  ) {}

  /** Keyspace `<prefix>_<random>`; Cassandra names allow letters, digits and underscores. */
  static async create(prefix: string): Promise<TestKeyspace> {
    const client = new cassandra.Client({
      contactPoints: cassandraContactPoints(),
      localDataCenter: CASSANDRA_LOCAL_DC,
    });
    await client.connect();
    const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    await client.execute(
      `CREATE KEYSPACE ${name} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    return new TestKeyspace(client, name);
  }

  async drop(): Promise<void> {
    await this.client.execute(`DROP KEYSPACE IF EXISTS ${this.name}`).catch(() => undefined);
    await this.client.shutdown();
  }
}
