package io.parley.api.admin;

import io.parley.admin.AdminReports;
import java.util.List;

/**
 * A transcript as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they must be).
 * A chat message is text a customer typed, so every cell is made safe to open in a spreadsheet:
 * one that a spreadsheet would read as a formula (it starts with {@code = + - @}, a tab or a
 * carriage return) is prefixed with an apostrophe, which shows it as text.
 */
final class TranscriptCsv {

    static final List<String> HEADER = List.of("engagementId", "sequenceNumber", "time", "type", "participant", "role",
            "visibility", "text");

    private TranscriptCsv() {
    }

    static String write(AdminReports.Transcript t) {
        StringBuilder out = new StringBuilder();
        row(out, HEADER);
        String id = Long.toString(t.engagement().id());
        for (AdminReports.TranscriptLine l : t.lines()) {
            row(out, List.of(id, Long.toString(l.seq()), l.at().toString(), l.type(), l.participant(), l.role(),
                    l.visibility(), l.text()));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    /** One cell: defused if a spreadsheet would evaluate it, then quoted if it holds a comma, quote or line break. */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
