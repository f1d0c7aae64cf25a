package io.parley.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.continuation.LongPolls;
import io.parley.continuation.HeldSlots;
import io.parley.engagement.ActivityMode;
import io.parley.engagement.ConcludeReason;
import io.parley.engagement.EngagementException;
import io.parley.engagement.Conversation;
import io.parley.engagement.EngagementModule;
import io.parley.engagement.Participant;
import io.parley.engagement.PostCommand;
import io.parley.engagement.Posted;
import io.parley.engagement.Visibility;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only endpoints under {@code /test-support/}:
 * <ul>
 *   <li>{@code GET /probe}: how many requests per path got through Parley's filters; {@code DELETE /probe} resets;</li>
 *   <li>{@code GET /held}: held requests and polling channels of the node (leak checks);</li>
 *   <li>{@code POST /agent/{accept|post|activity|conclude|leave}}: a stand-in agent acting through the
 *       engagement service, with a JSON body of {@code engagementId}, {@code accountId}, {@code participantId},
 *       {@code body}, {@code offRecord}, {@code whisper}, {@code mode}, {@code reason}.</li>
 * </ul>
 */
public class TestSupportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if ("/probe".equals(req.getPathInfo())) {
            Map<String, Long> counts = new TreeMap<>();
            ProbeFilter.PASSED.forEach((k, v) -> counts.put(k, v.get()));
            write(res, 200, counts);
            return;
        }
        if ("/held".equals(req.getPathInfo())) {
            HeldSlots slots = (HeldSlots) getServletContext().getAttribute(HeldSlots.class.getName());
            LongPolls<?> polls = (LongPolls<?>) getServletContext().getAttribute(LongPolls.class.getName() + ".consumer");
            write(res, 200, Map.of("held", slots.held(), "channels", polls.channels()));
            return;
        }
        write(res, 404, Map.of("error", "no such test-support path"));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (!path.startsWith("/agent/")) {
            write(res, 404, Map.of("error", "no such test-support path"));
            return;
        }
        EngagementModule domain = (EngagementModule) getServletContext().getAttribute(EngagementModule.class.getName());
        Conversation conversation = domain.conversation();
        JsonNode in = JSON.readTree(req.getInputStream());
        long engagementId = in.path("engagementId").asLong();
        long participantId = in.path("participantId").asLong();
        try {
            switch (path) {
                case "/agent/accept" -> {
                    Participant p = conversation.acceptAsLead(engagementId, in.path("accountId").asLong());
                    write(res, 200, Map.of("participantId", p.id()));
                }
                case "/agent/post" -> {
                    Posted p = conversation.post(engagementId, participantId,
                            new PostCommand(in.path("body").asText(), false,
                                    in.path("offRecord").asBoolean(false), null, Map.of(),
                                    in.path("whisper").asBoolean(false) ? Visibility.AGENTS : Visibility.ALL));
                    write(res, 200, Map.of("sequenceNumber", p.seq()));
                }
                case "/agent/activity" -> {
                    long seq = conversation.setActivity(engagementId, participantId,
                            ActivityMode.valueOf(in.path("mode").asText("RESPONDING")), null, false);
                    write(res, 200, Map.of("sequenceNumber", seq));
                }
                case "/agent/conclude" -> write(res, 200, Map.of("concluded",
                        conversation.conclude(engagementId, participantId, ConcludeReason.AGENT_CONCLUDED)));
                case "/agent/leave" -> {
                    conversation.leave(engagementId, participantId, in.path("reason").asText("PARTICIPANT_LEFT"));
                    write(res, 200, Map.of("left", true));
                }
                default -> write(res, 404, Map.of("error", "no such agent operation"));
            }
        } catch (EngagementException e) {
            write(res, e.kind() == EngagementException.Kind.NOT_FOUND ? 404 : 409, Map.of("code", e.code()));
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse res) throws IOException {
        if ("/probe".equals(req.getPathInfo())) {
            ProbeFilter.PASSED.values().forEach(a -> a.set(0));
            ProbeFilter.PASSED.clear();
            write(res, 200, Map.of("reset", true));
            return;
        }
        write(res, 404, Map.of("error", "no such test-support path"));
    }

    static void write(HttpServletResponse res, int status, Object body) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json;charset=UTF-8");
        JSON.writeValue(res.getOutputStream(), body);
    }
}
