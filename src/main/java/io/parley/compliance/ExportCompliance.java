package io.parley.compliance;

import io.parley.api.ApiPath;
import io.parley.store.Database;
import io.parley.store.Site;
import io.parley.store.SiteDirectory;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Export compliance as the {@link ExportComplianceFilter} applies it, built once at start: who the
 * client is (trusted proxies), which country it calls from (a trusted CDN header or the country
 * database), whether that country may call the site, whether an identity is a denied party, and
 * what the screening webhook says. The filter is plumbing around these decisions.
 */
public final class ExportCompliance implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExportCompliance.class.getName());

    /** The npm package of the free (CC0) country database, in the start,end,country layout. */
    private static final String FREE_DATABASE = "@ip-location-db/geo-whois-asn-country";
    /** Unpacks what {@code npm pack} fetched into {@code ./parley}'s country directory (and removes the archive). */
    private static final String FREE_DATABASE_UNPACK = "mkdir -p data/country && tar -xzmf ip-location-db-geo-whois-asn-country-*.tgz"
            + " -C data/country --strip-components=1 package/geo-whois-asn-country-ipv4.csv"
            + " package/geo-whois-asn-country-ipv6.csv && rm ip-location-db-geo-whois-asn-country-*.tgz";

    /** How long the denied-party list is kept before it is read again. */
    static final Duration DENIED_PARTY_REFRESH = Duration.ofSeconds(5);

    private final boolean enabled;
    private final ClientAddressResolver resolver;
    private final Optional<String> countryHeader;
    private final CountrySource countries;
    /** Looks at the country files for changes; null when there are none to watch. */
    private final ScheduledExecutorService countryChecks;
    private final CountryPolicy policy;
    private final SiteDirectory sites;
    private final DeniedPartyList deniedParties;
    private final Optional<ScreeningClient> screening;
    private final SessionIdentities sessionIdentities;
    private final int maxBodyBytes;
    private final Duration retryAfter;
    private final ComplianceAudit audit = new ComplianceAudit();

    ExportCompliance(ComplianceSettings settings, CountrySource countries, SiteDirectory sites,
                     DeniedPartyList deniedParties, SessionIdentities sessionIdentities, int maxBodyBytes,
                     Duration retryAfter) {
        this.retryAfter = retryAfter;
        this.enabled = settings.enabled();
        this.resolver = new ClientAddressResolver(settings.trustedProxies(), settings.forwardedHeader());
        this.countryHeader = settings.countryHeader();
        this.countries = countries;
        this.countryChecks = countries.watches() ? checkEvery(countries, settings.countryDatabaseCheck()) : null;
        this.policy = new CountryPolicy(settings.deniedCountries(), settings.unknownCountry());
        this.sites = sites;
        this.deniedParties = deniedParties;
        this.screening = settings.screeningUrl().map(url -> new ScreeningClient(url, settings.screeningTimeout()));
        this.sessionIdentities = sessionIdentities;
        this.maxBodyBytes = maxBodyBytes;
    }

    private static ScheduledExecutorService checkEvery(CountrySource countries, Duration every) {
        ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-country-database");
            t.setDaemon(true);
            return t;
        });
        checks.scheduleWithFixedDelay(countries::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return checks;
    }

    /**
     * Builds export compliance: imports the denied-parties file, loads the country database (and
     * looks at its files for changes every {@code compliance.countryDatabase.checkSeconds}).
     *
     * @param settings          the validated {@code compliance.*} settings
     * @param db                the database holding {@code denied_party}
     * @param sites             the sites, for their own denied-country lists and unknown-country policies
     * @param clock             the clock of the denied-party cache
     * @param maxBodyBytes      the request body limit; a bootstrap body is read for screening up to it
     * @param sessionIdentities the identity bound to a caller's session, for {@code requestEngagement}
     * @throws io.parley.config.ConfigException when a configured file is malformed
     */
    public static ExportCompliance start(ComplianceSettings settings, Database db, SiteDirectory sites, Clock clock,
                                         int maxBodyBytes, SessionIdentities sessionIdentities, Duration retryAfter) {
        settings.deniedPartiesFile().ifPresent(f -> DeniedPartyList.importFile(f, db, clock));
        CountrySource countries = settings.enabled() ? CountrySource.open(settings.countryDatabase())
                : CountrySource.fixed(CountryDatabase.empty());
        if (!settings.enabled()) {
            LOG.log(System.Logger.Level.WARNING, "Export compliance is disabled (compliance.enabled=false):"
                    + " no caller is screened; only client addresses are resolved");
        } else if (settings.countryDatabase().isEmpty() && settings.countryHeader().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Export compliance has no country source (compliance.countryDatabase,"
                    + " compliance.countryHeader): every caller''s country is unknown and the policy for unknown"
                    + " countries ({0}) decides. ./parley reads country files from data/country; to fetch a free"
                    + " database into it, run in Parley''s directory:  {1}  and then:  {2}  (README.md, Country"
                    + " database)", settings.unknownCountry(), "npm pack " + FREE_DATABASE, FREE_DATABASE_UNPACK);
        } else if (countries.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "The country database ({0}) holds no address yet: every caller''s"
                    + " country is unknown until country files appear there (looked for every {1} s)",
                    settings.countryDatabase(), settings.countryDatabaseCheck().toSeconds());
        }
        if (settings.countryHeader().isPresent() && settings.trustedProxies().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "compliance.countryHeader is set but compliance.trustedProxies is"
                    + " empty: the header is believed only from a trusted proxy, so it is never read");
        }
        LOG.log(System.Logger.Level.INFO, "Export compliance: denied countries {0}, unknown countries {1},"
                        + " {2} trusted proxy block(s), screening webhook {3}", new TreeSet<>(settings.deniedCountries()),
                settings.unknownCountry(), settings.trustedProxies().size(),
                settings.screeningUrl().map(Object::toString).orElse("none"));
        return new ExportCompliance(settings, countries, sites, new DeniedPartyList(db, clock, DENIED_PARTY_REFRESH),
                sessionIdentities, maxBodyBytes, retryAfter);
    }

    boolean enabled() {
        return enabled;
    }

    /** When a client should try again after the database was unreachable. */
    Duration retryAfter() {
        return retryAfter;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    ComplianceAudit audit() {
        return audit;
    }

    /** The client of a request; see {@link ClientAddressResolver}. */
    ClientAddress resolve(String peer, Function<String, List<String>> headers) {
        return resolver.resolve(peer, headers);
    }

    /** Every value of a request header, by name (an empty list when absent). */
    static Function<String, List<String>> headers(HttpServletRequest request) {
        return name -> {
            Enumeration<String> values = request.getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        };
    }

    /**
     * Whether the client reached Parley over TLS: as a trusted proxy reports it ({@code X-Forwarded-Proto},
     * or the {@code proto} of RFC 7239 {@code Forwarded}), else the connection's own. It is what the request
     * that the {@link ExportComplianceFilter} passes on answers to {@code isSecure()}, asked before that
     * filter runs (for {@code Strict-Transport-Security} on every answer).
     */
    public boolean overTls(HttpServletRequest request) {
        return new ForwardedRequest(request, resolve(request.getRemoteAddr(), headers(request)), null).isSecure();
    }

    /**
     * The caller's country: the CDN header when the connection comes from a trusted proxy and the
     * header holds a country code, else the country database.
     *
     * @return an upper-case ISO code, or null when unknown
     */
    String countryOf(ClientAddress client, Function<String, List<String>> headers) {
        if (client.viaTrustedPeer() && countryHeader.isPresent()) {
            List<String> values = headers.apply(countryHeader.get());
            if (!values.isEmpty()) {
                String code = values.get(0).trim().toUpperCase(Locale.ROOT);
                // XX is the CDNs' "no country"; the database may still know.
                if (ComplianceSettings.isCountryCode(code) && !code.equals("XX")) {
                    return code;
                }
            }
        }
        return countries.countryOf(client.ip());
    }

    /** The site a consumer or agent path names, if it exists. */
    Optional<Site> site(ApiPath path) {
        return path.site() == null ? Optional.empty() : sites.byName(path.site());
    }

    Optional<Denial> checkCountry(String country, Site site) {
        return policy.check(country, site);
    }

    Optional<Denial> checkParties(Identity identity, Long siteId) {
        return deniedParties.match(identity, siteId);
    }

    Optional<Identity> sessionIdentity(HttpServletRequest request) {
        return sessionIdentities.forRequest(request);
    }

    boolean screens() {
        return screening.isPresent();
    }

    /** The denied-party list changed: this node reads it again at once (other nodes within their refresh). */
    public void deniedPartiesChanged() {
        deniedParties.invalidate();
    }

    /** Stops the threads of the screening webhook's client and the country files' checks; closes the country files. */
    @Override
    public void close() {
        screening.ifPresent(ScreeningClient::close);
        if (countryChecks != null) {
            countryChecks.shutdownNow();
            try {
                // A check that is reading files finishes before the database it may swap in is closed.
                countryChecks.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        countries.close();
    }

    /** Asks the webhook; true when there is none. */
    boolean screeningAllows(ScreeningClient.Question question) throws ScreeningUnavailableException {
        return screening.isEmpty() || screening.get().allows(question);
    }
}
