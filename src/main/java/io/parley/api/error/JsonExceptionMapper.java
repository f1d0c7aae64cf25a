package io.parley.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/**
 * A body that is not JSON, or JSON of the wrong shape, is the client's mistake: 400, naming the
 * field where the problem is, never echoing Jackson's internals. (What the body must look like
 * before it is bound, {@code io.parley.api.JsonInput} checks.)
 */
public final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        return ErrorResponses.of(describe(e, "the request body"));
    }

    /**
     * The 400 for a binding failure: {@code INVALID_FIELD} naming the field, or {@code MALFORMED_JSON}.
     *
     * @param what where the JSON came from, such as "the request body"
     */
    public static ApiException describe(JsonProcessingException e, String what) {
        InputCoercionException overflow = cause(e, InputCoercionException.class);
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()
                && (overflow != null || cause(e, StreamReadException.class) == null)) {
            String field = jme.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            String problem;
            if (overflow != null) {
                problem = "is out of range (" + range(overflow.getTargetType()) + ")";
            } else if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
                problem = "is not one of the allowed values";
            } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
                problem = "has the wrong type (expected " + describe(mie.getTargetType()) + ")";
            } else {
                problem = "is invalid";
            }
            return ApiException.badRequest("INVALID_FIELD", "Field '" + field + "' " + problem + ".");
        }
        return ApiException.badRequest("MALFORMED_JSON",
                Character.toUpperCase(what.charAt(0)) + what.substring(1) + " is not valid JSON.");
    }

    /**
     * Jackson reports broken JSON, and a number too large for its field, met while binding a field
     * as a mapping problem of that field, caused by the parser's exception.
     */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String range(Class<?> type) {
        if (type == Integer.TYPE || type == Integer.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.TYPE || type == Long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return "too large";
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a whole number";
        }
        if (type.isEnum()) {
            return "one of the allowed values";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
