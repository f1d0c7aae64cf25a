package io.parley.api.bootstrap;

import io.parley.api.Callers;
import io.parley.auth.AccountPrincipal;
import io.parley.api.error.ApiException;
import io.parley.engagement.SessionInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Fusion {@code chatAuthenticate} ({@code /serviceApi/resources/11.13.0.0} or {@code latest}):
 * an API user (Basic credentials, checked by the AuthFilter) gets a token for a logged-in consumer
 * named by {@code authUserName}. Answers 201. {@link Crm} serves the CRM REST flavour of the path.
 */
@Path("/serviceApi/resources/{version: 11\\.13\\.0\\.0|latest}/chatAuthenticate")
@Produces(MediaType.APPLICATION_JSON)
public class ChatAuthenticateResource {

    /**
     * The request attributes; unknown ones ({@code clientType}, {@code incidentType}, {@code resumeType},
     * {@code mediaList}, ...) are accepted and ignored.
     */
    public record Request(String authUserName, Long contactId, String emailAddress, String firstName, String lastName,
                          Long organizationId, String organizationName, String question, Long queueId,
                          Long interfaceId, String interfaceName, Long productId, Long categoryId, Long incidentId,
                          List<SessionInformation.CustomField> customFields, Map<String, String> auxiliaryData) {

        SessionInfo toSessionInfo() {
            return new SessionInformation(firstName, lastName, emailAddress, organizationName, contactId,
                    organizationId, queueId, productId, categoryId, interfaceId, interfaceName, incidentId, question,
                    customFields, auxiliaryData).toSessionInfo();
        }
    }

    /**
     * The answer.
     *
     * @param jwt          the token for {@code requestEngagement}
     * @param domain       where the chat server is: {@code host[:port][/path]}
     * @param poolId       the pool
     * @param chatSiteName the fqSiteName
     */
    public record Answer(String jwt, String domain, String poolId, String chatSiteName) {
    }

    private final ConsumerBootstrap bootstrap;

    public ChatAuthenticateResource(ConsumerBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @POST
    public Response authenticate(Request body, @Context SecurityContext caller, @Context HttpServletRequest request) {
        if (body == null || body.authUserName() == null || body.authUserName().isBlank()) {
            throw ApiException.badRequest("INVALID_FIELD", "Field 'authUserName' is required.");
        }
        ConsumerBootstrap.Issued issued = bootstrap.issue(Callers.of(caller, AccountPrincipal.class), request,
                body.authUserName().strip(), body.toSessionInfo());
        return Response.status(201)
                .entity(new Answer(issued.token(), issued.domain(), issued.site().pool(), issued.site().name()))
                .build();
    }

    /** The same call on the CRM REST path ({@code /crmRestApi/resources/11.13.18.05/chatAuthenticate}). */
    @Path("/crmRestApi/resources/11.13.18.05/chatAuthenticate")
    public static final class Crm extends ChatAuthenticateResource {

        public Crm(ConsumerBootstrap bootstrap) {
            super(bootstrap);
        }
    }
}
