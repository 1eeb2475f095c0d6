package io.spikeflux.live.kafka;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OffsetLedgerTest {

    private static final long QUIET = 2_000_000_000L;
    private static final long MAX_AGE = 30_000_000_000L;

    @Test
    void aPartitionCommitsUpToItsFirstUnfinishedRecordAcrossSensors() {
        OffsetLedger ledger = new OffsetLedger();
        // offsets 0..3 interleave two sensors; their events end at 1, 1, 2, 2 ms
        ledger.add("a", 0, 1000, 0);
        ledger.add("b", 1, 1000, 0);
        ledger.add("a", 2, 2000, 0);
        ledger.add("b", 3, 2000, 0);
        assertEquals(-1, ledger.committable(), "nothing decided yet");
        assertEquals(2, ledger.decided("a", 2001), "a decision after a's events finishes both of a's records");
        assertEquals(1, ledger.committable(), "offset 0 is finished; offset 1 (b) holds the rest back");
        assertEquals(1, ledger.decided("b", 1500));
        assertEquals(3, ledger.committable(), "1 and 2 are finished too: the next to read is 3");
        assertEquals(1, ledger.pending());
        assertEquals(-1, ledger.committable(), "nothing new");
    }

    @Test
    void aDecisionCoversOnlyRecordsWhoseEventsEndedBeforeIt() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.add("a", 10, 5000, 0);
        assertEquals(0, ledger.decided("a", 5000), "the window ends at 5000 (exclusive): the event at 5000 is not in it");
        assertEquals(1, ledger.decided("a", 5001));
        assertEquals(11, ledger.committable());
    }

    @Test
    void quietSensorsAndOldRecordsAreFinishedBySweeping() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.add("quiet", 0, 1000, 0);
        ledger.add("busy", 1, 1000, 0);
        ledger.add("busy", 2, 2000, QUIET);
        assertEquals(1, ledger.sweep(QUIET, QUIET, MAX_AGE), "the quiet sensor's record, not the busy one's");
        assertEquals(1, ledger.committable());
        assertEquals(2, ledger.sweep(MAX_AGE, QUIET, MAX_AGE), "older than the maximum age: finished whatever happened");
        assertEquals(3, ledger.committable());
    }

    @Test
    void malformedRecordsAreFinishedAtOnceAndRevocationFinishesEverything() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.addFinished(0);
        ledger.add("a", 1, 1000, 0);
        ledger.addFinished(2);
        assertEquals(1, ledger.committable());
        assertEquals(1, ledger.finishAll());
        assertEquals(3, ledger.committable());
        assertEquals(0, ledger.pending());
    }
}
