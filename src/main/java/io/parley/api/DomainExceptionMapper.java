package io.parley.api;

import io.parley.api.error.ErrorResponses;
import io.parley.engagement.EngagementException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;

/** The engagement domain's refusals at the edge: each kind of failure has one status. */
public final class DomainExceptionMapper implements ExceptionMapper<EngagementException> {

    @Override
    public Response toResponse(EngagementException e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case REFUSED, CONFLICT -> 409;
            case INVALID -> 400;
            case SESSION_ENDED -> 403;
        };
        return ErrorResponses.of(status, e.code(), e.getMessage(), null, Map.of());
    }
}
