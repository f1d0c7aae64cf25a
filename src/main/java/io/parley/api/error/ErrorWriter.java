package io.parley.api.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Writes Parley's error body straight onto a servlet response: how filters deny a request
 * without calling the chain. (Not {@code sendError}, whose body is the container's HTML page.)
 */
public final class ErrorWriter {

    private static final System.Logger LOG = System.getLogger(ErrorWriter.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorWriter() {
    }

    public static void write(HttpServletResponse response, ApiException e) throws IOException {
        write(response, e.status(), e.code(), e.getMessage(), null, e.headers());
    }

    public static void write(HttpServletResponse response, int status, String code, String message,
                             String errorId, Map<String, String> headers) throws IOException {
        if (response.isCommitted()) {
            LOG.log(System.Logger.Level.WARNING, "Cannot write error {0} {1}: the response is already committed", status, code);
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        headers.forEach(response::setHeader);
        response.setContentType("application/json;charset=UTF-8");
        byte[] body = JSON.writeValueAsBytes(ErrorBody.of(status, code, message, errorId));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /**
     * Logs an unexpected failure under a fresh error id and writes the 500 body that carries it.
     * The client learns the id, never the cause.
     */
    public static void writeInternal(HttpServletResponse response, String where, Throwable cause) throws IOException {
        String errorId = logInternal(where, cause);
        write(response, 500, INTERNAL_CODE, internalMessage(errorId), errorId, Map.of());
    }

    /** Logs an unexpected failure and returns the error id that the client will be given. */
    static String logInternal(String where, Throwable cause) {
        String errorId = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "errorId=" + errorId + " unexpected failure in " + where, cause);
        return errorId;
    }

    static final String INTERNAL_CODE = "INTERNAL_ERROR";

    static String internalMessage(String errorId) {
        return "An internal error occurred; quote errorId " + errorId + " when reporting it.";
    }
}
