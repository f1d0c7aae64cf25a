package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * An automated agent on the agent API, as a chat bot runs: it logs on with {@code autoAccept}
 * (offers are taken at once, by the server), becomes available, asks for chats, and then holds
 * one {@code getMessages} long poll on a socket of its own, with its cursor
 * ({@code lastSequenceNumber}). Every consumer message its polls deliver is answered at once with
 * a reply that carries the message's number, posted over the bot's own small pool of
 * connections. Logging on is blocking ({@link JsonHttp}); everything after runs on the
 * {@link EventLoop} thread.
 */
final class AgentBot {

    static final String MESSAGE = "ChatEngagementMessageNotification";
    static final String ASSIGNMENT = "ChatEngagementAssignmentNotification";

    private final String username;
    private final String sessionId;
    private final long accountId;
    private final int capacity;
    private final Endpoints.Site site;
    private final RawRequests requests;
    private final RoundTripTracker tracker;
    private final RequestPool replies;
    private final Poller poller;
    private long cursor;
    private int chatsTaken;
    private int offersNotAutoAccepted;
    private long messagesRead;
    private long answersWithMessages;
    private final Map<String, Integer> typesSeen = new TreeMap<>();
    private final Statuses replyStatuses;

    private AgentBot(EventLoop loop, InetSocketAddress server, RawRequests requests, Endpoints.Site site,
                     String username, String sessionId, long accountId, int capacity, RoundTripTracker tracker,
                     PollStats pollStats, Statuses replyStatuses, int replyConnections) {
        this.username = username;
        this.sessionId = sessionId;
        this.accountId = accountId;
        this.capacity = capacity;
        this.site = site;
        this.requests = requests;
        this.tracker = tracker;
        this.replyStatuses = replyStatuses;
        this.replies = new RequestPool(loop, server, replyConnections);
        this.poller = new Poller(loop, server, this::pollRequest, pollStats, this::read);
    }

    /**
     * Logs the bot on: {@code agentTokens} (Basic with its own credentials), then
     * {@code createAutomatedAgentSession} with {@code autoAccept} (taking over a session left from
     * an earlier run), {@code setActivityStatus} AVAILABLE and {@code requestAssignment} for
     * {@code maxChats} chats.
     */
    static AgentBot logOn(JsonHttp http, EventLoop loop, InetSocketAddress server, RawRequests requests,
                          Endpoints.Site site, String username, String password, int maxChats,
                          RoundTripTracker tracker, PollStats pollStats, Statuses replyStatuses,
                          int replyConnections) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        String token = http.post(Endpoints.AGENT_TOKENS, "{}", "Authorization", basic)
                .require(200, "agentTokens for " + username).path("sessionToken").asText();
        JsonNode logon = http.post(site.agent("createAutomatedAgentSession"),
                "{\"logonOverride\":true,\"messageDataMap\":{\"autoAccept\":\"true\"}}",
                "Authorization", "Bearer " + token).require(200, "createAutomatedAgentSession for " + username);
        String sessionId = logon.path("sessionId").asText();
        long accountId = logon.path("accountId").asLong();
        String[] headers = {"X-AID", Long.toString(accountId), "X-JSESSIONID", sessionId};
        http.post(site.agent("setActivityStatus"), "{\"status\":\"AVAILABLE\",\"subTypeId\":0}", headers)
                .require(200, "setActivityStatus for " + username);
        int capacity = http.post(site.agent("requestAssignment"), "{\"assignmentRequested\":true,\"maxSessionCount\":"
                + maxChats + ",\"idleSessionCount\":" + maxChats + "}", headers)
                .require(200, "requestAssignment for " + username)
                .path("chatRequestAssignmentResult").path("maxSessionCount").asInt();
        return new AgentBot(loop, server, requests, site, username, sessionId, accountId, capacity, tracker, pollStats,
                replyStatuses, replyConnections);
    }

    /** Starts the bot's long poll. Loop thread only. */
    void start(int warmReplyConnections) {
        replies.warm(warmReplyConnections);
        poller.start();
    }

    private byte[] pollRequest() {
        return requests.postJson(site.agent("getMessages"), "{\"lastSequenceNumber\":" + cursor + "}", "X-AID",
                Long.toString(accountId), "X-JSESSIONID", sessionId);
    }

    /** Reads one poll answer: {@code {"getResponseTypes":[{"<TypeName>":{...}}, ...]}}. */
    private int read(RawResponse answer) throws IOException {
        int messages = 0;
        for (JsonNode item : JsonHttp.JSON.readTree(answer.body()).path("getResponseTypes")) {
            Iterator<String> names = item.fieldNames();
            if (!names.hasNext()) {
                continue;
            }
            String type = names.next();
            JsonNode m = item.path(type);
            if ("ChatGetTimeout".equals(type)) {
                continue;
            }
            messages++;
            messagesRead++;
            cursor = Math.max(cursor, m.path("sequenceNumber").asLong());
            typesSeen.merge(type, 1, Integer::sum);
            if (MESSAGE.equals(type) && "END_USER".equals(m.path("senderType").asText())) {
                reply(m.path("engagementId").asLong(), m.path("body").asText(), answer.receivedNanos());
            } else if (ASSIGNMENT.equals(type)) {
                if (m.path("autoAccepted").asBoolean()) {
                    chatsTaken++;
                } else {
                    offersNotAutoAccepted++;
                }
            }
        }
        if (messages > 0) {
            answersWithMessages++;
        }
        return messages;
    }

    private void reply(long engagementId, String body, long receivedNanos) {
        int message = tracker.atBot(body, receivedNanos);
        if (message < 0) {
            return;
        }
        byte[] request = requests.postJson(site.agent("postMessage"), "{\"engagementId\":" + engagementId
                + ",\"body\":\"" + RoundTripTracker.reply(message) + "\"}", "X-AID", Long.toString(accountId),
                "X-JSESSIONID", sessionId);
        replies.submit(request, new RequestPool.Exchange() {
            @Override
            public void sent(long nanos) {
                tracker.replySent(message, nanos);
            }

            @Override
            public void answered(RawResponse r) {
                tracker.replyAnswered(message, r.status(), r.receivedNanos());
                replyStatuses.answered(r);
            }

            @Override
            public void lost() {
                tracker.replyLost(message);
                replyStatuses.lost();
            }
        });
    }

    String username() {
        return username;
    }

    /** The capacity the server granted (requestAssignment, capped by the account's maxSessions). */
    int capacity() {
        return capacity;
    }

    /** Chats the server gave this bot (assignment notifications with autoAccepted). */
    int chatsTaken() {
        return chatsTaken;
    }

    int offersNotAutoAccepted() {
        return offersNotAutoAccepted;
    }

    long messagesRead() {
        return messagesRead;
    }

    long answersWithMessages() {
        return answersWithMessages;
    }

    Map<String, Integer> typesSeen() {
        return typesSeen;
    }

    RequestPool replies() {
        return replies;
    }
}
