package io.parley.compliance;

import java.util.ArrayList;
import java.util.List;

/** The fields of one CSV line (RFC 4180 quoting: {@code "Korea, Republic of"}, {@code ""} for a quote). */
final class Csv {

    private Csv() {
    }

    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString().trim());
        return out;
    }

    /** Whether a line carries no data: blank, or a {@code #} comment. */
    static boolean isSkippable(String line) {
        String t = line.trim();
        return t.isEmpty() || t.startsWith("#");
    }

    /** The line without a leading byte-order mark. */
    static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
