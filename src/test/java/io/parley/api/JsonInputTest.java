package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.api.dto.ConsumerRequests;
import io.parley.api.error.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonInputTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static ApiException refused(byte[] body, String code) {
        ApiException e = assertThrows(ApiException.class, () -> JsonInput.check(body, "the request body"));
        assertEquals(400, e.status());
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    @Test
    void anObjectPassesUnchangedAndABlankBodyReadsAsAnEmptyObject() {
        byte[] body = utf8("{\"body\":\"h\u00e9llo \ud83d\ude00\",\"n\":[1,{\"a\":null}]}");
        assertArrayEquals(body, JsonInput.check(body, "the request body"));
        assertArrayEquals(utf8("{}"), JsonInput.check(new byte[0], "the request body"));
        assertArrayEquals(utf8("{}"), JsonInput.check(utf8(" \r\n\t"), "the request body"));
    }

    @Test
    void aLeadingByteOrderMarkIsTolerated() {
        assertArrayEquals(utf8("{\"a\":1}"), JsonInput.check(concat(bytes(0xEF, 0xBB, 0xBF), utf8("{\"a\":1}")), "x"));
        assertArrayEquals(utf8("{}"), JsonInput.check(bytes(0xEF, 0xBB, 0xBF), "x"));
    }

    @Test
    void anythingButAnObjectIsBodyNotObject() {
        for (String body : new String[] {"null", "[]", "[{}]", "\"str\"", "42", "true", "-1", "x"}) {
            refused(utf8(body), "BODY_NOT_OBJECT");
        }
    }

    @Test
    void brokenUtf8IsInvalidEncoding() {
        byte[] open = utf8("{\"body\":\"");
        byte[] close = utf8("\"}");
        int[][] broken = {
            {0xC0, 0xBC},             // overlong '<'
            {0xE0, 0x80, 0xBC},       // overlong, three bytes
            {0xF0, 0x80, 0x80, 0xBC}, // overlong, four bytes
            {0xED, 0xA0, 0x80},       // a surrogate (U+D800) encoded in UTF-8
            {0xF4, 0x90, 0x80, 0x80}, // U+110000, beyond Unicode
            {0xF8, 0x88, 0x80, 0x80, 0x80}, // five bytes
            {0x80},                   // a lone continuation byte
            {0xC3},                   // a truncated sequence
            {0xFF},
        };
        for (int[] b : broken) {
            refused(concat(open, bytes(b), close), "INVALID_ENCODING");
        }
        refused(concat(utf8("{\""), bytes(0xC0, 0xBC), utf8("\":1}")), "INVALID_ENCODING");
    }

    @Test
    void anUnpairedSurrogateEscapeIsInvalidEncodingNamingTheField() {
        ApiException e = refused(utf8("{\"a\":{\"body\":\"x\\ud800y\"}}"), "INVALID_ENCODING");
        assertTrue(e.getMessage().contains("'a.body'"), e.getMessage());
        refused(utf8("{\"body\":\"\\udc00\"}"), "INVALID_ENCODING");
        refused(utf8("{\"\\ud83d\":1}"), "INVALID_ENCODING");
        refused(utf8("{\"body\":\"a\\u0000b\"}"), "INVALID_ENCODING");
        JsonInput.check(utf8("{\"body\":\"\\ud83d\\ude00\"}"), "x");
    }

    @Test
    void aKeyTwiceAtAnyDepthIsDuplicateFieldNamingIt() {
        ApiException top = refused(utf8("{\"body\":\"a\",\"body\":\"b\"}"), "DUPLICATE_FIELD");
        assertTrue(top.getMessage().contains("'body'"), top.getMessage());
        ApiException deep = refused(utf8("{\"s\":{\"c\":[{\"name\":1},{\"name\":1,\"name\":2}]}}"), "DUPLICATE_FIELD");
        assertTrue(deep.getMessage().contains("'s.c[1].name'"), deep.getMessage());
        JsonInput.check(utf8("{\"a\":{\"x\":1},\"b\":{\"x\":1},\"c\":[{\"x\":1},{\"x\":1}]}"), "x");
    }

    @Test
    void contentAfterTheObjectOrBrokenJsonIsMalformed() {
        for (String body : new String[] {"{}{}", "{} 1", "{}x", "{\"a\":1", "{\"a\":}", "{'a':1}", "{\"a\":1,}",
            "{\"a\":\"\u0001\"}", "{} []"}) {
            refused(utf8(body), "MALFORMED_JSON");
        }
        JsonInput.check(utf8("{} \n"), "x");
    }

    @Test
    void nestingBeyondTheLimitIsRefused() {
        String ok = "{\"a\":" + "[".repeat(JsonInput.MAX_DEPTH - 1) + "]".repeat(JsonInput.MAX_DEPTH - 1) + "}";
        JsonInput.check(utf8(ok), "x");
        refused(utf8("{\"a\":" + "[".repeat(JsonInput.MAX_DEPTH) + "]".repeat(JsonInput.MAX_DEPTH) + "}"), "NESTING_TOO_DEEP");
        refused(utf8("{\"a\":" + "[".repeat(30_000)), "NESTING_TOO_DEEP");
    }

    @Test
    void aNumberOfThousandsOfDigitsIsOutOfRange() {
        ApiException e = refused(utf8("{\"clientTransactionId\":" + "9".repeat(5000) + "}"), "INVALID_FIELD");
        assertTrue(e.getMessage().contains("'clientTransactionId'"), e.getMessage());
    }

    @Test
    void theRequestQueryParameterFollowsTheSameRules() {
        ConsumerRequests.QueueStats q = JsonInput.readQuery("%7B%22queueId%22%3A+2%7D", "request",
                ConsumerRequests.QueueStats.class);
        assertEquals(2L, q.queueId());
        assertEquals("INVALID_PARAMETER", query(null).code());
        assertEquals("INVALID_PARAMETER", query("%7B%7").code());
        assertEquals("INVALID_PARAMETER", query("%zz").code());
        assertEquals("INVALID_ENCODING", query("%7B%22a%22%3A%22%C0%BC%22%7D").code());
        assertEquals("INVALID_ENCODING", query("{\"a\":\"\u00e9\"}").code());
        assertEquals("BODY_NOT_OBJECT", query("null").code());
        assertEquals("BODY_NOT_OBJECT", query("%5B%5D").code());
        assertEquals("DUPLICATE_FIELD", query("%7B%22queueId%22%3A1%2C%22queueId%22%3A2%7D").code());
        assertEquals("MALFORMED_JSON", query("%7B%7D%7B%7D").code());
        ApiException overflow = query("%7B%22clientTransactionId%22%3A18446744073709551616%7D");
        assertEquals("INVALID_FIELD", overflow.code());
        assertTrue(overflow.getMessage().contains("'clientTransactionId'"), overflow.getMessage());
        assertEquals("INVALID_FIELD", query("%7B%22queueId%22%3A%22one%22%7D").code());
    }

    private static ApiException query(String encoded) {
        return assertThrows(ApiException.class,
                () -> JsonInput.readQuery(encoded, "request", ConsumerRequests.QueueStats.class));
    }
}
