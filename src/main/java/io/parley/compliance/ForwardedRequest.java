package io.parley.compliance;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The request as the filters and resources after export compliance see it: the client address
 * (and, from a trusted proxy, the scheme and port the client used) in place of the connection's,
 * and a body the filter has already read, ready to be read again.
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

    private final ClientAddress client;
    private final byte[] body;

    /**
     * @param body the body as read by the filter, or null when the filter did not read it
     */
    ForwardedRequest(HttpServletRequest request, ClientAddress client, byte[] body) {
        super(request);
        this.client = client;
        this.body = body;
    }

    @Override
    public String getRemoteAddr() {
        return client.address();
    }

    @Override
    public String getRemoteHost() {
        return client.address();
    }

    @Override
    public String getScheme() {
        return client.scheme() != null ? client.scheme() : super.getScheme();
    }

    @Override
    public boolean isSecure() {
        return client.scheme() != null ? client.scheme().equals("https") : super.isSecure();
    }

    @Override
    public int getServerPort() {
        if (client.port() > 0) {
            return client.port();
        }
        if (client.scheme() != null) {
            return client.scheme().equals("https") ? 443 : 80;
        }
        return super.getServerPort();
    }

    @Override
    public StringBuffer getRequestURL() {
        if (client.scheme() == null) {
            return super.getRequestURL();
        }
        String scheme = getScheme();
        int port = getServerPort();
        boolean defaultPort = (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        StringBuffer url = new StringBuffer(scheme).append("://").append(getServerName());
        if (!defaultPort) {
            url.append(':').append(port);
        }
        return url.append(getRequestURI());
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        return body == null ? super.getInputStream() : new ReplayStream(body);
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (body == null) {
            return super.getReader();
        }
        Charset charset = StandardCharsets.UTF_8;
        String encoding = getCharacterEncoding();
        if (encoding != null) {
            try {
                charset = Charset.forName(encoding);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedEncodingException(encoding);
            }
        }
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
    }

    /** The buffered body as a servlet stream; all of it is available at once. */
    private static final class ReplayStream extends ServletInputStream {

        private final ByteArrayInputStream in;

        ReplayStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
