package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link GoldenFiles} keeps of an answer, and how it tells a difference. */
class GoldenFilesTest {

    private static JsonNode json(String text) {
        try {
            return Http.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void valuesBecomeTypedPlaceholdersAndKeysAndConstantsStay() {
        JsonNode shape = GoldenFiles.shape("consumer/x", json("{\"engagementId\":17,\"engagementIdString\":\"17\","
                + "\"clientId\":3,\"clientIdString\":\"4\",\"messageName\":\"RNEngagementConcludedMessage\","
                + "\"createdTime\":\"2026-11-26T09:16:40.123Z\",\"body\":\"hi\",\"greeting\":\"\",\"ratio\":0.5,"
                + "\"open\":true,\"messageId\":null,\"token\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\","
                + "\"list\":[{\"code\":\"SESSION_UNKNOWN\",\"status\":403}],"
                + "\"sessionServerResponse\":\"{\\\"domain\\\":\\\"localhost:8080\\\",\\\"pool\\\":\\\"1:1\\\"}\"}"));
        assertEquals("{\"engagementId\":0,\"engagementIdString\":\"<twin>\",\"clientId\":0,\"clientIdString\":\"<string>\","
                + "\"messageName\":\"RNEngagementConcludedMessage\",\"createdTime\":\"<time>\",\"body\":\"<string>\","
                + "\"greeting\":\"\",\"ratio\":0.0,\"open\":true,\"messageId\":null,\"token\":\"<jwt>\","
                + "\"list\":[{\"code\":\"SESSION_UNKNOWN\",\"status\":403}],"
                + "\"sessionServerResponse\":\"{\\\"domain\\\":\\\"<string>\\\",\\\"pool\\\":\\\"1:1\\\"}\"}",
                shape.toString(), "a twin whose digits differ from its number is no twin");
    }

    @Test
    void fieldOrderIsKeptExceptWhereTheServerDoesNotFixIt() {
        assertEquals("{\"status\":\"UP\",\"database\":\"UP\"}",
                GoldenFiles.shape("health/x", json("{\"status\":\"UP\",\"database\":\"UP\"}")).toString());
        assertEquals("{\"database\":\"UP\",\"status\":\"UP\"}",
                GoldenFiles.shape("health/ready", json("{\"status\":\"UP\",\"database\":\"UP\"}")).toString());
    }

    @Test
    void theFirstDifferenceIsNamedByItsPath() {
        assertNull(GoldenFiles.firstDifference("$", json("{\"a\":[1,{\"b\":2}]}"), json("{\"a\":[1,{\"b\":2}]}")));
        assertEquals("$.a[1].bString: field missing (fields now [b])", GoldenFiles.firstDifference("$",
                json("{\"a\":[1,{\"b\":2,\"bString\":\"<twin>\"}]}"), json("{\"a\":[1,{\"b\":2}]}")));
        assertEquals("$: field order changed: expected [a, b] but was [b, a]",
                GoldenFiles.firstDifference("$", json("{\"a\":1,\"b\":2}"), json("{\"b\":2,\"a\":1}")));
        assertEquals("$.a: expected number 0 but was string \"<string>\"",
                GoldenFiles.firstDifference("$", json("{\"a\":0}"), json("{\"a\":\"<string>\"}")));
    }

    @Test
    void aDifferenceFailsNamingTheAnswerAndAMissingFileSaysHowToRecordIt(@TempDir Path dir) throws IOException {
        GoldenFiles record = new GoldenFiles(dir, true);
        record.check("consumer/op", json("{\"id\":1,\"idString\":\"1\"}"));
        record.finish();
        assertTrue(Files.readString(dir.resolve("consumer/op.json")).contains("\"idString\" : \"<twin>\""));

        GoldenFiles compare = new GoldenFiles(dir, false);
        compare.check("consumer/op", json("{\"id\":1,\"idStrin\":\"1\"}"));
        compare.check("consumer/new", json("{}"));
        AssertionError e = assertThrows(AssertionError.class, compare::finish);
        assertTrue(e.getMessage().contains("consumer/op differs from its golden file at $.idString: field missing"),
                e.getMessage());
        assertTrue(e.getMessage().contains("consumer/new: no golden file"), e.getMessage());
    }
}
