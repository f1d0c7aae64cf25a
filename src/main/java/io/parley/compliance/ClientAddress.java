package io.parley.compliance;

/**
 * Who is calling, as far as the connection and the trusted proxies tell.
 *
 * @param address        the client address as the resolution found it: normally an IP literal;
 *                       a forwarded token that is not one ({@code unknown}, an obfuscated RFC 7239 name) as it was sent
 * @param ip             the parsed address, or null when {@code address} is not an IP literal (its country is unknown)
 * @param viaTrustedPeer whether the connection came from a trusted proxy, whose headers were believed
 * @param scheme         the scheme the client used, as a trusted proxy reported it ({@code http}/{@code https}), or null
 * @param port           the port the client used, as a trusted proxy reported it, or -1
 */
record ClientAddress(String address, IpAddress ip, boolean viaTrustedPeer, String scheme, int port) {

    /** A caller connected directly (or through a proxy that is not trusted). */
    static ClientAddress direct(String peer) {
        return new ClientAddress(peer, IpAddress.parse(peer).orElse(null), false, null, -1);
    }
}
