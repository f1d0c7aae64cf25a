package io.parley.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 responses incrementally from the bytes a non-blocking socket delivers: status
 * line, headers, and a body framed by {@code Content-Length} or chunked encoding. One parser per
 * connection; responses are read one at a time (the client never pipelines).
 */
final class ResponseParser {

    private byte[] buf = new byte[1024];
    private int len;
    private int status = -1;
    private Map<String, String> headers;
    private int bodyStart;
    private int contentLength = -1;
    private boolean chunked;

    /** Appends what was read; returns the response once it is complete, else null. */
    RawResponse feed(ByteBuffer bytes, long nowNanos) {
        int n = bytes.remaining();
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        bytes.get(buf, len, n);
        len += n;
        if (status < 0 && !readHead()) {
            return null;
        }
        byte[] body = chunked ? readChunked() : readSized();
        if (body == null) {
            return null;
        }
        RawResponse r = new RawResponse(status, headers, body, nowNanos);
        reset();
        return r;
    }

    /** Forgets a partial response (the connection is being closed or reused). */
    void reset() {
        len = 0;
        status = -1;
        headers = null;
        bodyStart = 0;
        contentLength = -1;
        chunked = false;
    }

    private boolean readHead() {
        int end = indexOf(0, len, "\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String[] lines = new String(buf, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IllegalStateException("Not an HTTP/1.x response: " + lines[0]);
        }
        status = Integer.parseInt(statusLine[1]);
        headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        bodyStart = end + 4;
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        String cl = headers.get("content-length");
        contentLength = cl == null ? 0 : Integer.parseInt(cl);
        return true;
    }

    private byte[] readSized() {
        return len - bodyStart >= contentLength ? Arrays.copyOfRange(buf, bodyStart, bodyStart + contentLength) : null;
    }

    /** Decodes the whole chunked body if it has arrived (the bodies here are small, so re-scanning is cheap). */
    private byte[] readChunked() {
        byte[] out = new byte[0];
        int pos = bodyStart;
        while (true) {
            int lineEnd = indexOf(pos, len, "\r\n");
            if (lineEnd < 0) {
                return null;
            }
            String sizeField = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
            int semicolon = sizeField.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeField : sizeField.substring(0, semicolon)).trim(), 16);
            pos = lineEnd + 2;
            if (size == 0) {
                // No trailers are expected: the body ends with the empty line after the last chunk.
                return indexOf(pos, len, "\r\n") == pos ? out : null;
            }
            if (len < pos + size + 2) {
                return null;
            }
            int old = out.length;
            out = Arrays.copyOf(out, old + size);
            System.arraycopy(buf, pos, out, old, size);
            pos += size + 2;
        }
    }

    private int indexOf(int from, int to, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
