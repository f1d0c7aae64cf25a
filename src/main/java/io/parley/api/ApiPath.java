package io.parley.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request path addresses: the consumer or agent API of a site, a bootstrap call, the
 * admin API, the pages (consoles), the public endpoints (health, metrics, signing keys), or
 * nothing Parley serves. The filters use it to decide which checks apply before any resource
 * runs; a path it does not know reaches no resource (the AuthFilter answers 404).
 *
 * @param kind      the part of the API
 * @param site      the {@code fqSiteName} for consumer and agent paths, else null
 * @param operation the operation name ({@code requestEngagement}, {@code establishSessions}, ...), else null
 */
public record ApiPath(Kind kind, String site, String operation) {

    /** The parts of Parley's HTTP surface, and {@code UNKNOWN} for everything else. */
    public enum Kind { CONSUMER, AGENT, BOOTSTRAP, ADMIN, UI, PUBLIC, UNKNOWN }

    private static final Pattern ENGAGEMENT =
            Pattern.compile("^/engagement/api/(consumer|agent)/([^/]+)/v1/([^/]+)/?$");
    private static final Pattern CROSS_CHANNEL =
            Pattern.compile("^/services/rest/crossChannelServices/latest/(establishSessions|agentTokens|serviceSettings)(/[^/]*)?/?$");
    private static final Pattern CHAT_AUTHENTICATE =
            Pattern.compile("^/(?:serviceApi/resources/(?:11\\.13\\.0\\.0|latest)|crmRestApi/resources/11\\.13\\.18\\.05)/chatAuthenticate/?$");

    private static final Pattern ADMIN = Pattern.compile("^/admin/api/v1(?:/([^/]*))?(?:/.*)?$");

    /** The pages: {@code /ui}, {@code /ui/} and below. They need no credentials; the page's API calls do. */
    private static final Pattern UI = Pattern.compile("^/ui(?:/.*)?$");

    /** Health, metrics and the signing keys: anyone may read them. The operation is the path. */
    private static final Pattern PUBLIC = Pattern.compile("^/(health/live|health/ready|metrics|\\.well-known/jwks\\.json)/?$");

    private static final ApiPath UI_PATH = new ApiPath(Kind.UI, null, null);
    private static final ApiPath UNKNOWN_PATH = new ApiPath(Kind.UNKNOWN, null, null);

    private static final String ATTRIBUTE = ApiPath.class.getName();

    /** A classification and the path it was made from. */
    private record Classified(String path, ApiPath apiPath) {
    }

    /**
     * Classifies the path of {@code request} below the context path. Every filter asks; the path is
     * parsed once per request and the answer kept on it (for as long as the path stays the same).
     */
    public static ApiPath of(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = servletPath + pathInfo;
        if (request.getAttribute(ATTRIBUTE) instanceof Classified c && c.path().equals(path)) {
            return c.apiPath();
        }
        ApiPath parsed = parse(path);
        request.setAttribute(ATTRIBUTE, new Classified(path, parsed));
        return parsed;
    }

    /** Classifies a path below the context path, such as {@code /engagement/api/consumer/demo/v1/getMessages}. */
    public static ApiPath parse(String path) {
        if (path == null) {
            return UNKNOWN_PATH;
        }
        Matcher m = ENGAGEMENT.matcher(path);
        if (m.matches()) {
            return new ApiPath("consumer".equals(m.group(1)) ? Kind.CONSUMER : Kind.AGENT, m.group(2), m.group(3));
        }
        m = CROSS_CHANNEL.matcher(path);
        if (m.matches()) {
            return new ApiPath(Kind.BOOTSTRAP, null, m.group(1));
        }
        if (CHAT_AUTHENTICATE.matcher(path).matches()) {
            return new ApiPath(Kind.BOOTSTRAP, null, "chatAuthenticate");
        }
        m = ADMIN.matcher(path);
        if (m.matches()) {
            return new ApiPath(Kind.ADMIN, null, m.group(1) == null ? "" : m.group(1));
        }
        if (UI.matcher(path).matches()) {
            return UI_PATH;
        }
        m = PUBLIC.matcher(path);
        if (m.matches()) {
            return new ApiPath(Kind.PUBLIC, null, m.group(1));
        }
        return UNKNOWN_PATH;
    }

    public boolean isConsumer(String op) {
        return kind == Kind.CONSUMER && op.equals(operation);
    }

    /** The consumer operations that need no session: queue statistics and pre-routing. */
    public boolean isSessionlessConsumerCall() {
        return kind == Kind.CONSUMER && ("getQueueStats".equals(operation) || "getEngagementQueue".equals(operation));
    }
}
