package io.parley.bench;

/** The paths the benchmark calls: the consumer API of the demo site and the test-support servlet. */
final class Endpoints {

    static final String SITE = "demo";
    static final String API_USER = "demo-api";
    static final String API_PASSWORD = "demo-api-pass";

    static final String ESTABLISH_SESSIONS = "/services/rest/crossChannelServices/latest/establishSessions";
    static final String CONSUMER = "/engagement/api/consumer/" + SITE + "/v1/";
    static final String REQUEST_ENGAGEMENT = CONSUMER + "requestEngagement?pool=1:1";
    static final String GET_MESSAGES = CONSUMER + "getMessages?pool=1:1";

    static final String HELD = "/test-support/held";
    static final String AGENT_ACCEPT = "/test-support/agent/accept";
    static final String AGENT_POST = "/test-support/agent/post";

    private Endpoints() {
    }
}
