package io.parley.api.bootstrap;

import io.parley.auth.SigningKeys;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Parley's public signing keys as a JWKS ({@code {"keys": [...]}}): the active keys and the
 * retired ones whose tokens may still be valid. Anyone may read it.
 */
@Path("/.well-known/jwks.json")
@Produces(MediaType.APPLICATION_JSON)
public final class JwksResource {

    private static final int MAX_AGE_SECONDS = 300;

    /** @param keys each key's JWK parameters as jose4j gives them */
    public record Jwks(List<Map<String, Object>> keys) {
    }

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(MAX_AGE_SECONDS);
        return Response.ok(new Jwks(keys.publishedKeys())).cacheControl(cache).build();
    }
}
