package io.parley.compliance;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Just enough of a servlet request and response to drive a filter without a container (any package's filter tests). */
public final class ServletFakes {

    private ServletFakes() {
    }

    /** A request: method, path below the context, the connection's address, headers and body. */
    public static final class Request {
        final String method;
        final String path;
        final String remoteAddr;
        final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Map<String, Object> attributes = new HashMap<>();
        byte[] body = new byte[0];
        boolean chunked;

        public Request(String method, String path, String remoteAddr) {
            this.method = method;
            this.path = path;
            this.remoteAddr = remoteAddr;
        }

        public Request header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        public Request body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Sent without a Content-Length. */
        public Request chunked() {
            chunked = true;
            return this;
        }

        public HttpServletRequest proxy() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> {
                        switch (m.getName()) {
                            case "getMethod":
                                return method;
                            case "getRequestURI":
                            case "getServletPath":
                                return path;
                            case "getPathInfo":
                            case "getCharacterEncoding":
                                return null;
                            case "getRemoteAddr":
                            case "getRemoteHost":
                                return remoteAddr;
                            case "getScheme":
                                return "http";
                            case "isSecure":
                                return false;
                            case "getServerName":
                                return "chat.example";
                            case "getServerPort":
                                return 8080;
                            case "getRequestURL":
                                return new StringBuffer("http://chat.example:8080" + path);
                            case "getHeaders":
                                return Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
                            case "getHeader":
                                List<String> v = headers.get((String) args[0]);
                                return v == null ? null : v.get(0);
                            case "getContentLengthLong":
                                return chunked ? -1L : (long) body.length;
                            case "getInputStream":
                                return input(body);
                            case "getAttribute":
                                return attributes.get((String) args[0]);
                            case "setAttribute":
                                attributes.put((String) args[0], args[1]);
                                return null;
                            case "toString":
                                return method + " " + path;
                            default:
                                throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }
    }

    /** A response that records what a filter wrote. */
    public static final class Response {
        public int status = 200;
        public final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        public String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        public HttpServletResponse proxy() {
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
                        switch (m.getName()) {
                            case "isCommitted":
                                return false;
                            case "setStatus":
                                status = (Integer) args[0];
                                return null;
                            case "setHeader":
                                headers.put((String) args[0], (String) args[1]);
                                return null;
                            case "setContentType":
                                headers.put("Content-Type", (String) args[0]);
                                return null;
                            case "resetBuffer":
                            case "setContentLength":
                            case "flushBuffer":
                                return null;
                            case "getOutputStream":
                                return output(body);
                            default:
                                throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }
    }

    private static ServletInputStream input(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
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
                throw new UnsupportedOperationException();
            }
        };
    }

    private static ServletOutputStream output(ByteArrayOutputStream out) {
        return new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
