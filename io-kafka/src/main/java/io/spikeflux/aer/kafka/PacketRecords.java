package io.spikeflux.aer.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.EventPacketMessages;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Event packets as Kafka records: key = the sensor id (so a sensor's packets stay in order on one
 * partition), value = the protobuf {@code EventPacketMessage} with geometry and sequence.
 */
public final class PacketRecords {

    private PacketRecords() {
    }

    public static ProducerRecord<String, byte[]> record(String topic, EventPacket p) {
        return new ProducerRecord<>(topic, p.sensorId(),
                EventPacketMessages.toByteArray(p, 0, p.size(), p.sequence(), p.sensorId()));
    }

    /**
     * The packet of a record.
     *
     * @throws IllegalArgumentException naming the partition and offset, when the value is not a
     *                                  valid packet
     */
    public static EventPacket packet(ConsumerRecord<String, byte[]> r, long arrivalNanos) {
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("no value");
            }
            return EventPacketMessages.read(r.value(), null, r.key() == null ? "" : r.key(), arrivalNanos);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new IllegalArgumentException(r.topic() + "-" + r.partition() + " offset " + r.offset()
                    + ": not an event packet: " + e.getMessage(), e);
        }
    }
}
