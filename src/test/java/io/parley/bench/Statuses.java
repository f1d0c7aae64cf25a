package io.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The answers to one kind of request by HTTP status, with the first few error answers kept as evidence. Loop thread only. */
final class Statuses {

    /** The status a request gets when its connection broke before the answer. */
    static final int LOST = -1;
    private static final int SAMPLES = 3;

    private final Map<Integer, Long> counts = new TreeMap<>();
    private final List<String> samples = new ArrayList<>();

    void answered(RawResponse r) {
        counts.merge(r.status(), 1L, Long::sum);
        if (r.status() != 200 && samples.size() < SAMPLES) {
            String body = r.bodyText();
            samples.add(r.status() + " " + (body.length() <= 300 ? body : body.substring(0, 300) + "..."));
        }
    }

    void lost() {
        counts.merge(LOST, 1L, Long::sum);
        if (samples.size() < SAMPLES) {
            samples.add("connection broke before the answer");
        }
    }

    long errors() {
        return counts.entrySet().stream().filter(e -> e.getKey() != 200).mapToLong(Map.Entry::getValue).sum();
    }

    /** E.g. {@code {200=50000}}; a lost answer counts under -1. */
    @Override
    public String toString() {
        return counts.toString();
    }

    List<String> samples() {
        return samples;
    }
}
