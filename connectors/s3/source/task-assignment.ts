/**
 * Which task reads a (topic, Kafka partition): consecutive partitions of a topic go to consecutive tasks,
 * starting at a task chosen by the topic's name, so every task gets a fair share and the answer depends only
 * on the names and tasks.max (no listing in the connector, and partitions that appear later have an owner).
 */
export function taskFor(topic: string, partition: number, taskCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) hash = Math.imul(hash ^ topic.charCodeAt(i), 0x01000193) >>> 0;
  return (hash + partition) % taskCount;
}
