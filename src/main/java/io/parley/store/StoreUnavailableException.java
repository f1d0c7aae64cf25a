package io.parley.store;

/** The database cannot be reached right now (503 with Retry-After); the request may be retried. */
public final class StoreUnavailableException extends StoreException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
