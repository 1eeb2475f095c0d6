package io.spikeflux.aer.udp;

/** A datagram that does not decode; counted and dropped by the receiver, never fatal. */
final class MalformedDatagramException extends RuntimeException {
    MalformedDatagramException(String reason) {
        super(reason, null, false, false);
    }
}
