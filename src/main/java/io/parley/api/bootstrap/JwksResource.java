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

    public record Jwks(List<Jwk> keys) {
    }

    /** A public RSA signing key (RFC 7517), the parameters in the order jose4j writes them. */
    public record Jwk(String kty, String kid, String use, String alg, String n, String e) {

        static Jwk of(Map<String, Object> params) {
            return new Jwk(text(params, "kty"), text(params, "kid"), text(params, "use"), text(params, "alg"),
                    text(params, "n"), text(params, "e"));
        }

        private static String text(Map<String, Object> params, String name) {
            Object v = params.get(name);
            return v == null ? null : v.toString();
        }
    }

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(MAX_AGE_SECONDS);
        return Response.ok(new Jwks(keys.publishedKeys().stream().map(Jwk::of).toList())).cacheControl(cache).build();
    }
}
