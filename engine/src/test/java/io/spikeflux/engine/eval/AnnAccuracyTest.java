package io.spikeflux.engine.eval;

import io.spikeflux.engine.TestModels;
import io.spikeflux.engine.data.FrameDataset;
import io.spikeflux.engine.exec.ProgressListener;
import io.spikeflux.engine.graph.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java ANN reproduces the accuracy the models were published with, on all 10,000 test images. */
class AnnAccuracyTest {

    private static FrameDataset test;

    @BeforeAll
    static void load() {
        test = TestModels.fashionTest(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fmnist_lenet", "fmnist_vgg", "fmnist_resnet"})
    void fullTestSetAccuracyMatchesMetadata(String model) {
        Network net = TestModels.load(model);
        assertEquals(10_000, test.size());
        AnnEvaluator.Result r = AnnEvaluator.evaluate(net, test, 2, ProgressListener.NONE);
        int expectedCorrect = (int) Math.round(Double.parseDouble(net.metadata().get("ann_test_accuracy")) * 10_000);
        System.out.printf("%s: %d/10000 correct (metadata %d), %.1f s%n", model, r.correct(), expectedCorrect, r.wallSeconds());
        assertTrue(Math.abs(r.correct() - expectedCorrect) <= 2,
                model + ": " + r.correct() + " correct vs " + expectedCorrect + " in the metadata");
    }
}
