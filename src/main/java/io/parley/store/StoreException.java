package io.parley.store;

/** The database failed in a way that is Parley's problem, not the client's (500). */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
