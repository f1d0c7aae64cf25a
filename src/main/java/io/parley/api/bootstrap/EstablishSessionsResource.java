package io.parley.api.bootstrap;

import io.parley.api.Callers;
import io.parley.auth.AccountPrincipal;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.parley.api.Json;
import io.parley.engagement.SessionInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * B2C {@code establishSessions}: an API user (Basic credentials, checked by the AuthFilter) gets a
 * consumer token and the chat server's whereabouts.
 */
@Path("/services/rest/crossChannelServices/latest/establishSessions")
@Produces(MediaType.APPLICATION_JSON)
public final class EstablishSessionsResource {

    /**
     * The request: {@code sessionInformation} as an object or as a string holding one (missing: an anonymous consumer).
     *
     * @param sessionInformation what the consumer told about themselves
     */
    public record Request(@JsonDeserialize(using = SessionInformation.ObjectOrString.class)
                          SessionInformation sessionInformation) {
    }

    /**
     * The answer.
     *
     * @param channelToken          the JWT for {@code requestEngagement}
     * @param siteName              the fqSiteName
     * @param sessionServerResponse a JSON <em>string</em> holding {@code {"domain": ..., "pool": ...}}: clients parse it
     */
    public record Answer(String channelToken, String siteName, String sessionServerResponse) {
    }

    private final ConsumerBootstrap bootstrap;

    public EstablishSessionsResource(ConsumerBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @POST
    public Answer establish(Request body, @Context SecurityContext caller, @Context HttpServletRequest request) {
        SessionInformation info = body == null ? null : body.sessionInformation();
        ConsumerBootstrap.Issued issued = bootstrap.issue(Callers.of(caller, AccountPrincipal.class), request, null,
                info == null ? SessionInfo.empty() : info.toSessionInfo());
        Map<String, String> server = new LinkedHashMap<>();
        server.put("domain", issued.domain());
        server.put("pool", issued.site().pool());
        return new Answer(issued.token(), issued.site().name(), asJsonString(server));
    }

    private static String asJsonString(Map<String, String> value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a map of strings", e);
        }
    }
}
