package io.parley.api.error;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.glassfish.jersey.server.ParamException;

/**
 * Jersey's own refusals, in Parley's error body: a query, path or header parameter that does not
 * parse as its type is 400 (JAX-RS would say 404 for query and path parameters, which would tell
 * the client the resource is missing); an unknown path is 404; a method that a documented path
 * does not support is 501 with {@code Allow} (the status table gives 405 no meaning); anything
 * else keeps its status.
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response r = e.getResponse();
        int status = r == null ? 500 : r.getStatus();
        if (e instanceof ParamException p) {
            return ErrorResponses.of(400, "INVALID_PARAMETER", kind(p) + " '" + p.getParameterName()
                    + "' does not have the form this operation expects.", null, Map.of());
        }
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

    private static String kind(ParamException p) {
        if (p instanceof ParamException.PathParamException) {
            return "Path parameter";
        }
        if (p instanceof ParamException.HeaderParamException) {
            return "Header";
        }
        if (p instanceof ParamException.QueryParamException) {
            return "Query parameter";
        }
        return "Parameter";
    }
}
