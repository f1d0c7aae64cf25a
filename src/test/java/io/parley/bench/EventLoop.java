package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread that runs every socket of the load client, so that ten thousand open
 * connections need no more than this one thread. All connection state is touched only here;
 * other threads hand work in through {@link #execute} or {@link #call}.
 */
final class EventLoop implements AutoCloseable {

    private record Timer(long atNanos, long order, Runnable task) {
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
            ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private long timerOrder;
    private volatile boolean running = true;

    EventLoop(String name) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Selector selector() {
        return selector;
    }

    /** Runs {@code task} on the loop thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Runs {@code task} on the loop thread and waits for its result. */
    <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The event loop did not answer", e);
        }
    }

    /** Runs {@code task} on the loop thread at {@code atNanos} ({@link System#nanoTime()}); loop thread only. */
    void schedule(long atNanos, Runnable task) {
        timers.add(new Timer(atNanos, timerOrder++, task));
    }

    private void run() {
        while (running) {
            try {
                selectOnce();
                runTasks();
                runDueTimers();
            } catch (IOException e) {
                throw new UncheckedIOException("The selector failed", e);
            }
        }
        closeAll();
    }

    private void selectOnce() throws IOException {
        Timer next = timers.peek();
        if (!tasks.isEmpty()) {
            selector.selectNow();
        } else if (next == null) {
            selector.select();
        } else {
            long waitMillis = TimeUnit.NANOSECONDS.toMillis(next.atNanos - System.nanoTime());
            if (waitMillis <= 0) {
                selector.selectNow();
            } else {
                selector.select(waitMillis);
            }
        }
        for (SelectionKey key : selector.selectedKeys()) {
            if (key.isValid() && key.attachment() instanceof HttpConnection c) {
                c.handle(key);
            }
        }
        selector.selectedKeys().clear();
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void runDueTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().atNanos - now <= 0) {
            timers.poll().task.run();
        }
    }

    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof HttpConnection c) {
                c.close();
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Closing at exit: nothing left to release.
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
