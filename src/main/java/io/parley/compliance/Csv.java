package io.parley.compliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CSV files as Parley's compliance lists use them (RFC 4180 quoting: {@code "Korea, Republic of"}, {@code ""} for a quote). */
final class Csv {

    private Csv() {
    }

    /** Receives one record of a file. */
    @FunctionalInterface
    interface Record {
        void accept(int lineNo, List<String> fields);
    }

    /**
     * Reads a UTF-8 file record by record (a leading byte-order mark dropped; blank lines and
     * {@code #} comments skipped), without holding the whole file in memory.
     */
    static void forEach(Path file, Record record) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                    line = line.substring(1);
                }
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    record.accept(lineNo, fields(line));
                }
            }
        }
    }

    /** The fields of one line. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        if (line.indexOf('"') < 0) {
            // Most lines quote nothing (country files have hundreds of thousands of them): split at once.
            int start = 0;
            for (int comma = line.indexOf(','); comma >= 0; comma = line.indexOf(',', start)) {
                out.add(line.substring(start, comma).trim());
                start = comma + 1;
            }
            out.add(line.substring(start).trim());
            return out;
        }
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
}
