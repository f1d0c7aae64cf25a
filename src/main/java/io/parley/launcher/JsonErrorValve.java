package io.parley.launcher;

import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * The errors Tomcat answers itself, before or around Parley (headers over the connector's limit, a
 * malformed request line, a URI Tomcat refuses), in Parley's one error body: {@code status},
 * {@code code}, {@code message}, {@code errorMessages}, {@code systemMessages} and
 * {@code chatSystemError}, as {@code application/json} with {@code X-Content-Type-Options: nosniff}.
 * No server version, no exception text, no stack trace; a 500 carries an {@code errorId} that is
 * also logged with the cause.
 *
 * <p>The launcher's classpath holds Tomcat only (Parley's classes and Jackson live in the WAR), so
 * the body is written here by hand; its fields are those of {@code io.parley.api.error.ErrorBody}.
 */
public final class JsonErrorValve extends ErrorReportValve {

    private static final Logger LOG = Logger.getLogger(JsonErrorValve.class.getName());

    public JsonErrorValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own valves: only errors, only when nothing was written and the error is not reported yet.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String errorId = null;
        if (status == 500) {
            errorId = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "errorId=" + errorId + " Tomcat answered " + status + " for "
                    + request.getMethod() + " " + request.getRequestURI(), throwable);
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("X-Content-Type-Options", "nosniff");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body(status, errorId));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was taken over: nothing left to tell it.
        }
    }

    /** The one error body; every value is one of the constants below (or a UUID), so nothing needs escaping. */
    static String body(int status, String errorId) {
        String code = code(status);
        String message = errorId == null ? message(status)
                : "An internal error occurred; quote errorId " + errorId + " when reporting it.";
        return "{\"status\":" + status + ",\"code\":\"" + code + "\",\"message\":\"" + message + "\""
                + (errorId == null ? "" : ",\"errorId\":\"" + errorId + "\"")
                + ",\"errorMessages\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]"
                + ",\"systemMessages\":[]"
                + ",\"chatSystemError\":{\"exceptionCode\":\"" + exceptionCode(status) + "\",\"message\":\"" + message
                + "\"}}";
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405, 501 -> "METHOD_NOT_SUPPORTED";
            case 500 -> "INTERNAL_ERROR";
            case 503 -> "SERVICE_UNAVAILABLE";
            default -> "HTTP_" + status;
        };
    }

    private static String message(int status) {
        return switch (status) {
            case 400 -> "The request is not valid HTTP, or its headers are larger than this server accepts.";
            case 404 -> "No such resource.";
            case 405, 501 -> "This path does not support that HTTP method.";
            case 503 -> "Parley is not available; retry shortly.";
            default -> "The request cannot be handled as sent.";
        };
    }

    /** The agent API's exception code, as {@code ErrorBody} chooses it for the same statuses. */
    private static String exceptionCode(int status) {
        return switch (status) {
            case 400, 405, 501 -> "BAD_REQUEST";
            case 401, 403 -> "ACCESS_DENIED";
            case 408, 409 -> "CONFLICT";
            case 500 -> "INTERNAL_SERVER_ERROR";
            case 503, 504 -> "DEPENDENCY_APPLICATION_TIMEOUT";
            default -> "UNDEFINED_CONDITION";
        };
    }
}
