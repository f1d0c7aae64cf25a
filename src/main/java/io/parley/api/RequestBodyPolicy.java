package io.parley.api;

import io.parley.api.error.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * How Parley reads request bodies.
 *
 * <p>Every body is JSON, whatever the client labelled it: chat clients and {@code curl -d}
 * often send {@code text/plain} or a form type, and every API answer is JSON whatever they accept.
 * A body over the size limit is a 400 before any parsing; then {@link JsonInput} holds it to the
 * rules every operation shares (one JSON object, strict UTF-8, no key twice); an empty body reads
 * as {@code {}}, which every operation accepts.
 */
@PreMatching
public final class RequestBodyPolicy implements ContainerRequestFilter, ReaderInterceptor {

    private final int maxBodyBytes;

    public RequestBodyPolicy(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        // JSON whatever the client accepts; only the few non-JSON answers (metrics, CSV exports) are other types.
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON + ", */*;q=0.1");
        int declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        byte[] body = readAtMost(context.getInputStream(), maxBodyBytes);
        context.setInputStream(new ByteArrayInputStream(JsonInput.check(body, "the request body")));
        return context.proceed();
    }

    private byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > limit) {
                throw tooLarge();
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private ApiException tooLarge() {
        return ApiException.badRequest("BODY_TOO_LARGE", "The request body is larger than " + maxBodyBytes + " bytes.");
    }
}
