package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.continuation.EventBus;
import io.parley.store.Notifications;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class ClusterSignalsTest {

    @Test
    void tokensArePackedIntoPayloadsPostgresqlAccepts() {
        Set<String> tokens = new LinkedHashSet<>();
        for (int i = 0; i < 2000; i++) {
            tokens.add("e" + (1_000_000 + i));
        }
        List<String> payloads = ClusterSignals.payloads("node1", tokens);
        assertTrue(payloads.size() > 1, "2,000 ids do not fit one notification");
        List<String> back = new ArrayList<>();
        for (String p : payloads) {
            assertTrue(p.length() <= Notifications.MAX_PAYLOAD, "payload of " + p.length());
            String[] parts = p.split(" ");
            assertEquals("node1", parts[0], "every payload names its node");
            back.addAll(List.of(parts).subList(1, parts.length));
        }
        assertEquals(new ArrayList<>(tokens), back, "every token once, in order");
    }

    @Test
    void anotherNodesSignalsWakeThisNodesWaitersButItsOwnDoNot() {
        EventBus bus = new EventBus(Runnable::run);
        ConcurrentLinkedQueue<String> woken = new ConcurrentLinkedQueue<>();
        bus.subscribeEngagement(7, () -> woken.add("e7"));
        bus.subscribeQueue(3, () -> woken.add("q3"));
        bus.subscribeAgent("s-1", () -> woken.add("a:s-1"));
        bus.onRoutingNeeded(() -> woken.add("routing"));
        ClusterSignals signals = ClusterSignals.forTest(bus, id -> woken.add("ended:" + id));

        signals.received(signals.nodeId() + " e7 q3 ss-2");
        assertTrue(woken.isEmpty(), "a node's own notifications come back to it; they are ignored");

        signals.received("othernode e7 q3 as-1 r e8 x q?? e ss-2");
        assertEquals(List.of("e7", "q3", "a:s-1", "routing", "ended:s-2"), new ArrayList<>(woken),
                "known tokens wake; unknown and malformed ones are skipped");
    }

    @Test
    void theSweepWakesWhatMovedSinceItsLastLook() {
        Map<Long, Long> known = new java.util.HashMap<>();
        assertEquals(Set.of(1L, 2L), Sweep.changed(known, Set.of(1L, 2L), Map.of(1L, 5L, 2L, 9L)),
                "new to the sweep: woken once, in case it changed unseen");
        assertEquals(Set.of(), Sweep.changed(known, Set.of(1L, 2L), Map.of(1L, 5L, 2L, 9L)), "nothing moved");
        assertEquals(Set.of(2L), Sweep.changed(known, Set.of(1L, 2L), Map.of(1L, 5L, 2L, 10L)));
        assertEquals(Set.of(), Sweep.changed(known, Set.of(2L), Map.of(2L, 10L)));
        assertEquals(Set.of(2L), known.keySet(), "what nobody waits on is forgotten");
    }
}
