package io.parley.api.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.api.Json;
import io.parley.engagement.ActivityMode;
import io.parley.engagement.AgentMessage;
import io.parley.engagement.AgentNotice;
import io.parley.engagement.Event;
import io.parley.engagement.EventPayload;
import io.parley.engagement.EventType;
import io.parley.engagement.Participant;
import io.parley.engagement.ParticipantKind;
import io.parley.engagement.Role;
import io.parley.engagement.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact text of a few answers whose order is easy to get wrong; GoldenAnswersIT holds every shape. */
class AgentWireTest {

    private static final Instant T = Instant.parse("2026-11-26T09:16:40.123Z");

    @Test
    void anActivitySignalKeepsTheContractsOrderAndEndsWithItsPlaceInTheInbox() throws Exception {
        Participant ann = new Participant(7, 5, ParticipantKind.END_USER, Role.END_USER, null, "Ann", null, false);
        Event typing = new Event(5, 3, EventType.ACTIVITY_CHANGED, T, 7L, Visibility.ALL, false, null,
                new EventPayload.ActivityChanged(ActivityMode.RESPONDING, "hel", true));
        assertEquals("{\"ChatActivitySignal\":{\"engagementSequenceNumber\":3,\"engagementSequenceNumberString\":\"3\","
                        + "\"clientId\":7,\"clientIdString\":\"7\",\"mode\":\"RESPONDING\",\"sneakPreviewState\":\"ENABLED\","
                        + "\"sneakPreviewInterval\":0,\"sneakPreviewIntervalString\":\"0\",\"sneakPreview\":\"hel\","
                        + "\"sneakPreviewFocus\":true,\"destinationId\":5,\"destinationIdString\":\"5\","
                        + "\"destinationType\":\"ENGAGEMENT\",\"senderId\":7,\"senderIdString\":\"7\","
                        + "\"senderType\":\"END_USER\",\"name\":\"Ann\",\"messageType\":\"ACTIVITY\",\"visibility\":\"ALL\","
                        + "\"engagementId\":5,\"engagementIdString\":\"5\",\"createdTime\":1795684600123,"
                        + "\"createdTimeString\":\"2026-11-26T09:16:40.123Z\",\"sequenceNumber\":11,"
                        + "\"sequenceNumberString\":\"11\"}}",
                Json.MAPPER.writeValueAsString(
                        AgentWire.message(new AgentMessage(11, T, 5L, typing, null), Map.of(7L, ann))));
    }

    @Test
    void aNoticeToTheSessionHasNoEngagement() throws Exception {
        AgentNotice config = new AgentNotice.ConfigChange("1:1", 4, "AVAILABLE", true);
        assertEquals("{\"getResponseTypes\":[{\"ChatConfigChangeNotification\":{\"pool\":\"1:1\",\"maxSessionCount\":4,"
                        + "\"status\":\"AVAILABLE\",\"autoAccept\":true,\"engagementId\":null,\"engagementIdString\":null,"
                        + "\"createdTime\":1795684600123,\"createdTimeString\":\"2026-11-26T09:16:40.123Z\","
                        + "\"sequenceNumber\":2,\"sequenceNumberString\":\"2\"}}],\"chatSystemError\":null}",
                Json.MAPPER.writeValueAsString(AgentAnswers.GetMessagesAnswer.of(
                        List.of(AgentWire.message(new AgentMessage(2, T, null, null, config), Map.of())), T)));
    }

    @Test
    void anEmptyPollAnswersOneGetTimeout() throws Exception {
        assertEquals("{\"getResponseTypes\":[{\"ChatGetTimeout\":{\"createdTime\":1795684600123,"
                        + "\"createdTimeString\":\"2026-11-26T09:16:40.123Z\"}}],\"chatSystemError\":null}",
                Json.MAPPER.writeValueAsString(AgentAnswers.GetMessagesAnswer.of(List.of(), T)));
    }

    @Test
    void aListNotAskedForIsLeftOut() throws Exception {
        assertEquals("{\"chatRetrieveAgentsAndQueuesResult\":{\"queues\":[]},\"chatSystemError\":null}",
                Json.MAPPER.writeValueAsString(AgentAnswers.DirectoryAnswer.of(null, List.of())));
    }
}
