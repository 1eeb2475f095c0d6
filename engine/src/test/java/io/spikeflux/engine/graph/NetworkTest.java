package io.spikeflux.engine.graph;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetworkTest {

    @Test
    void metadataKeepsTheModelFilesOrder() {
        // eight keys: an order that changes between JVM runs matches this one in 1 of 8! runs
        Map<String, String> props = new LinkedHashMap<>();
        for (String k : List.of("input", "dataset", "architecture_rules", "ann_test_accuracy", "classes", "author",
                "license", "source")) {
            props.put(k, k.toUpperCase());
        }
        Network net = new Network("m", new TensorShape(1, 1, 1), List.of(), 0, props, List.of());
        assertEquals(List.copyOf(props.keySet()), List.copyOf(net.metadata().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> net.metadata().put("x", "y"));
    }

    @Test
    void metadataRefusesNulls() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("input", null);
        assertThrows(NullPointerException.class,
                () -> new Network("m", new TensorShape(1, 1, 1), List.of(), 0, props, List.of()));
    }
}
