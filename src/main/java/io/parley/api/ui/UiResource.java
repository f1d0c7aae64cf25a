package io.parley.api.ui;

import io.parley.api.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * The pages: the consumer chat ({@code /ui/chat}), the agent console ({@code /ui/agent}), the admin
 * dashboard ({@code /ui/admin}), an index at {@code /ui/}, and their files under {@code /ui/assets/}.
 * They are plain HTML, CSS and JavaScript that talk to Parley's public APIs only; they need no
 * credentials to load (the AuthFilter lets {@code /ui} through), the API calls they make do.
 */
@Path("ui")
public final class UiResource {

    /**
     * Scripts and styles from Parley's own origin only, never inline; the API is the only thing the
     * pages connect to; forms never submit natively (the scripts send them), so credentials typed
     * into a page cannot end up in a URL even when its script failed to load.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private final UiAssets assets;

    public UiResource(UiAssets assets) {
        this.assets = assets;
    }

    /**
     * {@code /ui/} is the index; {@code /ui} redirects there, so the pages' relative links resolve below it.
     * The {@code Location} is a path without a host (Jersey is told not to resolve it): an address built
     * from the request's {@code Host} would send a browser wherever that header said.
     */
    @GET
    public Response index(@Context UriInfo uri, @Context Request request) {
        if (!uri.getPath().endsWith("/")) {
            return Response.status(Response.Status.PERMANENT_REDIRECT)
                    .location(URI.create(uri.getBaseUri().getRawPath() + "ui/")).build();
        }
        return serve("index.html", request);
    }

    @GET
    @Path("{page: chat|agent|admin}")
    public Response page(@PathParam("page") String page, @Context Request request) {
        return serve(page + ".html", request);
    }

    @GET
    @Path("assets/{name}")
    public Response asset(@PathParam("name") String name, @Context Request request) {
        if (name.endsWith(".html")) {
            throw notFound();
        }
        return serve(name, request);
    }

    private Response serve(String name, Request request) {
        UiAssets.Asset asset = assets.find(name).orElseThrow(UiResource::notFound);
        CacheControl cache = new CacheControl();
        // The files are not fingerprinted: revalidate every time (a 304 when unchanged), so a new
        // version of Parley never runs with yesterday's scripts.
        cache.setNoCache(true);
        EntityTag etag = new EntityTag(asset.etag());
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(etag);
        Response.ResponseBuilder answer = unchanged != null ? unchanged
                : Response.ok(asset.bytes(), asset.mediaType());
        return answer.tag(etag)
                .cacheControl(cache)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                // frame-ancestors' twin for browsers that predate it (nosniff is the SecurityHeadersFilter's).
                .header("X-Frame-Options", "SAMEORIGIN")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static ApiException notFound() {
        return ApiException.notFound("NOT_FOUND", "There is no such page or file.");
    }
}
