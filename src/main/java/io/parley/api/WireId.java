package io.parley.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 64-bit number in an answer that JavaScript clients must not round: {@link WireModule} writes it
 * as it is and, right after it, its decimal text under the same name plus {@code String}
 * ({@code engagementId}, then {@code engagementIdString}); null gives null twice.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface WireId {
}
