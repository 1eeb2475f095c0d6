package io.spikeflux.live;

import io.spikeflux.aer.udp.SensorCounters;
import io.spikeflux.engine.live.LiveClassifier;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A running live engine as its observers (the web view, metrics, status lines) see it, whatever
 * feeds it: a UDP receiver, a DV camera over TCP, or a share of a Kafka topic.
 */
public interface LiveEngine {

    LiveClassifier classifier();

    /** Decisions made so far. */
    long classifications();

    /** Decisions the output could not take in time. */
    long droppedDecisions();

    /** A failure that ended the engine (not one sensor's), or null. */
    Throwable failure();

    /** Per-source counters of a UDP receiver (datagrams, loss, malformed); empty for other sources. */
    List<SensorCounters> sourceCounters();

    /** Counters of the source itself, by name (e.g. {@code dv.connections}, {@code kafka.records}); they only grow. */
    Map<String, LongSupplier> sourceTotals();

    /** Datagrams refused by the allow-list, per sender address (see the UDP receiver); none by default. */
    default Map<String, Long> rejectedBySource() {
        return Map.of();
    }

    /** The live count of one address of {@link #rejectedBySource()}. */
    default LongSupplier rejectedFrom(String address) {
        return () -> rejectedBySource().getOrDefault(address, 0L);
    }

    /** Current values of the source, by name (e.g. {@code kafka.partitions.owned}); none by default. */
    default Map<String, LongSupplier> sourceGauges() {
        return Map.of();
    }
}
