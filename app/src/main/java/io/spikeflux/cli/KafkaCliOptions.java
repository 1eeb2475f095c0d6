package io.spikeflux.cli;

import picocli.CommandLine.Option;

/** Where in Kafka: shared by {@code bridge}, {@code camera} and {@code live}. */
final class KafkaCliOptions {

    @Option(names = "--kafka", paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka bootstrap servers (instead of UDP): event packets are records keyed by sensor id.")
    String servers;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = "spikeflux-events",
            description = "With --kafka: the topic of event packets (default ${DEFAULT-VALUE}).")
    String topic;

    boolean enabled() {
        return servers != null;
    }
}
