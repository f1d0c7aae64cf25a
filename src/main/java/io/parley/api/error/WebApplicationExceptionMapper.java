package io.parley.api.error;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;

/**
 * Jersey's own refusals, in Parley's error body: an unknown path is 404; a method that a
 * documented path does not support is 501 with {@code Allow} (the status table gives 405 no
 * meaning); anything else keeps its status.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response r = e.getResponse();
        int status = r == null ? 500 : r.getStatus();
        if (e instanceof NotFoundException || status == 404) {
            return ErrorResponses.of(404, "NOT_FOUND", "No such resource.", null, Map.of());
        }
        if (e instanceof NotAllowedException || status == 405) {
            String allow = r == null ? null : r.getHeaderString(HttpHeaders.ALLOW);
            return ErrorResponses.of(501, "METHOD_NOT_SUPPORTED", "This path does not support that HTTP method.", null,
                    allow == null ? Map.of() : Map.of(HttpHeaders.ALLOW, allow));
        }
        if (status >= 500) {
            return InternalErrorMapper.internal(e);
        }
        if (status == 415 || status == 406) {
            return ErrorResponses.of(400, "BAD_REQUEST", "The request's media type cannot be handled.", null, Map.of());
        }
        return ErrorResponses.of(status, status == 400 ? "BAD_REQUEST" : "HTTP_" + status,
                "The request cannot be handled as sent.", null, Map.of());
    }
}
