package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WireModuleTest {

    record Answer(String name, @WireId Long engagementId, @WireId long sequenceNumber, boolean open) {
    }

    record Plain(String name, long count) {
    }

    record Optional(@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                    @WireId Long queueId, String name) {
    }

    record Notice(@WireTime java.time.Instant createdTime, @WireTime java.time.Instant expiresTime) {
    }

    @Test
    void everyWireIdIsFollowedByItsStringTwin() throws Exception {
        assertEquals("{\"name\":\"a\",\"engagementId\":9007199254740993,\"engagementIdString\":\"9007199254740993\","
                        + "\"sequenceNumber\":3,\"sequenceNumberString\":\"3\",\"open\":true}",
                Json.MAPPER.writeValueAsString(new Answer("a", 9_007_199_254_740_993L, 3, true)));
    }

    @Test
    void aMissingIdIsNullTwice() throws Exception {
        assertEquals("{\"name\":null,\"engagementId\":null,\"engagementIdString\":null,"
                        + "\"sequenceNumber\":0,\"sequenceNumberString\":\"0\",\"open\":false}",
                Json.MAPPER.writeValueAsString(new Answer(null, null, 0, false)));
    }

    @Test
    void answersWithoutIdsAreWrittenAsTheyAre() throws Exception {
        assertEquals("{\"name\":\"b\",\"count\":2}", Json.MAPPER.writeValueAsString(new Plain("b", 2)));
    }

    @Test
    void aWireTimeIsEpochMillisecondsFollowedByItsIsoForm() throws Exception {
        assertEquals("{\"createdTime\":1764148600123,\"createdTimeString\":\"2025-11-26T09:16:40.123Z\","
                        + "\"expiresTime\":null,\"expiresTimeString\":null}",
                Json.MAPPER.writeValueAsString(new Notice(java.time.Instant.parse("2025-11-26T09:16:40.123Z"), null)));
    }

    @Test
    void aTwinIsLeftOutWhereItsPropertyIs() throws Exception {
        assertEquals("{\"name\":\"x\"}", Json.MAPPER.writeValueAsString(new Optional(null, "x")));
        assertEquals("{\"queueId\":7,\"queueIdString\":\"7\",\"name\":\"x\"}",
                Json.MAPPER.writeValueAsString(new Optional(7L, "x")));
    }
}
