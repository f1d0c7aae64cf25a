package io.parley.bench;

/** The paths the benchmark calls: the consumer and agent APIs of a site, the bootstrap calls, the test-support servlet. */
final class Endpoints {

    /**
     * A chat site the benchmark uses, with the API user that bootstraps its consumers.
     *
     * @param pool sent as the {@code pool} query parameter of consumer calls, as the widget does (Parley needs it nowhere)
     */
    record Site(String name, String pool, String apiUser, String apiPassword) {

        /** A consumer API operation, e.g. {@code getMessages}. */
        String consumer(String operation) {
            return "/engagement/api/consumer/" + name + "/v1/" + operation + "?pool=" + pool;
        }

        /** An agent API operation, e.g. {@code createAutomatedAgentSession}. */
        String agent(String operation) {
            return "/engagement/api/agent/" + name + "/v1/" + operation;
        }
    }

    /** The demo seed's site: phases 1 and 2. */
    static final Site DEMO = new Site("demo", "1:1", "demo-api", "demo-api-pass");
    /** The site of {@code benchmark/round-trip-seed.json}: phase 3. */
    static final Site BENCH = new Site("bench", "9:1", "bench-api", "bench-api-pass");
    /** The seed's bots are {@code bench-bot1} … {@code bench-bot4}, with this password. */
    static final String BOT_USER_PREFIX = "bench-bot";
    static final String BOT_PASSWORD = "bench-bot-pass";

    static final String ESTABLISH_SESSIONS = "/services/rest/crossChannelServices/latest/establishSessions";
    static final String AGENT_TOKENS = "/services/rest/crossChannelServices/latest/agentTokens";

    static final String HELD = "/test-support/held";
    static final String AGENT_ACCEPT = "/test-support/agent/accept";
    static final String AGENT_POST = "/test-support/agent/post";

    private Endpoints() {
    }
}
