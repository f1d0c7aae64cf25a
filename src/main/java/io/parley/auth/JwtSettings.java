package io.parley.auth;

import io.parley.config.ConfigException;
import io.parley.config.Settings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How Parley issues and verifies the JWTs of its bootstrap calls.
 *
 * <p>Only asymmetric signature algorithms are accepted: with {@code none} or an HMAC algorithm
 * anyone who knows (or guesses) the verification key could mint tokens, so such a setting stops
 * the deployment.
 *
 * @param issuer        the {@code iss} of every token, and the only one accepted ({@code jwt.issuer})
 * @param algorithms    the accepted signature algorithms; the first signs new tokens ({@code jwt.algorithms})
 * @param tokenTtl      how long an issued token is valid ({@code jwt.tokenTtl}, seconds)
 * @param clockSkew     the tolerance for {@code exp} and {@code nbf} between nodes ({@code jwt.clockSkew}, seconds, at most 30)
 * @param maxTokenBytes the longest token looked at; longer ones are refused before parsing ({@code jwt.maxTokenBytes})
 */
public record JwtSettings(String issuer, List<String> algorithms, Duration tokenTtl, Duration clockSkew,
                          int maxTokenBytes) {

    /** The signature algorithms Parley can sign and verify with. */
    public static final Set<String> SUPPORTED = Set.of("RS256", "RS384", "RS512", "PS256", "ES256");

    public JwtSettings {
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("At least one algorithm is needed");
        }
    }

    /** Reads the {@code jwt.*} settings; an unsafe or unknown value is a {@link ConfigException}. */
    public static JwtSettings from(Settings s) {
        String issuer = s.string("jwt.issuer", "parley");
        Set<String> algorithms = new LinkedHashSet<>();
        for (String raw : s.list("jwt.algorithms", "RS256")) {
            String alg = raw.toUpperCase(Locale.ROOT);
            if (alg.equals("NONE") || alg.startsWith("HS")) {
                throw new ConfigException("jwt.algorithms", "must not contain '" + raw
                        + "': unsigned and HMAC tokens can be forged; use " + String.join(", ", sorted()));
            }
            if (!SUPPORTED.contains(alg)) {
                throw new ConfigException("jwt.algorithms", "contains '" + raw + "', which is not one of "
                        + String.join(", ", sorted()));
            }
            algorithms.add(alg);
        }
        if (algorithms.isEmpty()) {
            throw new ConfigException("jwt.algorithms", "names no algorithm");
        }
        return new JwtSettings(issuer, List.copyOf(algorithms),
                s.seconds("jwt.tokenTtl", 1800, 60, 86_400),
                s.seconds("jwt.clockSkew", 30, 0, 30),
                s.integer("jwt.maxTokenBytes", 4096, 1024, 65_536));
    }

    /** The algorithm new tokens are signed with: the first accepted one. */
    public String signingAlgorithm() {
        return algorithms.get(0);
    }

    private static List<String> sorted() {
        return SUPPORTED.stream().sorted().toList();
    }
}
