package io.parley.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Parley's one error body, written the same way by filters and exception mappers.
 *
 * <p>It carries {@code errorMessages} (never empty) and an empty {@code systemMessages} so that a
 * chat client's poll loop, which reads both fields of every answer, never trips over an error;
 * and {@code chatSystemError}, the agent API's error object, with the exception code that goes
 * with the status. {@code errorId} is present on 500 answers only and is the key to the matching
 * log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int status, String code, String message, String errorId,
                        List<ErrorMessage> errorMessages, List<Object> systemMessages,
                        ChatSystemError chatSystemError) {

    /** One entry of {@code errorMessages}. */
    public record ErrorMessage(String code, String message) {
    }

    /** The agent API's error object: one of the documented exception codes, and the message. */
    public record ChatSystemError(String exceptionCode, String message) {
    }

    public static ErrorBody of(int status, String code, String message, String errorId) {
        return new ErrorBody(status, code, message, errorId, List.of(new ErrorMessage(code, message)), List.of(),
                new ChatSystemError(exceptionCode(status, code), message));
    }

    /**
     * The agent API's exception code of an answer: ACCESS_DENIED for 401/403, INVALID_FIELD or
     * BAD_REQUEST for 400, ENGAGEMENT_ID_UNKNOWN for an unknown engagement, CONFLICT for 408/409,
     * DEPENDENCY_APPLICATION_TIMEOUT when the database or a webhook did not answer (503/504),
     * INTERNAL_SERVER_ERROR for 500, UNDEFINED_CONDITION otherwise.
     */
    static String exceptionCode(int status, String code) {
        return switch (status) {
            case 400 -> "INVALID_FIELD".equals(code) ? "INVALID_FIELD" : "BAD_REQUEST";
            case 401, 403 -> "ACCESS_DENIED";
            case 404 -> code != null && code.startsWith("ENGAGEMENT") ? "ENGAGEMENT_ID_UNKNOWN" : "UNDEFINED_CONDITION";
            case 408, 409 -> "CONFLICT";
            case 500 -> "INTERNAL_SERVER_ERROR";
            case 501 -> "BAD_REQUEST";
            case 503, 504 -> "DEPENDENCY_APPLICATION_TIMEOUT";
            default -> "UNDEFINED_CONDITION";
        };
    }
}
