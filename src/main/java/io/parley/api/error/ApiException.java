package io.parley.api.error;

import java.time.Duration;
import java.util.Map;

/**
 * An answer other than success, decided at the API edge: the status, a stable error code and a
 * message for the client. Headers such as {@code Retry-After} or {@code WWW-Authenticate} ride along.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    /** Throttled (see {@code io.parley.throttle.Throttle}): 429, and when to try again. */
    public static ApiException tooManyAttempts(String message, Duration retryAfter) {
        return new ApiException(429, "TOO_MANY_ATTEMPTS", message,
                Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
    }

    /** The database is unreachable: 503, and when to try again. */
    public static ApiException unavailable(Duration retryAfter) {
        return new ApiException(503, "SERVICE_UNAVAILABLE", "Parley cannot reach its database; retry shortly.",
                Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
    }
}
