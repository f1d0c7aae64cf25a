package io.parley.engagement;

import java.security.SecureRandom;

/** Unguessable identifiers: session ids and token ids carry 130 random bits. */
public final class SecureIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    // 26 characters, each drawn from 32 of them: 130 random bits.
    private static final int LENGTH = 26;

    private SecureIds() {
    }

    /** A fresh id such as {@code 192hyto5qomm8r8rpzzmuzsa6x}: lower-case letters and digits. */
    public static String next() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(32)];
        }
        return new String(out);
    }
}
