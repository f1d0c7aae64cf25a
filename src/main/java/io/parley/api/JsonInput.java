package io.parley.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.parley.api.error.ApiException;
import io.parley.api.error.JsonExceptionMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one policy for JSON that clients send, in a request body or in the {@code request} query
 * parameter: exactly one JSON object (an empty body reads as {@code {}}), in strict UTF-8 (a
 * leading byte order mark is tolerated), every key once per object, nested at most
 * {@value #MAX_DEPTH} deep, nothing after it. Each violation is a 400 with a code of its own.
 *
 * <p>The check is one streaming pass over the bytes (no tree is built); binding to the
 * operation's record happens afterwards, where Jackson reports wrong types and numbers that
 * overflow their field.
 */
public final class JsonInput {

    /** Far deeper than any operation's body; deeper nesting only costs the server. */
    public static final int MAX_DEPTH = 32;

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonInput() {
    }

    /**
     * Checks a body and returns the bytes to bind: without a byte order mark, {@code {}} when blank.
     *
     * @throws ApiException 400 {@code INVALID_ENCODING}, {@code BODY_NOT_OBJECT}, {@code DUPLICATE_FIELD},
     *                      {@code NESTING_TOO_DEEP} or {@code MALFORMED_JSON}
     */
    public static byte[] check(byte[] body, String what) {
        int start = hasByteOrderMark(body) ? 3 : 0;
        int first = firstSignificant(body, start);
        if (first == body.length) {
            return EMPTY_OBJECT;
        }
        if (body[first] != '{') {
            throw ApiException.badRequest("BODY_NOT_OBJECT", capitalized(what) + " must be a JSON object.");
        }
        walk(body, start, what);
        return start == 0 ? body : java.util.Arrays.copyOfRange(body, start, body.length);
    }

    /**
     * Reads the URL-encoded JSON of a {@code request} query parameter, as it stands in the URL
     * (still percent-encoded), under the same rules as a body.
     *
     * @param encoded the raw value, or null when the parameter is absent
     */
    public static <T> T readQuery(String encoded, String name, Class<T> type) {
        String what = "query parameter '" + name + "'";
        if (encoded == null || encoded.isBlank()) {
            throw ApiException.badRequest("INVALID_PARAMETER", "Query parameter '" + name
                    + "' (URL-encoded JSON) is required.");
        }
        byte[] json = check(percentDecode(encoded, name), what);
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw JsonExceptionMapper.describe(e, what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void walk(byte[] body, int start, String what) {
        InputStreamReader strict = new InputStreamReader(new ByteArrayInputStream(body, start, body.length - start),
                StandardCharsets.UTF_8.newDecoder());
        JsonParser p;
        try {
            p = FACTORY.createParser(strict);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (p) {
            Deque<Set<String>> keys = new ArrayDeque<>();
            JsonToken t = p.nextToken();
            do {
                if (t == null) {
                    throw malformed(what);
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (keys.size() == MAX_DEPTH) {
                            throw ApiException.badRequest("NESTING_TOO_DEEP", capitalized(what)
                                    + " nests objects and arrays more than " + MAX_DEPTH + " deep.");
                        }
                        keys.push(t == JsonToken.START_OBJECT ? new HashSet<>() : Collections.emptySet());
                    }
                    case END_OBJECT, END_ARRAY -> keys.pop();
                    case FIELD_NAME -> {
                        checkText(p, what);
                        if (!keys.peek().add(p.currentName())) {
                            throw ApiException.badRequest("DUPLICATE_FIELD", "Field '" + path(p.getParsingContext())
                                    + "' appears more than once in " + what + ".");
                        }
                    }
                    case VALUE_STRING -> checkText(p, what);
                    default -> {
                    }
                }
                t = p.nextToken();
            } while (!keys.isEmpty());
            if (t != null) {
                throw malformed(what);
            }
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("INVALID_ENCODING", capitalized(what) + " is not valid UTF-8.");
        } catch (StreamConstraintsException e) {
            // A number of more than a thousand digits: no field can hold it.
            throw ApiException.badRequest("INVALID_FIELD", "Field '" + path(p.getParsingContext()) + "' of " + what
                    + " is out of range.");
        } catch (JsonProcessingException e) {
            throw malformed(what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code \}{@code uD800} escape without its pair decodes to half a character, which no
     * answer could carry, and {@code \}{@code u0000} to a character PostgreSQL cannot store:
     * both refused like a broken byte sequence.
     */
    private static void checkText(JsonParser p, String what) throws IOException {
        char[] text = p.getTextCharacters();
        int end = p.getTextOffset() + p.getTextLength();
        for (int i = p.getTextOffset(); i < end; i++) {
            char c = text[i];
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text[i + 1])) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest("INVALID_ENCODING", "Field '" + path(p.getParsingContext())
                        + "' of " + what + " holds an unpaired surrogate escape.");
            } else if (c == 0) {
                throw ApiException.badRequest("INVALID_ENCODING", "Field '" + path(p.getParsingContext())
                        + "' of " + what + " holds a NUL character.");
            }
        }
    }

    /** A field's place, as {@code sessionInformation.customFields[0].name}. */
    private static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                parts.add("." + c.getCurrentName());
            } else if (c.inArray()) {
                parts.add("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            }
        }
        Collections.reverse(parts);
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static ApiException malformed(String what) {
        return ApiException.badRequest("MALFORMED_JSON", capitalized(what)
                + " is not valid JSON: it must be one JSON object, with nothing after it.");
    }

    /** Percent-decoding that refuses what a lenient decoder would guess at; {@code +} is a space. */
    private static byte[] percentDecode(String encoded, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? hex(encoded.charAt(i + 1)) : -1;
                int lo = hi < 0 ? -1 : hex(encoded.charAt(i + 2));
                if (lo < 0) {
                    throw ApiException.badRequest("INVALID_PARAMETER", "Query parameter '" + name
                            + "' is not correctly percent-encoded.");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                throw ApiException.badRequest("INVALID_ENCODING", "Query parameter '" + name
                        + "' holds characters that are not percent-encoded.");
            }
        }
        return out.toByteArray();
    }

    private static int hex(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static boolean hasByteOrderMark(byte[] b) {
        return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private static int firstSignificant(byte[] b, int from) {
        int i = from;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}
