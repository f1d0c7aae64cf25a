package io.parley.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Golden answer files: each answer is reduced to its shape (field names, their order, JSON types,
 * nesting, which optional fields are present, and the constants worth pinning) and compared, as
 * pretty-printed text, with {@code src/test/resources/golden/<name>.json}; or, in update mode
 * ({@code -Dparley.golden.update=true}), written there.
 *
 * <p>Normalisation replaces values, never keys, and keeps each value's JSON type:
 * <ul>
 *   <li>a string becomes {@code "<string>"}, an ISO-8601 instant {@code "<time>"}, a JWT {@code "<jwt>"},
 *       the String twin of a sibling number ({@code engagementIdString} beside {@code engagementId}, with
 *       the same digits) {@code "<twin>"}; the empty string stays {@code ""}; the values of
 *       {@link #PINNED_STRINGS} (message types, states, roles, error codes...) stay as they are;</li>
 *   <li>{@code sessionServerResponse}, a JSON string, is normalised inside and stays a string;</li>
 *   <li>a whole number becomes {@code 0}, a fraction {@code 0.0} (the HTTP {@code status} of an error
 *       body stays);</li>
 *   <li>booleans and nulls stay; arrays keep every element.</li>
 * </ul>
 * Objects that Parley builds with {@code Map.of} have no stable field order (it changes from one JVM
 * to the next); their fields are sorted ({@link #UNORDERED}), and so are the elements of an array read
 * from such a map ({@link #SORTED}); everything else keeps the order it came in.
 */
final class GoldenFiles {

    static final String UPDATE_PROPERTY = "parley.golden.update";

    /** Fields whose string values are constants of the contract, pinned literally. */
    static final Set<String> PINNED_STRINGS = Set.of(
            "messageName", "code", "exceptionCode", "resultType", "mode", "role", "previousRole", "reason",
            "disconnectReason", "sneakPreviewState", "status", "database", "assignmentType", "clientType",
            "senderType", "visibility", "destinationType", "messageType", "routingResult", "tokenType", "action",
            "targetType", "state", "kind", "type", "concludeReason", "algorithm", "kty", "alg", "use", "pool",
            "poolId", "unknownCountryPolicy");

    /** Fields whose numbers are pinned literally: the HTTP status an error body repeats. */
    static final Set<String> PINNED_NUMBERS = Set.of("status");

    /** Per answer, the objects (by path) whose field order the server does not fix: compared sorted. */
    static final Map<String, Pattern> UNORDERED = Map.of(
            // HealthResource answers Map.of("status", "UP", "database", "UP").
            "health/ready", Pattern.compile("\\$"),
            // Audit details are stored as written, some from Map.of with two keys.
            "admin/audit", Pattern.compile("\\$\\.items\\[\\d+]\\.details"));

    /** An array whose element order the server does not fix, compared sorted by a field (numbers as numbers). */
    record SortedArray(Pattern path, String byField) {

        Comparator<JsonNode> order() {
            return (a, b) -> a.path(byField).isNumber() && b.path(byField).isNumber()
                    ? Long.compare(a.path(byField).asLong(), b.path(byField).asLong())
                    : a.path(byField).asText().compareTo(b.path(byField).asText());
        }
    }

    /** Per answer, the arrays compared sorted. */
    static final Map<String, SortedArray> SORTED = Map.of(
            // AgentPresence.directory lists the queues of a Map.copyOf snapshot (Queues).
            "agent/retrieveAgentsAndQueues", new SortedArray(
                    Pattern.compile("\\$\\.chatRetrieveAgentsAndQueuesResult\\.queues"), "queueId"),
            // SigningKeys.keys() lists a Map.copyOf snapshot: the retired key first, then the signing one.
            "admin/rotateSigningKeys", new SortedArray(Pattern.compile("\\$\\.items"), "signing"));

    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,9})?)?Z");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private final Path root;
    private final boolean update;
    private final Map<String, String> recorded = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    /**
     * @param root   the directory of the golden files
     * @param update whether to write the files instead of comparing with them
     */
    GoldenFiles(Path root, boolean update) {
        this.root = root;
        this.update = update;
    }

    /** The golden files of this project, in update mode when {@value #UPDATE_PROPERTY} is true. */
    static GoldenFiles ofProject(boolean mayUpdate) {
        Path base = Path.of(System.getProperty("basedir", "."));
        return new GoldenFiles(base.resolve("src/test/resources/golden"),
                mayUpdate && Boolean.getBoolean(UPDATE_PROPERTY));
    }

    boolean updating() {
        return update;
    }

    boolean has(String name) {
        return recorded.containsKey(name);
    }

    /** Names recorded so far. */
    Set<String> names() {
        return recorded.keySet();
    }

    /** Checks (or records) one answer under {@code name}, e.g. {@code consumer/postMessage}. */
    void check(String name, JsonNode answer) {
        if (recorded.containsKey(name)) {
            throw new IllegalStateException("Golden answer " + name + " recorded twice in one run");
        }
        JsonNode shape = shape(name, answer);
        String text = print(shape);
        recorded.put(name, text);
        Path file = file(name);
        try {
            if (update) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, text, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.isRegularFile(file)) {
                failures.add(name + ": no golden file " + root.relativize(file)
                        + " (record it with -D" + UPDATE_PROPERTY + "=true); the answer's shape is:\n" + text);
                return;
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(text)) {
                String where = firstDifference("$", JSON.readTree(expected), shape);
                failures.add(name + " differs from its golden file at " + (where == null ? "(formatting only)" : where)
                        + "\n" + lineDiff(expected, text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends the run: golden files no answer matched are stale (deleted in update mode), and every
     * difference found fails the test, all named in one message.
     */
    void finish() {
        List<String> stale = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".json")).forEach(p -> {
                    String rel = root.relativize(p).toString().replace('\\', '/');
                    String name = rel.substring(0, rel.length() - ".json".length());
                    if (!recorded.containsKey(name)) {
                        stale.add(name);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (update) {
            for (String name : stale) {
                try {
                    Files.delete(file(name));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } else if (!stale.isEmpty()) {
            failures.add("Golden files that no answer of this run matched (an operation or variant went away?): "
                    + stale);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " golden answer(s) differ (update them with -D"
                    + UPDATE_PROPERTY + "=true only when the change is intended):\n\n" + String.join("\n\n", failures));
        }
    }

    private Path file(String name) {
        return root.resolve(name + ".json");
    }

    static String print(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ normalisation

    /** The shape of {@code answer}, as the golden file of {@code name} holds it. */
    static JsonNode shape(String name, JsonNode answer) {
        return shape(name, answer, "$", null, null);
    }

    private static JsonNode shape(String name, JsonNode n, String path, String key, JsonNode parent) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                ObjectNode out = JSON.createObjectNode();
                List<String> fields = new ArrayList<>();
                n.fieldNames().forEachRemaining(fields::add);
                Pattern unordered = UNORDERED.get(name);
                if (unordered != null && unordered.matcher(path).matches()) {
                    fields.sort(null);
                }
                for (String f : fields) {
                    out.set(f, shape(name, n.get(f), path + "." + f, f, n));
                }
                return out;
            }
            case ARRAY -> {
                List<JsonNode> elements = new ArrayList<>();
                n.elements().forEachRemaining(elements::add);
                SortedArray sorted = SORTED.get(name);
                if (sorted != null && sorted.path().matcher(path).matches()) {
                    elements.sort(sorted.order());
                }
                ArrayNode out = JSON.createArrayNode();
                for (int i = 0; i < elements.size(); i++) {
                    out.add(shape(name, elements.get(i), path + "[" + i + "]", key, null));
                }
                return out;
            }
            case STRING -> {
                return TextNode.valueOf(text(name, n.asText(), path, key, parent));
            }
            case NUMBER -> {
                if (key != null && PINNED_NUMBERS.contains(key)) {
                    return n;
                }
                return n.isIntegralNumber() ? IntNode.valueOf(0) : DoubleNode.valueOf(0.0);
            }
            case BOOLEAN, NULL -> {
                return n;
            }
            default -> throw new IllegalArgumentException("Unexpected JSON at " + path + ": " + n);
        }
    }

    private static String text(String name, String value, String path, String key, JsonNode parent) {
        if (key != null && PINNED_STRINGS.contains(key)) {
            return value;
        }
        if (value.isEmpty()) {
            return "";
        }
        if (key != null && parent != null && key.endsWith("String") && key.length() > "String".length()) {
            JsonNode twin = parent.get(key.substring(0, key.length() - "String".length()));
            if (twin != null && twin.isIntegralNumber() && twin.asText().equals(value)) {
                return "<twin>";
            }
        }
        if ("sessionServerResponse".equals(key)) {
            try {
                return JSON.writeValueAsString(shape(name, JSON.readTree(value), path, null, null));
            } catch (JsonProcessingException e) {
                return "<not JSON>";
            }
        }
        if (JWT.matcher(value).matches()) {
            return "<jwt>";
        }
        if (TIME.matcher(value).matches()) {
            return "<time>";
        }
        return "<string>";
    }

    // ------------------------------------------------------------------ differences

    /** The first place where two shapes differ, described; null when they are equal. */
    static String firstDifference(String path, JsonNode expected, JsonNode actual) {
        if (expected.getNodeType() != actual.getNodeType()) {
            return path + ": expected " + kind(expected) + " " + expected + " but was " + kind(actual) + " " + actual;
        }
        if (expected.isObject()) {
            List<String> e = names(expected);
            List<String> a = names(actual);
            for (String f : e) {
                if (!a.contains(f)) {
                    return path + "." + f + ": field missing (fields now " + a + ")";
                }
            }
            for (String f : a) {
                if (!e.contains(f)) {
                    return path + "." + f + ": new field (fields were " + e + ")";
                }
            }
            if (!e.equals(a)) {
                return path + ": field order changed: expected " + e + " but was " + a;
            }
            for (String f : e) {
                String d = firstDifference(path + "." + f, expected.get(f), actual.get(f));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
                String d = firstDifference(path + "[" + i + "]", expected.get(i), actual.get(i));
                if (d != null) {
                    return d;
                }
            }
            return expected.size() == actual.size() ? null
                    : path + ": expected " + expected.size() + " elements but was " + actual.size();
        }
        return expected.equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    /** A unified-style diff of two texts (golden: '-', now: '+'), with two lines of context. */
    static String lineDiff(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                lines.add("  " + a[i]);
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                lines.add("+ " + b[j++]);
            } else {
                lines.add("- " + a[i++]);
            }
        }
        StringBuilder out = new StringBuilder("--- golden\n+++ now\n");
        int lastShown = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).startsWith("  ")) {
                continue;
            }
            int from = Math.max(lastShown + 1, k - 2);
            if (lastShown >= 0 && from > lastShown + 1) {
                out.append("  ...\n");
            }
            for (int c = from; c <= Math.min(lines.size() - 1, k + 2); c++) {
                out.append(lines.get(c)).append('\n');
                lastShown = c;
            }
        }
        return out.toString();
    }
}
