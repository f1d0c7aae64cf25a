package io.parley.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Parley's one error body, written the same way by filters and exception mappers.
 *
 * <p>It carries {@code errorMessages} (never empty) and an empty {@code systemMessages} so that a
 * chat client's poll loop, which reads both fields of every answer, never trips over an error.
 * {@code errorId} is present on 500 answers only and is the key to the matching log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(int status, String code, String message, String errorId,
                        List<ErrorMessage> errorMessages, List<Object> systemMessages) {

    /** One entry of {@code errorMessages}. */
    public record ErrorMessage(String code, String message) {
    }

    public static ErrorBody of(int status, String code, String message, String errorId) {
        return new ErrorBody(status, code, message, errorId, List.of(new ErrorMessage(code, message)), List.of());
    }
}
