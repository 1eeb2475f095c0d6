package io.spikeflux.engine.onnx;

import io.spikeflux.engine.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassNamesMetadataTest {

    @Test
    void readsAJsonArrayOfStringsWithEscapes() {
        assertEquals(Optional.of(List.of("T-shirt/top", "Ankle boot", "a\"b", "é")),
                ClassNamesMetadata.parse(" [\"T-shirt/top\", \"Ankle boot\",\"a\\\"b\", \"\\u00e9\"] "));
        assertEquals(Optional.of(List.of()), ClassNamesMetadata.parse("[]"));
    }

    @Test
    void anythingElseIsNotAListOfNames() {
        for (String bad : new String[]{"", "[", "[\"a\"", "[\"a\",]", "{\"a\": 1}", "[1, 2]", "[\"a\"] x", "[\"\\q\"]"}) {
            assertEquals(Optional.empty(), ClassNamesMetadata.parse(bad), bad);
        }
    }

    @Test
    void theBundledModelsNameTheirClasses() {
        assertEquals("Ankle boot", TestModels.load("fmnist_vgg").classNames().get(9));
    }
}
