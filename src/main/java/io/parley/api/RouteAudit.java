package io.parley.api;

import io.parley.auth.AuthFilter;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.ResourceModel;

/**
 * Holds Jersey's resource model against the AuthFilter's table ({@link AuthFilter#requirement}):
 * every resource method must sit on a path the filter recognises, and a method the filter lets
 * through without credentials must be one of the few {@link #OPEN} on purpose. Parley runs it when
 * Jersey starts and refuses to start on any finding, so a resource added outside the table can
 * never be served unchecked.
 */
public final class RouteAudit {

    /** The resource methods anyone may call, as {@code METHOD path-template}. */
    static final Set<String> OPEN = Set.of(
            "GET /health/live",
            "GET /health/ready",
            "GET /metrics",
            "GET /.well-known/jwks.json",
            "GET /ui",
            "GET /ui/{page: chat|agent|admin}",
            "GET /ui/assets/{name}",
            "GET /engagement/api/consumer/{fqSiteName}/v1/getQueueStats",
            "POST /engagement/api/consumer/{fqSiteName}/v1/getQueueStats",
            "GET /engagement/api/consumer/{fqSiteName}/v1/getEngagementQueue",
            "POST /engagement/api/consumer/{fqSiteName}/v1/getEngagementQueue");

    private static final Pattern VARIABLE = Pattern.compile("\\{\\s*(\\w+)\\s*(?::\\s*([^}]*))?}");
    private static final Pattern LITERAL_ALTERNATIVES = Pattern.compile("[\\w.\\\\-]+(\\|[\\w.\\\\-]+)*");

    private RouteAudit() {
    }

    /** What is wrong with {@code model}, one line per resource method; empty when nothing is. */
    public static List<String> findings(ResourceModel model) {
        Set<String> findings = new LinkedHashSet<>();
        Set<String> routes = new HashSet<>();
        for (Resource r : model.getResources()) {
            walk(r, "", routes, findings);
        }
        OPEN.stream().filter(route -> !routes.contains(route)).sorted()
                .forEach(route -> findings.add(route + ": declared open but no resource serves it"));
        return List.copyOf(findings);
    }

    /** Jersey's own answers to OPTIONS (and the like): they run no Parley code and pass the filters as any request does. */
    private static boolean generatedByJersey(ResourceMethod m) {
        return m.getInvocable().getHandler().getHandlerClass().getName().startsWith("org.glassfish.jersey.");
    }

    private static void walk(Resource resource, String parent, Set<String> routes, Set<String> findings) {
        String path = join(parent, resource.getPath());
        for (ResourceMethod m : resource.getResourceMethods()) {
            if (generatedByJersey(m)) {
                continue;
            }
            String route = m.getHttpMethod() + " " + path;
            routes.add(route);
            check(route, path, findings);
        }
        if (resource.getResourceLocator() != null) {
            findings.add("locator " + path + ": sub-resource locators cannot be audited; register resources directly");
        }
        for (Resource child : resource.getChildResources()) {
            walk(child, path, routes, findings);
        }
    }

    private static void check(String route, String template, Set<String> findings) {
        AuthFilter.Requirement needed = AuthFilter.requirement(ApiPath.parse(sample(template)));
        if (needed == AuthFilter.Requirement.DENIED) {
            findings.add(route + ": the AuthFilter does not know this path, so nobody can reach it");
        } else if ((needed == AuthFilter.Requirement.NONE || needed == AuthFilter.Requirement.REQUEST_BUDGET)
                && !OPEN.contains(route)) {
            findings.add(route + ": reachable without credentials (" + needed + ") but not declared open");
        }
    }

    private static String join(String parent, String path) {
        String p = path == null ? "" : path.strip();
        if (p.isEmpty() || p.equals("/")) {
            return parent.isEmpty() ? "/" : parent;
        }
        String base = parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent;
        String joined = base + (p.startsWith("/") ? p : "/" + p);
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** A concrete path the template matches: a variable with literal alternatives takes the first, any other {@code x1}. */
    static String sample(String template) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String regex = m.group(2) == null ? null : m.group(2).strip();
            String value = regex != null && LITERAL_ALTERNATIVES.matcher(regex).matches()
                    ? regex.split("\\|")[0].replace("\\", "")
                    : "x1";
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
