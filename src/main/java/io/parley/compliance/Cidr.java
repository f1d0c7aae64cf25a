package io.parley.compliance;

import java.util.Optional;

/**
 * A block of addresses written in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or as
 * a single address. Host bits set below the prefix are ignored: {@code 10.1.2.3/8} is {@code 10.0.0.0/8}.
 *
 * @param first the lowest address of the block
 * @param last  the highest address of the block
 */
public record Cidr(IpAddress first, IpAddress last) {

    /**
     * Parses a block.
     *
     * @return the block, or empty when {@code text} is not an address or CIDR block
     */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        Optional<IpAddress> address = IpAddress.parse(slash < 0 ? s : s.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        IpAddress a = address.get();
        int max = a.isIpv4() ? 32 : 128;
        int bits = max;
        if (slash >= 0) {
            String len = s.substring(slash + 1);
            if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            bits = Integer.parseInt(len);
            if (bits > max) {
                return Optional.empty();
            }
        }
        int prefix = a.isIpv4() ? bits + 96 : bits;
        long maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long maskLow = prefix <= 64 ? 0 : -1L << (128 - prefix);
        return Optional.of(new Cidr(new IpAddress(a.high() & maskHigh, a.low() & maskLow),
                new IpAddress(a.high() | ~maskHigh, a.low() | ~maskLow)));
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(IpAddress address) {
        return first.compareTo(address) <= 0 && address.compareTo(last) <= 0;
    }
}
