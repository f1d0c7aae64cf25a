package io.parley.api.error;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;

/** The last resort: an unexpected failure is logged under an error id, and the client gets only the id. */
public final class InternalErrorMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable e) {
        return internal(e);
    }

    static Response internal(Throwable e) {
        String errorId = ErrorWriter.logInternal("a resource", e);
        return ErrorResponses.of(500, ErrorWriter.INTERNAL_CODE, ErrorWriter.internalMessage(errorId), errorId, Map.of());
    }
}
