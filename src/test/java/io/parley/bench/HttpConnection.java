package io.parley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One non-blocking HTTP/1.1 client connection on the {@link EventLoop}: one request at a time,
 * keep-alive, no pipelining. Lives entirely on the loop thread.
 */
final class HttpConnection {

    /** What the owner of a connection hears; called on the loop thread. */
    interface Listener {
        void onConnected(HttpConnection c);

        void onResponse(HttpConnection c, RawResponse response);

        /**
         * The connection is gone: the server closed it, or {@code cause} broke it.
         *
         * @param requestLost whether a request was in flight and will never be answered
         */
        void onClosed(HttpConnection c, IOException cause, boolean requestLost);
    }

    /** Read buffer shared by every connection: the loop reads one socket at a time. */
    private static final ByteBuffer READ = ByteBuffer.allocateDirect(64 * 1024);

    private final SocketChannel channel;
    private final Listener listener;
    private final ResponseParser parser = new ResponseParser();
    private SelectionKey key;
    private ByteBuffer pending;
    private boolean connected;
    private boolean inFlight;
    private boolean closed;

    private HttpConnection(SocketChannel channel, Listener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    /** Starts connecting; the listener hears {@code onConnected} or {@code onClosed}. Loop thread only. */
    static HttpConnection open(EventLoop loop, InetSocketAddress server, Listener listener) {
        HttpConnection c;
        try {
            SocketChannel ch = SocketChannel.open();
            c = new HttpConnection(ch, listener);
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.key = ch.register(loop.selector(), SelectionKey.OP_CONNECT, c);
            if (ch.connect(server)) {
                c.finishConnect();
            }
        } catch (IOException e) {
            HttpConnection failed = new HttpConnection(null, listener);
            failed.closed = true;
            listener.onClosed(failed, e, false);
            return failed;
        }
        return c;
    }

    boolean isIdle() {
        return connected && !inFlight && !closed;
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether the connection was ever established (false for a connect that failed). */
    boolean hasConnected() {
        return connected;
    }

    /** Writes a request; the connection must be idle. */
    void send(byte[] request) {
        if (!isIdle()) {
            throw new IllegalStateException("The connection is not idle");
        }
        inFlight = true;
        pending = ByteBuffer.wrap(request);
        write();
    }

    void handle(SelectionKey k) {
        try {
            if (k.isConnectable()) {
                finishConnectIfReady();
            }
            if (!closed && k.isValid() && k.isWritable()) {
                write();
            }
            if (!closed && k.isValid() && k.isReadable()) {
                read();
            }
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException("Unreadable response: " + e.getMessage(), e));
        }
    }

    private void finishConnectIfReady() throws IOException {
        if (channel.finishConnect()) {
            finishConnect();
        }
    }

    private void finishConnect() {
        connected = true;
        key.interestOps(SelectionKey.OP_READ);
        listener.onConnected(this);
    }

    private void write() {
        try {
            channel.write(pending);
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (pending.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else {
            pending = null;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read() throws IOException {
        while (true) {
            READ.clear();
            int n = channel.read(READ);
            if (n < 0) {
                closeAndNotify(null);
                return;
            }
            if (n == 0) {
                return;
            }
            READ.flip();
            RawResponse r = parser.feed(READ, System.nanoTime());
            if (r != null) {
                inFlight = false;
                boolean closing = r.closesConnection();
                if (closing) {
                    close();
                }
                listener.onResponse(this, r);
                if (closing) {
                    listener.onClosed(this, null, false);
                }
                return;
            }
        }
    }

    private void fail(IOException cause) {
        closeAndNotify(cause);
    }

    private void closeAndNotify(IOException cause) {
        if (closed) {
            return;
        }
        boolean lost = inFlight;
        close();
        listener.onClosed(this, cause, lost);
    }

    /** Closes the socket without telling the listener. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        inFlight = false;
        parser.reset();
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // Already broken: nothing more to release.
        }
    }
}
