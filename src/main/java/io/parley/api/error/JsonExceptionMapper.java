package io.parley.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A body that is not JSON, or JSON of the wrong shape, is the client's mistake: 400, naming the
 * field where the problem is, never echoing Jackson's internals.
 */
public final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty() && !isSyntaxError(e)) {
            String field = jme.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            String problem;
            if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
                problem = "is not one of the allowed values";
            } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
                problem = "has the wrong type (expected " + describe(mie.getTargetType()) + ")";
            } else {
                problem = "is invalid";
            }
            return ErrorResponses.of(400, "INVALID_FIELD", "Field '" + field + "' " + problem + ".", null, Map.of());
        }
        return ErrorResponses.of(400, "MALFORMED_JSON", "The request body is not valid JSON.", null, Map.of());
    }

    /** Jackson reports broken JSON met while binding a field as a mapping problem of that field. */
    private static boolean isSyntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException) {
                return true;
            }
        }
        return false;
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
