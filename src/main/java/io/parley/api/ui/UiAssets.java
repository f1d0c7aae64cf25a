package io.parley.api.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The files of the pages, read once from the classpath ({@code io/parley/ui/}) when Parley starts.
 *
 * <p>The catalogue is a fixed list of names: a request can only pick one of them by its exact
 * name, never make Parley open a path it built from the request (no traversal is possible).
 */
public final class UiAssets {

    /** One file: its bytes, its media type and a strong validator. */
    public record Asset(String name, byte[] bytes, String mediaType, String etag) {
    }

    /** Every file the pages are made of. */
    static final List<String> NAMES = List.of(
            "index.html", "chat.html", "agent.html", "admin.html",
            "parley.css", "parley.js", "chat.js", "agent.js", "admin.js", "parley.svg");

    private static final String ROOT = "io/parley/ui/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    private final Map<String, Asset> byName;

    private UiAssets(Map<String, Asset> byName) {
        this.byName = Map.copyOf(byName);
    }

    /** Reads every file of {@link #NAMES}; a missing one stops the deployment, as a broken build should. */
    public static UiAssets load(ClassLoader loader) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : NAMES) {
            try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("The page file " + ROOT + name + " is missing from the build");
                }
                byte[] bytes = in.readAllBytes();
                assets.put(name, new Asset(name, bytes, mediaType(name), etag(bytes)));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the page file " + ROOT + name, e);
            }
        }
        return new UiAssets(assets);
    }

    /** The file called exactly {@code name}, if the pages have one. */
    public Optional<Asset> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    static String mediaType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String type = TYPES.get(ext);
        if (type == null) {
            throw new IllegalArgumentException("No media type for " + name);
        }
        return type;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
