package io.parley.compliance;

/**
 * Which header a trusted proxy uses to pass on the address it received the request from.
 * Only the header the proxy actually writes is safe to read: the other one passes through the
 * proxy untouched and says whatever the client wanted.
 */
public enum ForwardedHeader {
    /** {@code X-Forwarded-For} when the request has one, otherwise RFC 7239 {@code Forwarded}. */
    AUTO,
    /** Only {@code X-Forwarded-For}. */
    X_FORWARDED_FOR,
    /** Only RFC 7239 {@code Forwarded} ({@code for=}). */
    FORWARDED
}
