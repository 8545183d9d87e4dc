// The real Java Kafka client (kafka-clients from the test services' jars) for interop tests:
// produce records with a given compression.type, or read a topic back, byte for byte.
//   produce <bootstrap>                         stdin lines "<topic> <compression.type> <record>", sent in
//                                               order to partition 0, one producer per compression type;
//                                               "<topic>@<partition>@<timestamp>" picks the partition and
//                                               CreateTime (either may be "-" for the default)
//   consume <bootstrap> <count> <timeoutMs> <topic>...  reads `count` records of each topic, printing
//                                               "<topic> <partition> <offset> <record> <timestamp>" lines
//   batch-codecs <bootstrap> <topic>...          prints "<topic> <partition> <baseOffset> <codec>" for each
//                                               record batch the broker stored (its log files: same machine)
// A record is tab-separated: key, value, then one "name:value" field per header, in order; each part is
// base64, "-" stands for null.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.io.File;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class KafkaRecordsTool {
  private static byte[] decode(String part) {
    return part.equals("-") ? null : Base64.getDecoder().decode(part);
  }

  private static String encode(byte[] bytes) {
    return bytes == null ? "-" : Base64.getEncoder().encodeToString(bytes);
  }

  public static void main(String[] args) throws Exception {
    List<String> topics = List.of(args).subList(Math.min(args.length, args[0].equals("consume") ? 4 : 2), args.length);
    if (args[0].equals("produce")) produce(args[1]);
    else if (args[0].equals("batch-codecs")) batchCodecs(args[1], topics);
    else consume(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]), topics);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap, String compression) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("compression.type", compression);
    props.put("acks", "all");
    props.put("linger.ms", "20");
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    return new KafkaProducer<>(props);
  }

  private static void produce(String bootstrap) throws Exception {
    Map<String, KafkaProducer<byte[], byte[]>> producers = new HashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        String[] target = line.split(" ", 3);
        String[] parts = target[2].split("\t", -1);
        String[] where = target[0].split("@", -1);
        int partition = where.length > 1 && !where[1].equals("-") ? Integer.parseInt(where[1]) : 0;
        Long timestamp = where.length > 2 && !where[2].equals("-") ? Long.valueOf(where[2]) : null;
        RecordHeaders headers = new RecordHeaders();
        for (int i = 2; i < parts.length; i++) {
          String[] header = parts[i].split(":", -1);
          headers.add(new String(decode(header[0]), StandardCharsets.UTF_8), decode(header[1]));
        }
        producers
            .computeIfAbsent(target[1], c -> producer(bootstrap, c))
            .send(new ProducerRecord<>(where[0], partition, timestamp, decode(parts[0]), decode(parts[1]), headers));
      }
    } finally {
      for (KafkaProducer<byte[], byte[]> p : producers.values()) p.close();
    }
  }

  private static void consume(String bootstrap, int count, long timeoutMs, List<String> topics) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics)
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.currentTimeMillis() + timeoutMs;
      int seen = 0;
      int wanted = count * topics.size();
      while (seen < wanted && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder line = new StringBuilder();
          line.append(r.topic()).append(' ').append(r.partition()).append(' ').append(r.offset()).append(' ');
          line.append(encode(r.key())).append('\t').append(encode(r.value()));
          for (Header h : r.headers())
            line.append('\t').append(encode(h.key().getBytes(StandardCharsets.UTF_8))).append(':').append(encode(h.value()));
          line.append(' ').append(r.timestamp());
          System.out.println(line);
          seen++;
        }
      }
      System.out.flush();
      if (seen < wanted) {
        System.err.println("read " + seen + " of " + wanted + " record(s) from " + topics + " within " + timeoutMs + " ms");
        System.exit(3);
      }
    }
  }

  private static void batchCodecs(String bootstrap, List<String> topics) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(props)) {
      List<Integer> brokers = new ArrayList<>();
      admin.describeCluster().nodes().get().forEach(n -> brokers.add(n.id()));
      for (var perBroker : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
        for (var entry : perBroker.entrySet()) {
          LogDirDescription description = entry.getValue();
          for (TopicPartition tp : description.replicaInfos().keySet()) {
            if (!topics.contains(tp.topic())) continue;
            File[] segments = new File(entry.getKey(), tp.toString()).listFiles((d, n) -> n.endsWith(".log"));
            java.util.Arrays.sort(segments);
            for (File segment : segments) {
              try (FileRecords records = FileRecords.open(segment)) {
                for (RecordBatch batch : records.batches())
                  System.out.println(tp.topic() + " " + tp.partition() + " " + batch.baseOffset() + " " + batch.compressionType().name);
              }
            }
          }
        }
      }
    }
  }
}
