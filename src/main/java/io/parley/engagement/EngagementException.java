package io.parley.engagement;

/**
 * A chat operation that cannot be done, for a reason the client should hear about. The domain
 * names the reason; the API edge picks the status from its {@link Kind}.
 */
public final class EngagementException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The classes of failure, each with one meaning at the edge. */
    public enum Kind {
        /** Something named does not exist (404). */
        NOT_FOUND,
        /** Routing refused or removed the engagement (409). */
        REFUSED,
        /** The operation conflicts with the engagement's state (409). */
        CONFLICT,
        /** The request itself is invalid (400). */
        INVALID,
        /** The session has ended (403). */
        SESSION_ENDED
    }

    private final Kind kind;
    private final String code;

    public EngagementException(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    static EngagementException notFound(String code, String message) {
        return new EngagementException(Kind.NOT_FOUND, code, message);
    }

    static EngagementException conflict(String code, String message) {
        return new EngagementException(Kind.CONFLICT, code, message);
    }

    static EngagementException invalid(String message) {
        return new EngagementException(Kind.INVALID, "INVALID_FIELD", message);
    }
}
