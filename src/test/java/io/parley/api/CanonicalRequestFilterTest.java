package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CanonicalRequestFilterTest {

    @Test
    void pathsThatTheContainerAndJerseyReadAlikePass() {
        for (String uri : new String[] {"/", "/ui/", "/engagement/api/consumer/demo/v1/getMessages", "/parley/ui/chat",
            "/admin/api/v1/engagements/1/transcript.csv", "/.well-known/jwks.json", "/a/..b/c.", "/%2e"}) {
            assertTrue(CanonicalRequestFilter.isCanonical(uri), uri);
        }
    }

    @Test
    void dotSegmentsEmptySegmentsAndPathParametersAreRefused() {
        for (String uri : new String[] {"/engagement/api/consumer/../v1/postMessage", "/a/./b", "/a/..", "/.",
            "/engagement/api/consumer/demo;x=1/v1/getMessages", "/ui;jsessionid=1", "//admin/api/v1/sites", "/a//b"}) {
            assertFalse(CanonicalRequestFilter.isCanonical(uri), uri);
        }
    }
}
