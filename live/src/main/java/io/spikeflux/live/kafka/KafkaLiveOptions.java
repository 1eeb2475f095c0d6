package io.spikeflux.live.kafka;

import java.time.Duration;

/**
 * Where an engine instance reads and writes in Kafka.
 *
 * @param bootstrapServers  the cluster, {@code host:port[,host:port...]}
 * @param topic             the topic of event packets (key = sensor id)
 * @param group             the consumer group the instances share; each partition is served by one
 * @param outTopic          where classifications go (key = sensor id), or null for none
 * @param sessionTimeout    how long the group waits for a silent instance before moving its
 *                          partitions to the others
 * @param commitInterval    how often finished offsets are committed
 * @param maxPendingRecords records received and not yet finished; beyond it the instance stops
 *                          asking for more and its partitions are paused (backpressure)
 * @param quiet             a sensor silent this long has its records finished (its steps closed)
 * @param maxAge            a record this old is finished whatever happened to it (counted drops)
 * @param fromStart         where a group without committed offsets starts: the oldest records
 *                          (true) or the newest (false: a new group classifies what arrives from now on)
 * @param instanceId        a stable name of this instance in the group (static membership), or null:
 *                          a restarted instance with the same name gets its partitions back without
 *                          a rebalance, if it returns within the session timeout
 */
public record KafkaLiveOptions(String bootstrapServers, String topic, String group, String outTopic,
                               Duration sessionTimeout, Duration commitInterval, int maxPendingRecords,
                               Duration quiet, Duration maxAge, boolean fromStart, String instanceId) {

    public KafkaLiveOptions {
        if (bootstrapServers == null || bootstrapServers.isBlank() || topic == null || topic.isBlank()
                || group == null || group.isBlank()) {
            throw new IllegalArgumentException("Kafka needs servers, a topic and a consumer group");
        }
        if (maxPendingRecords <= 0) {
            throw new IllegalArgumentException("max pending records must be positive");
        }
    }

    /**
     * Defaults: a 10 s session, commits every second, 4,096 pending records, 2 s quiet, 30 s max
     * age, a new group starting at the newest records.
     */
    public static KafkaLiveOptions of(String bootstrapServers, String topic, String group, String outTopic) {
        return new KafkaLiveOptions(bootstrapServers, topic, group, outTopic, Duration.ofSeconds(10),
                Duration.ofSeconds(1), 4096, Duration.ofSeconds(2), Duration.ofSeconds(30), false, null);
    }

    public KafkaLiveOptions withSessionTimeout(Duration d) {
        return new KafkaLiveOptions(bootstrapServers, topic, group, outTopic, d, commitInterval, maxPendingRecords, quiet,
                maxAge, fromStart, instanceId);
    }

    public KafkaLiveOptions withCommitInterval(Duration d) {
        return new KafkaLiveOptions(bootstrapServers, topic, group, outTopic, sessionTimeout, d, maxPendingRecords, quiet,
                maxAge, fromStart, instanceId);
    }

    public KafkaLiveOptions withInstanceId(String id) {
        return new KafkaLiveOptions(bootstrapServers, topic, group, outTopic, sessionTimeout, commitInterval,
                maxPendingRecords, quiet, maxAge, fromStart, id);
    }

    public KafkaLiveOptions withFromStart(boolean start) {
        return new KafkaLiveOptions(bootstrapServers, topic, group, outTopic, sessionTimeout, commitInterval,
                maxPendingRecords, quiet, maxAge, start, instanceId);
    }
}
