package io.parley.api.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds JAX-RS responses carrying Parley's one error body. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(int status, String code, String message, String errorId, Map<String, String> headers) {
        Response.ResponseBuilder b = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .entity(ErrorBody.of(status, code, message, errorId));
        headers.forEach(b::header);
        return b.build();
    }

    public static Response of(ApiException e) {
        return of(e.status(), e.code(), e.getMessage(), null, e.headers());
    }
}
