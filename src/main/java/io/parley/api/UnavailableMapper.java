package io.parley.api;

import io.parley.api.error.ApiException;
import io.parley.api.error.ErrorResponses;
import io.parley.store.StoreUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.time.Duration;

/** The database is unreachable: 503 with {@code Retry-After}, so clients back off and retry. */
public final class UnavailableMapper implements ExceptionMapper<StoreUnavailableException> {

    private static final System.Logger LOG = System.getLogger(UnavailableMapper.class.getName());

    private final Duration retryAfter;

    public UnavailableMapper(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    @Override
    public Response toResponse(StoreUnavailableException e) {
        LOG.log(System.Logger.Level.WARNING, "Answering 503: {0}", e.getMessage());
        return ErrorResponses.of(ApiException.unavailable(retryAfter));
    }
}
