package io.parley.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.api.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What load balancers and monitoring read, without credentials: liveness, readiness (the database
 * answers) and metrics in Prometheus' text format.
 */
@Path("/")
public final class HealthResource {

    private final BooleanSupplier databaseReachable;
    private final Supplier<String> metrics;
    private final Duration retryAfter;

    public HealthResource(BooleanSupplier databaseReachable, Supplier<String> metrics, Duration retryAfter) {
        this.databaseReachable = databaseReachable;
        this.metrics = metrics;
        this.retryAfter = retryAfter;
    }

    /** A health answer; {@code database} only where the database was asked. */
    public record Health(String status, @JsonInclude(JsonInclude.Include.NON_NULL) String database) {
    }

    /** The node runs (and answers HTTP). */
    @GET
    @Path("health/live")
    @Produces(MediaType.APPLICATION_JSON)
    public Health live() {
        return new Health("UP", null);
    }

    /** The node can serve chats: its database answers. Else 503, so a load balancer sends no traffic. */
    @GET
    @Path("health/ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Health ready() {
        if (!databaseReachable.getAsBoolean()) {
            throw new ApiException(503, "NOT_READY", "The database does not answer.",
                    Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
        }
        return new Health("UP", "UP");
    }

    @GET
    @Path("metrics")
    @Produces(MediaType.TEXT_PLAIN)
    public Response metrics() {
        return Response.ok(metrics.get(), "text/plain; version=0.0.4; charset=utf-8").build();
    }
}
