package io.parley.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A time in an agent API answer: {@link WireModule} writes the {@link java.time.Instant} as epoch
 * milliseconds and, right after it, its ISO-8601 form ({@link WireModule#ISO}) under the same name
 * plus {@code String} ({@code createdTime}, then {@code createdTimeString}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface WireTime {
}
