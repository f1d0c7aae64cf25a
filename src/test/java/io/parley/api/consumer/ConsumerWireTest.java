package io.parley.api.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import io.parley.api.Json;
import io.parley.api.dto.ConsumerRequests;
import io.parley.engagement.ConsumerSession;
import io.parley.engagement.ConcludeReason;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.EventType;
import io.parley.engagement.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The records write what the hand-built maps wrote: the envelope first, twins after their ids. */
class ConsumerWireTest {

    private static final Instant T = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final ConsumerWire.Envelope ENVELOPE = new ConsumerWire.Envelope(new TextNode("then"),
            9_007_199_254_740_993L, "2026-01-02T03:04:05.678Z", "2026-01-02T03:04:05.679Z");
    private static final String ENVELOPE_JSON = "\"clientRequestTime\":\"then\",\"clientTransactionId\":9007199254740993,"
            + "\"clientTransactionIdString\":\"9007199254740993\",\"serviceStartTime\":\"2026-01-02T03:04:05.678Z\","
            + "\"serviceFinishTime\":\"2026-01-02T03:04:05.679Z\"";

    @Test
    void theEnvelopeComesFirstAndUnwrapped() throws Exception {
        ConsumerSession s = new ConsumerSession("sid", "site", 7, 42, true);
        assertEquals("{" + ENVELOPE_JSON + ",\"clientId\":42,\"clientIdString\":\"42\",\"engagementId\":7,"
                        + "\"engagementIdString\":\"7\"}",
                Json.MAPPER.writeValueAsString(ConsumerWire.ConcludeAnswer.of(ENVELOPE, s)));
    }

    @Test
    void aMissingEchoIsNull() throws Exception {
        ConsumerWire.Envelope e = ConsumerWire.Envelope.of(new ConsumerRequests.Conclude(null, null), T);
        assertEquals("{\"clientRequestTime\":null,\"clientTransactionId\":null,\"clientTransactionIdString\":null,"
                + "\"serviceStartTime\":\"2026-01-02T03:04:05.678Z\"", Json.MAPPER.writeValueAsString(e)
                .replaceAll(",\"serviceFinishTime\":\"[^\"]+\"}$", ""));
    }

    @Test
    void aSystemMessageStartsWithItsNameAndEndsWithItsStamp() throws Exception {
        Event concluded = new Event(7, 3, EventType.CONCLUDED, T, null, Visibility.ALL, false, null,
                new EventPayload.Concluded(ConcludeReason.QUEUE_TIMEOUT, null));
        assertEquals("{" + ENVELOPE_JSON + ",\"systemMessages\":[{\"messageName\":\"RNEngagementConcludedMessage\","
                        + "\"reason\":\"QUEUE_TIMEOUT\",\"role\":\"SYSTEM\",\"clientId\":null,\"clientIdString\":null,"
                        + "\"engagementId\":7,\"engagementIdString\":\"7\",\"createdTime\":\"2026-01-02T03:04:05.678Z\","
                        + "\"sequenceNumber\":3,\"sequenceNumberString\":\"3\"}],\"errorMessages\":[]}",
                Json.MAPPER.writeValueAsString(ConsumerWire.MessagesAnswer.of(ENVELOPE, List.of(concluded), Map.of())));
    }
}
