package io.parley.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises {@code jcmd Thread.print} dumps of a Parley node: what its request threads and its own
 * threads (delivery, timer, cluster notifications) were doing, on average over the dumps. A busy
 * thread counts where its stack, read from the top, first shows where it is: waiting for one of
 * the pool's database connections, in the database driver (a statement or a commit under way), in
 * H2, blocked on a lock in Parley, and so on; with the Parley method it was in.
 *
 * <pre>ThreadDumps threads-1.txt threads-2.txt   (prints the summary of dumps kept by a run)</pre>
 */
final class ThreadDumps {

    private record Thread(String name, String state, List<String> frames) {
    }

    private ThreadDumps() {
    }

    public static void main(String[] files) throws java.io.IOException {
        List<String> dumps = new ArrayList<>();
        for (String f : files) {
            dumps.add(java.nio.file.Files.readString(java.nio.file.Path.of(f)));
        }
        System.out.println(summarise(dumps));
    }

    /** E.g. "request threads 200, of them busy 31.5: 20 waiting for a pooled database connection (in ...), ...". */
    static String summarise(List<String> dumps) {
        // group -> activity -> count over all dumps; activity -> Parley method -> count
        Map<String, Integer> totals = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> busy = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> where = new TreeMap<>();
        for (String group : List.of("request threads", "delivery threads", "timer threads", "notification sender",
                "notification listener")) {
            totals.put(group, 0);
            busy.put(group, new TreeMap<>());
        }
        for (String dump : dumps) {
            for (Thread t : parse(dump)) {
                String group = group(t.name());
                if (group == null) {
                    continue;
                }
                totals.merge(group, 1, Integer::sum);
                String activity = activity(t);
                if (activity == null) {
                    continue;
                }
                busy.get(group).merge(activity, 1, Integer::sum);
                String method = firstParleyFrame(t);
                if (method != null) {
                    where.computeIfAbsent(group + "/" + activity, k -> new TreeMap<>()).merge(method, 1, Integer::sum);
                }
            }
        }
        double n = dumps.size();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> g : totals.entrySet()) {
            if (g.getValue() == 0) {
                continue;
            }
            Map<String, Integer> acts = busy.get(g.getKey());
            int busyCount = acts.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder b = new StringBuilder(String.format("%s %s, busy %s", g.getKey(), number(g.getValue() / n),
                    number(busyCount / n)));
            if (busyCount > 0) {
                List<String> items = new ArrayList<>();
                acts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(a -> {
                    Map<String, Integer> methods = where.get(g.getKey() + "/" + a.getKey());
                    String in = methods == null ? "" : " (in " + top(methods, 2, n) + ")";
                    items.add(number(a.getValue() / n) + " " + a.getKey() + in);
                });
                b.append(": ").append(String.join(", ", items));
            }
            parts.add(b.toString());
        }
        return String.join("; ", parts) + ".";
    }

    private static String group(String name) {
        if (name.startsWith("http-nio-") && name.contains("-exec-")) {
            return "request threads";
        }
        if (name.startsWith("parley-delivery-")) {
            return "delivery threads";
        }
        if (name.startsWith("parley-timer-")) {
            return "timer threads";
        }
        if (name.equals("parley-notify-send")) {
            return "notification sender";
        }
        if (name.equals("parley-notify-listen")) {
            return "notification listener";
        }
        return null;
    }

    /** What a thread is doing, or null when it is idle (waiting for work). */
    private static String activity(Thread t) {
        String all = String.join("\n", t.frames());
        if (all.contains("TaskQueue.take") || all.contains("TaskQueue.poll") || all.contains("ThreadPoolExecutor.getTask")
                || (t.name().equals("parley-notify-send") && all.contains("LinkedBlockingQueue.poll"))) {
            return null;
        }
        if (t.name().equals("parley-notify-listen") && all.contains("getNotifications")
                && !all.contains("ClusterSignals.received")) {
            return null;
        }
        for (String f : t.frames()) {
            if (f.contains("com.zaxxer.hikari.pool.HikariPool.getConnection")) {
                return "waiting for a pooled database connection";
            }
            if (f.contains("com.zaxxer.hikari.util.ConcurrentBag.requite")) {
                // HikariCP spins (Thread.yield) handing a returned connection to a waiting thread.
                return "handing its connection back to threads waiting for one";
            }
            if (f.startsWith("org.postgresql.")) {
                if (all.contains("PgConnection.commit") || all.contains("ProxyConnection.commit")) {
                    return "committing on PostgreSQL";
                }
                return all.contains("getNotifications") ? "reading notifications from PostgreSQL"
                        : "running a statement on PostgreSQL";
            }
            if (f.startsWith("org.h2.")) {
                return h2Activity(all);
            }
            if (f.startsWith("io.parley.")) {
                return "BLOCKED".equals(t.state()) || "WAITING".equals(t.state()) || "TIMED_WAITING".equals(t.state())
                        ? "waiting on a lock in Parley" : "running Parley code";
            }
            if (f.startsWith("org.glassfish.jersey.") || f.startsWith("com.fasterxml.jackson.")) {
                return "in Jersey or Jackson";
            }
            if (f.startsWith("org.apache.tomcat.") || f.startsWith("org.apache.coyote.") || f.startsWith("org.apache.catalina.")) {
                return "in Tomcat";
            }
        }
        return "elsewhere (" + (t.frames().isEmpty() ? "no stack" : t.frames().get(0)) + ")";
    }

    /**
     * Where in H2: commits are written one at a time under the store's lock ({@code MVStore.commit}
     * writes a chunk to the file when {@code WRITE_DELAY=0}), so a queue of committers waits there.
     */
    private static String h2Activity(String stack) {
        int commit = stack.indexOf("org.h2.mvstore.MVStore.commit");
        if (commit >= 0 && stack.substring(0, commit).contains("ReentrantLock.lock")) {
            return "waiting for H2's store lock to commit";
        }
        if (commit >= 0 || stack.contains("org.h2.mvstore.MVStore.store")) {
            return "writing a commit to H2's file (holding the store lock)";
        }
        if (stack.contains("org.h2.mvstore.tx.Transaction.waitFor")) {
            return "waiting for a row lock in H2";
        }
        return "running a statement in H2";
    }

    /** The first Parley method on the stack that is not the database wrapper, as {@code Class.method}. */
    private static String firstParleyFrame(Thread t) {
        for (String f : t.frames()) {
            if (f.startsWith("io.parley.") && !f.startsWith("io.parley.it.") && !f.startsWith("io.parley.store.Database.")) {
                String method = f.substring(0, f.indexOf('('));
                String[] parts = method.split("\\.");
                String m = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : method;
                // A lambda's frame, e.g. lambda$advanceDelivered$5, is named after its method.
                return m.replaceAll("lambda\\$(\\w+)\\$\\d+", "$1");
            }
        }
        return null;
    }

    /** The {@code n} most frequent Parley methods with their average counts over {@code dumps} dumps. */
    private static String top(Map<String, Integer> counts, int n, double dumps) {
        List<String> out = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder()))).limit(n)
                .forEach(e -> out.add("`" + e.getKey() + "` " + number(e.getValue() / dumps)));
        return String.join(", ", out) + (counts.size() > n ? ", …" : "");
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.format("%.0f", d) : String.format("%.1f", d);
    }

    private static List<Thread> parse(String dump) {
        List<Thread> threads = new ArrayList<>();
        for (String block : dump.split("\n\n")) {
            String b = block.strip();
            if (!b.startsWith("\"")) {
                continue;
            }
            String[] lines = b.split("\n");
            String name = lines[0].substring(1, lines[0].indexOf('"', 1));
            String state = "";
            List<String> frames = new ArrayList<>();
            for (String line : lines) {
                String l = line.strip();
                if (l.startsWith("java.lang.Thread.State: ")) {
                    state = l.substring("java.lang.Thread.State: ".length()).split(" ")[0];
                } else if (l.startsWith("at ")) {
                    frames.add(l.substring(3));
                }
            }
            threads.add(new Thread(name, state, frames));
        }
        return threads;
    }
}
