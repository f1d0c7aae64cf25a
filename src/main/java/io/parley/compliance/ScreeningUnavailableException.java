package io.parley.compliance;

/** The screening webhook gave no usable answer in time: the caller gets 504, never a pass. */
final class ScreeningUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    ScreeningUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
