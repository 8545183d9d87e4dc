// The real Java Kafka client (kafka-clients from the test services' jars) for interop tests:
// produce records with a given compression.type, or read a topic back, byte for byte.
// Run as a single-file program: java -cp 'test/services/target/kafka/lib/*' KafkaRecordsTool.java ...
//   produce <bootstrap> <topic> <compression.type>   records on stdin, one per line
//   consume <bootstrap> <topic> <count> <timeoutMs>   prints "<partition> <offset> <record>" lines
// A record line is tab-separated: key, value, then one "name:value" field per header, in order; each
// part is base64, "-" stands for null.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
    if (args[0].equals("produce")) produce(args[1], args[2], args[3]);
    else consume(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
  }

  private static void produce(String bootstrap, String topic, String compression) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("compression.type", compression);
    props.put("acks", "all");
    props.put("linger.ms", "20");
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        String[] parts = line.split("\t", -1);
        RecordHeaders headers = new RecordHeaders();
        for (int i = 2; i < parts.length; i++) {
          String[] header = parts[i].split(":", -1);
          headers.add(new String(decode(header[0]), StandardCharsets.UTF_8), decode(header[1]));
        }
        producer.send(new ProducerRecord<>(topic, 0, null, decode(parts[0]), decode(parts[1]), headers));
      }
      producer.flush();
    }
  }

  private static void consume(String bootstrap, String topic, int count, long timeoutMs) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.currentTimeMillis() + timeoutMs;
      int seen = 0;
      while (seen < count && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder line = new StringBuilder();
          line.append(r.partition()).append(' ').append(r.offset()).append(' ');
          line.append(encode(r.key())).append('\t').append(encode(r.value()));
          for (Header h : r.headers())
            line.append('\t').append(encode(h.key().getBytes(StandardCharsets.UTF_8))).append(':').append(encode(h.value()));
          System.out.println(line);
          seen++;
        }
      }
      System.out.flush();
      if (seen < count) {
        System.err.println("read " + seen + " of " + count + " record(s) from " + topic + " within " + timeoutMs + " ms");
        System.exit(3);
      }
    }
  }
}
