package io.parley;

import io.parley.config.Settings;
import io.parley.config.SettingsLoader;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.io.IOException;
import java.io.InputStream;

/**
 * Starts Parley when the container deploys the WAR and stops it on undeploy. A bad setting
 * throws here, which makes the container fail the deployment: Parley never serves requests
 * with a configuration it could not validate.
 */
public final class ParleyContextListener implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(ParleyContextListener.class.getName());

    private Parley parley;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try (InputStream packaged = context.getResourceAsStream("/WEB-INF/parley.properties")) {
            Settings settings = SettingsLoader.load(packaged, context::getInitParameter);
            LOG.log(System.Logger.Level.INFO, "Starting Parley with settings from {0}", settings.origin());
            parley = Parley.start(settings);
            parley.publish(context);
            LOG.log(System.Logger.Level.INFO, "Parley started{0}", parley.server().demo() ? " in demo mode" : "");
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read WEB-INF/parley.properties", e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Parley failed to start: " + e.getMessage(), e);
            throw e;
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (parley != null) {
            parley.close();
        }
    }
}
