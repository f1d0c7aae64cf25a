package io.parley;

import io.parley.api.DomainExceptionMapper;
import io.parley.api.Json;
import io.parley.api.UnavailableMapper;
import io.parley.api.RequestBodyPolicy;
import io.parley.api.RouteAudit;
import io.parley.api.bootstrap.ChatAuthenticateResource;
import io.parley.api.bootstrap.ConsumerBootstrap;
import io.parley.api.bootstrap.EstablishSessionsResource;
import io.parley.api.bootstrap.JwksResource;
import io.parley.api.bootstrap.PublicDomain;
import io.parley.api.error.ApiExceptionMapper;
import io.parley.api.error.InternalErrorMapper;
import io.parley.api.error.JsonExceptionMapper;
import io.parley.api.error.WebApplicationExceptionMapper;
import io.parley.api.ui.UiAssets;
import io.parley.api.ui.UiResource;
import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import java.util.List;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;

/**
 * The Jersey application: every resource, mapper and filter registered explicitly as an
 * instance built by {@link Parley}. No classpath scanning, no auto-discovered providers.
 */
public final class ParleyApplication extends ResourceConfig {

    public ParleyApplication(@Context ServletContext context) {
        Parley parley = Parley.from(context);
        property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        // Jersey's own 404/405 answers go through the exception mappers, not the container's error page.
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        // A Location stays as the resource wrote it: resolved, it would name the host the request's Host header named.
        property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);

        register(new ContainerLifecycleListener() {
            @Override
            public void onStartup(Container container) {
                List<String> findings = RouteAudit.findings(container.getApplicationHandler().getInjectionManager()
                        .getInstance(ExtendedResourceContext.class).getResourceModel());
                if (!findings.isEmpty()) {
                    // A resource outside the AuthFilter's table must never be served: refuse to start.
                    throw new IllegalStateException("Resources the AuthFilter does not guard as they need:\n  "
                            + String.join("\n  ", findings));
                }
            }

            @Override
            public void onReload(Container container) {
            }

            @Override
            public void onShutdown(Container container) {
                parley.stopHolding();
            }
        });
        register(JacksonFeature.withoutExceptionMappers());
        register(new Json());
        register(new RequestBodyPolicy(parley.server().maxBodyBytes()));

        PublicDomain domains = PublicDomain.from(parley.server());
        ConsumerBootstrap bootstrap = new ConsumerBootstrap(parley.chatSessions(), parley.tokens(), parley.sites(),
                domains);
        register(new EstablishSessionsResource(bootstrap));
        register(new ChatAuthenticateResource(bootstrap));
        register(new ChatAuthenticateResource.Crm(bootstrap));
        register(new JwksResource(parley.signingKeys()));

        register(parley.consumerResource());
        register(parley.agentResource());
        register(parley.agentBootstrapResource(domains));
        register(parley.adminResource());
        register(parley.healthResource());
        register(new UiResource(UiAssets.load(ParleyApplication.class.getClassLoader())));

        register(new ApiExceptionMapper());
        register(new DomainExceptionMapper());
        register(new UnavailableMapper(parley.holds().retryAfter()));
        register(new JsonExceptionMapper());
        register(new WebApplicationExceptionMapper());
        register(new InternalErrorMapper());
    }
}
