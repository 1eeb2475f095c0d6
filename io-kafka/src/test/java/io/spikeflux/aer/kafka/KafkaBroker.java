package io.spikeflux.aer.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Kafka broker in KRaft mode inside the test JVM (Kafka's own test kit; these machines have
 * no Docker): one node that is broker and controller, on a random loopback port.
 */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    public KafkaBroker() throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                // one broker: the internal topics cannot have three replicas
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // short sessions, so a failover test sees a dead member go within seconds
                .setConfigProp("group.min.session.timeout.ms", "500")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** The group's committed offsets (the next record to read per partition). */
    public Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    /**
     * Every record of the topic, read from the start by a group of its own until none has come for
     * 2 s (a topic has no end: quiet is the best a reader can tell).
     */
    public List<ConsumerRecord<String, byte[]>> records(String topic) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "read-" + topic + "-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < 2_000_000_000L) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                    quietSince = System.nanoTime();
                }
            }
        }
        return out;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Runs a broker until interrupted, for trying the commands without a Kafka installation. */
    public static void main(String[] args) throws Exception {
        try (KafkaBroker broker = new KafkaBroker()) {
            for (String topic : args) {
                String[] nameAndPartitions = topic.split(":");
                broker.createTopic(nameAndPartitions[0], nameAndPartitions.length > 1 ? Integer.parseInt(nameAndPartitions[1]) : 4);
            }
            System.out.println(broker.bootstrapServers());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
