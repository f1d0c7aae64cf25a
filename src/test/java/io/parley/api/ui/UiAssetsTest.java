package io.parley.api.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class UiAssetsTest {

    private final UiAssets assets = UiAssets.load(UiAssetsTest.class.getClassLoader());

    @Test
    void everyFileIsLoadedWithItsMediaTypeAndAValidator() {
        for (String name : UiAssets.NAMES) {
            UiAssets.Asset asset = assets.find(name).orElseThrow();
            assertTrue(asset.bytes().length > 0, name);
            assertEquals(32, asset.etag().length(), name);
        }
        assertEquals("text/html; charset=utf-8", assets.find("chat.html").orElseThrow().mediaType());
        assertEquals("text/javascript; charset=utf-8", assets.find("agent.js").orElseThrow().mediaType());
        assertEquals("text/css; charset=utf-8", assets.find("parley.css").orElseThrow().mediaType());
        assertEquals("image/svg+xml", assets.find("parley.svg").orElseThrow().mediaType());
    }

    @Test
    void onlyExactNamesOfTheCatalogueAreFound() {
        for (String name : List.of("../parley.js", "/parley.js", "PARLEY.JS", "parley.js/", "demo-seed.json",
                "../demo-seed.json", "..", "", " parley.js")) {
            assertTrue(assets.find(name).isEmpty(), name);
        }
        assertTrue(assets.find(null).isEmpty());
    }

    @Test
    void theValidatorFollowsTheContent() {
        UiAssets again = UiAssets.load(UiAssetsTest.class.getClassLoader());
        assertEquals(assets.find("parley.js").orElseThrow().etag(), again.find("parley.js").orElseThrow().etag());
        assertArrayEquals(assets.find("parley.js").orElseThrow().bytes(), again.find("parley.js").orElseThrow().bytes());
        assertTrue(!assets.find("chat.js").orElseThrow().etag().equals(assets.find("agent.js").orElseThrow().etag()));
    }

    @Test
    void aBuildWithoutThePagesFailsAtStart() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> UiAssets.load(empty));
            assertTrue(e.getMessage().contains("io/parley/ui/index.html"), e.getMessage());
        }
    }

    @Test
    void aFileWithoutAKnownTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> UiAssets.mediaType("notes.txt"));
    }
}
