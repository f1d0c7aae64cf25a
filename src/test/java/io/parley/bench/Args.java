package io.parley.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options of the benchmark's main classes. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value, got: " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("Missing option --" + name);
        }
        return v;
    }

    int integer(String name, int defaultValue) {
        return Integer.parseInt(string(name, Integer.toString(defaultValue)));
    }

    long longValue(String name, long defaultValue) {
        return Long.parseLong(string(name, Long.toString(defaultValue)));
    }

    /** A comma-separated list of whole numbers. */
    List<Integer> integers(String name, String defaultValue) {
        List<Integer> out = new ArrayList<>();
        for (String s : string(name, defaultValue).split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
