package io.spikeflux.cli;

import io.spikeflux.aer.event.AddressLayout;
import io.spikeflux.aer.event.SensorGeometry;
import io.spikeflux.aer.udp.ReceiverOptions;
import io.spikeflux.aer.udp.WireProtocol;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** UDP receiver options shared by {@code listen} and {@code live}. */
final class ReceiverCliOptions {

    @Option(names = "--port", description = "UDP port (default: 8991 for jaer, 3333 for spif, 8992 for proto).")
    Integer port;

    @Option(names = "--protocol", defaultValue = "jaer", paramLabel = "P", completionCandidates = Transport.Candidates.class,
            description = "${COMPLETION-CANDIDATES}: jaer, spif or proto over UDP, or iniVation DV's AEDAT 4 stream "
                    + "over TCP, read from --connect (live and bridge; default ${DEFAULT-VALUE}).")
    Transport protocol;

    boolean isTcp() {
        return protocol.isTcp();
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    WireProtocol wire() {
        if (protocol.isTcp()) {
            throw new ParameterException(command.commandLine(), "--protocol " + protocol
                    + " is a TCP stream; this command listens for UDP");
        }
        return protocol.wire();
    }

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 accepts cameras on the network).")
    String bind;

    @Option(names = "--allow", split = ",", paramLabel = "ADDR",
            description = "Accept datagrams only from these source addresses.")
    List<String> allow;

    @Option(names = "--address-layout", description = "jAER addresses: davis | dvs128 (default: dvs128 for 128x128, else davis).")
    AddressLayout layout;

    @Option(names = "--receive-buffer", defaultValue = "8388608", description = "Requested SO_RCVBUF in bytes (default ${DEFAULT-VALUE}).")
    int receiveBuffer;

    @Option(names = "--max-datagram", defaultValue = "65507",
            description = "Larger datagrams are counted as malformed and dropped (default ${DEFAULT-VALUE} bytes).")
    int maxDatagram;

    @Option(names = "--queue", defaultValue = "4096", description = "Packets buffered for a slow consumer before dropping (default ${DEFAULT-VALUE}).")
    int queue;

    ReceiverOptions options(SensorGeometry geometry) {
        WireProtocol p = wire();
        ReceiverOptions o = ReceiverOptions.defaults(p, geometry).withHost(bind)
                .withPort(port == null ? p.defaultPort() : port).withReceiveBuffer(receiveBuffer).withQueuePackets(queue).withMaxDatagramBytes(maxDatagram);
        if (layout != null) {
            o = o.withLayout(layout);
        }
        if (allow != null && !allow.isEmpty()) {
            Set<InetAddress> set = new HashSet<>();
            for (String a : allow) {
                try {
                    set.add(InetAddress.getByName(a));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("--allow: unknown address " + a);
                }
            }
            o = o.withAllowedSources(set);
        }
        return o;
    }
}
