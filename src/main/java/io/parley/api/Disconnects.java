package io.parley.api;

import io.parley.continuation.LongPolls;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicReference;

/** What happens to a held poll whose client goes away. */
public final class Disconnects {

    private Disconnects() {
    }

    /**
     * Where the container notices that the client went away (some do, for a held request with no
     * I/O pending), the poll's slot is freed at once; elsewhere the hold or the client's next poll frees it.
     */
    public static void cancelOnDisconnect(HttpServletRequest request, AtomicReference<LongPolls.Handle> handle) {
        if (!request.isAsyncStarted()) {
            return;
        }
        request.getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onError(AsyncEvent event) {
                LongPolls.Handle h = handle.get();
                if (h != null) {
                    h.cancel();
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onTimeout(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
    }
}
