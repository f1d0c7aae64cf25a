package io.parley.api.bootstrap;

import io.parley.api.error.ApiException;
import io.parley.auth.BasicAuthenticator;
import io.parley.config.AllowedHost;
import io.parley.config.PublicAddress;
import io.parley.config.ServerSettings;
import io.parley.store.Site;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;

/**
 * The {@code domain} the bootstrap calls hand to clients: where they send every later call. It comes
 * from configuration, never from whatever {@code Host} a request names, so no request can point
 * clients elsewhere. In this order:
 * <ol>
 *   <li>the site's own public domain (for sites that live on hosts of their own);</li>
 *   <li>the server's {@code publicDomain};</li>
 *   <li>the request's host, port and context path, when {@code publicDomain.allowedHosts} lists the host;</li>
 *   <li>in demo mode, for a caller on a loopback address, the request's host as it is (so that a
 *       demo answers on whatever name it was reached by);</li>
 *   <li>else nothing: the call is answered 400 {@value #HOST_NOT_ALLOWED}.</li>
 * </ol>
 * Clients build the chat URL as {@code scheme://domain} and add {@code :port} only when a separate
 * {@code port} field is present, so the port travels inside {@code domain} (only when it is not the
 * scheme's default) and no {@code port} field is ever sent.
 */
public final class PublicDomain {

    /** The error code when nothing configured says where clients should go (400). */
    public static final String HOST_NOT_ALLOWED = "HOST_NOT_ALLOWED";

    private static final System.Logger LOG = System.getLogger(PublicDomain.class.getName());

    /**
     * What the decision reads from a request.
     *
     * @param scheme      the scheme the client used (as a trusted proxy says, else the connection's)
     * @param host        the host the request names ({@code Host})
     * @param port        the port it names, or the scheme's default
     * @param contextPath Parley's context path ({@code ""} at the root)
     * @param client      the client's address (behind trusted proxies, the address they report)
     */
    record Asked(String scheme, String host, int port, String contextPath, String client) {

        static Asked of(HttpServletRequest request) {
            return new Asked(request.getScheme(), request.getServerName(), request.getServerPort(),
                    request.getContextPath(), request.getRemoteAddr());
        }
    }

    private final Optional<PublicAddress> configured;
    private final List<AllowedHost> allowedHosts;
    private final boolean demo;

    PublicDomain(Optional<PublicAddress> configured, List<AllowedHost> allowedHosts, boolean demo) {
        this.configured = configured;
        this.allowedHosts = List.copyOf(allowedHosts);
        this.demo = demo;
    }

    /** The decision as the settings shape it; says at start what a deployment without either setting will do. */
    public static PublicDomain from(ServerSettings settings) {
        if (settings.publicDomain().isEmpty() && settings.allowedHosts().isEmpty()) {
            if (settings.demo()) {
                LOG.log(System.Logger.Level.INFO, "Demo mode without publicDomain: bootstrap answers send callers on"
                        + " loopback back to the Host they named, and refuse others (400 " + HOST_NOT_ALLOWED + ")");
            } else {
                LOG.log(System.Logger.Level.WARNING, "Neither publicDomain nor publicDomain.allowedHosts is set: the"
                        + " bootstrap calls of every site without a public domain of its own answer 400 "
                        + HOST_NOT_ALLOWED + ". Set publicDomain to the host[:port][/path] clients reach Parley at"
                        + " (publicDomain=chat.example.com), or list the names Parley is reached by in"
                        + " publicDomain.allowedHosts (publicDomain.allowedHosts=chat.example.com,*.chat.example.com)");
            }
        }
        return new PublicDomain(settings.publicDomain(), settings.allowedHosts(), settings.demo());
    }

    /**
     * The {@code domain} for a client of {@code site} who asked through {@code request}.
     *
     * @throws ApiException 400 {@value #HOST_NOT_ALLOWED} when no setting says and the request's Host is not allowed
     */
    String of(Site site, HttpServletRequest request) {
        Asked asked = Asked.of(request);
        return decide(site.publicDomain(), asked).orElseThrow(() -> {
            LOG.log(System.Logger.Level.INFO, "Bootstrap for site {0} refused: Host {1} (from {2}) is not in"
                    + " publicDomain.allowedHosts and nothing else says where clients go", site.name(), asked.host(),
                    asked.client());
            return ApiException.badRequest(HOST_NOT_ALLOWED, "This server does not answer to the host name the"
                    + " request named; call it by its public name.");
        });
    }

    /**
     * The decision itself (see the class comment).
     *
     * @param siteDomain the site's own public domain, or null
     */
    Optional<String> decide(String siteDomain, Asked asked) {
        if (siteDomain != null && !siteDomain.isBlank()) {
            return Optional.of(siteDomain);
        }
        if (configured.isPresent()) {
            return Optional.of(configured.get().toString());
        }
        if (asked.host() == null || asked.host().isEmpty()) {
            return Optional.empty();
        }
        boolean allowed = allowedHosts.stream().anyMatch(a -> a.matches(asked.host(), asked.port()));
        if (allowed || (demo && BasicAuthenticator.isLoopback(asked.client()))) {
            return Optional.of(fromRequest(asked));
        }
        return Optional.empty();
    }

    /** {@code host[:port][contextPath]} of the request, the port only when it is not the scheme's default. */
    private static String fromRequest(Asked asked) {
        StringBuilder b = new StringBuilder(PublicAddress.normalHost(asked.host()));
        if (!isDefaultPort(asked.scheme(), asked.port())) {
            b.append(':').append(asked.port());
        }
        String contextPath = asked.contextPath();
        if (contextPath != null && !contextPath.isEmpty() && !contextPath.equals("/")) {
            b.append(contextPath);
        }
        return b.toString();
    }

    private static boolean isDefaultPort(String scheme, int port) {
        if (port <= 0) {
            return true;
        }
        return "https".equalsIgnoreCase(scheme) ? port == 443 : port == 80;
    }
}
