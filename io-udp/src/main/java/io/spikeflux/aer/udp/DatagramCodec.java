package io.spikeflux.aer.udp;

import io.netty.buffer.ByteBuf;
import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.EventPacket;
import io.spikeflux.aer.event.PacketArrayPool;

import java.nio.ByteBuffer;

/** Encodes event ranges into datagrams and decodes datagrams into packets, for one protocol. */
interface DatagramCodec {

    /** Events that fit in a datagram of {@code bytes} bytes. */
    int maxEvents(int bytes);

    /**
     * Writes events {@code [from, to)} of {@code p} as one datagram numbered {@code sequence}.
     * {@code out} is cleared first and flipped for sending.
     */
    void encode(EventPacket p, int from, int to, long sequence, String sensorId, AddressLayout layout,
                ByteBuffer out);

    /**
     * Decodes one datagram, into arrays from {@code pool} when given (codecs that build their
     * arrays themselves ignore it). The packet's sequence is the datagram's own number, or 0 when
     * the protocol has none. Throws {@link MalformedDatagramException}; never reads past the datagram.
     */
    EventPacket decode(ByteBuf datagram, SourceState source, long receiveTimeUs, long arrivalNanos, PacketArrayPool pool);

    /** Whether {@link #decode} fills arrays from the pool it is given (else the receiver makes no pool). */
    default boolean decodesIntoPooledArrays() {
        return false;
    }

    /** Whether datagrams carry a sequence number (loss accounting is possible). */
    boolean sequenced();

    /** Whether decoded packets carry the sensor's own id (else the source address names it). */
    boolean namesSensor();
}
