package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.api.admin.AdminResource;
import io.parley.api.agent.AgentResource;
import io.parley.api.bootstrap.AgentBootstrapResource;
import io.parley.api.bootstrap.ChatAuthenticateResource;
import io.parley.api.bootstrap.EstablishSessionsResource;
import io.parley.api.bootstrap.JwksResource;
import io.parley.api.consumer.ConsumerResource;
import io.parley.api.ui.UiResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceModel;
import org.junit.jupiter.api.Test;

/**
 * The resource model against the AuthFilter's table. Parley runs the same audit on its live model
 * when Jersey starts (every IT deployment does); here it runs on models built from the resource
 * classes, with and without resources that must not pass.
 */
class RouteAuditTest {

    private static final List<Class<?>> PARLEY = List.of(ConsumerResource.class, AgentResource.class,
            AgentBootstrapResource.class, EstablishSessionsResource.class, ChatAuthenticateResource.class,
            ChatAuthenticateResource.Crm.class, JwksResource.class, AdminResource.class, HealthResource.class,
            UiResource.class);

    private static ResourceModel model(Class<?>... extra) {
        ResourceModel.Builder b = new ResourceModel.Builder(false);
        Stream.concat(PARLEY.stream(), Stream.of(extra)).map(Resource::from).forEach(b::addResource);
        return b.build();
    }

    /** A debugging page someone exposed under the pages, where no credential is asked. */
    @Path("ui/debug")
    public static final class UnguardedPage {
        @GET
        public String dump() {
            return "secrets";
        }
    }

    /** An operation beside the consumer API's, on a path the AuthFilter's table does not know. */
    @Path("/engagement/api/consumer/{fqSiteName}/v2")
    public static final class UnknownPath {
        @POST
        @Path("export")
        public String export() {
            return "everything";
        }
    }

    /** A new agent operation: the table asks for a live agent session, as for every agent call. */
    @Path("/engagement/api/agent/{fqSiteName}/v1")
    public static final class NewAgentOperation {
        @POST
        @Path("cannedResponses")
        public String canned() {
            return "[]";
        }
    }

    @Test
    void everyParleyResourceIsGuardedAsItsPathRequires() {
        assertEquals(List.of(), RouteAudit.findings(model()));
    }

    @Test
    void aResourceReachableWithoutCredentialsThatIsNotDeclaredOpenIsFound() {
        assertEquals(List.of("GET /ui/debug: reachable without credentials (REQUEST_BUDGET) but not declared open"),
                RouteAudit.findings(model(UnguardedPage.class)));
    }

    @Test
    void aResourceOnAPathTheFilterDoesNotKnowIsFound() {
        List<String> findings = RouteAudit.findings(model(UnknownPath.class));
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("POST /engagement/api/consumer/{fqSiteName}/v2/export: the AuthFilter does not know"),
                findings.get(0));
    }

    @Test
    void anOpenRouteNoResourceServesIsFound() {
        ResourceModel.Builder b = new ResourceModel.Builder(false);
        PARLEY.stream().filter(c -> c != HealthResource.class).map(Resource::from).forEach(b::addResource);
        assertEquals(List.of("GET /health/live: declared open but no resource serves it",
                "GET /health/ready: declared open but no resource serves it",
                "GET /metrics: declared open but no resource serves it"), RouteAudit.findings(b.build()));
    }

    @Test
    void aNewOperationUnderAGuardedPathNeedsNothingMore() {
        assertEquals(List.of(), RouteAudit.findings(model(NewAgentOperation.class)));
    }

    @Test
    void templatesBecomePathsTheirPatternsMatch() {
        assertEquals("/serviceApi/resources/11.13.0.0/chatAuthenticate",
                RouteAudit.sample("/serviceApi/resources/{version: 11\\.13\\.0\\.0|latest}/chatAuthenticate"));
        assertEquals("/ui/chat", RouteAudit.sample("/ui/{page: chat|agent|admin}"));
        assertEquals("/admin/api/v1/sites/x1/queues", RouteAudit.sample("/admin/api/v1/sites/{id}/queues"));
    }
}
