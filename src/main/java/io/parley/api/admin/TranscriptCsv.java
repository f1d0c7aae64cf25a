package io.parley.api.admin;

import io.parley.admin.AdminReports;
import java.util.List;

/**
 * A transcript as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they must be).
 * A chat message is text a customer typed, so every cell is made safe to open in a spreadsheet, as
 * OWASP's CSV-injection guidance says: one that a spreadsheet would read as a formula is prefixed
 * with an apostrophe, which shows it as text (see {@link #cell}).
 */
final class TranscriptCsv {

    static final List<String> HEADER = List.of("engagementId", "sequenceNumber", "time", "type", "participant", "role",
            "visibility", "text");

    /** What a formula starts with: {@code = + - @} and their fullwidth forms (U+FF1D, U+FF0B, U+FF0D, U+FF20). */
    private static final String FORMULA_STARTS = "=+-@\uFF1D\uFF0B\uFF0D\uFF20";

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

    /**
     * One cell: defused if a spreadsheet would evaluate it, then quoted if it holds a comma, quote or
     * line break. Spreadsheets skip leading blanks and read the fullwidth {@code ＝ ＋ － ＠} as their
     * ASCII twins, so a cell is defused when it starts with a tab or carriage return, or when its
     * first character after any whitespace (Unicode spaces and invisible ones included) is one of
     * {@code = + - @} or a fullwidth twin.
     */
    static String cell(String value) {
        String v = value == null ? "" : value;
        if (isFormula(v)) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            v = '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static boolean isFormula(String v) {
        if (v.isEmpty()) {
            return false;
        }
        if (v.charAt(0) == '\t' || v.charAt(0) == '\r') {
            return true;
        }
        int i = 0;
        while (i < v.length() && isBlank(v.charAt(i))) {
            i++;
        }
        return i < v.length() && FORMULA_STARTS.indexOf(v.charAt(i)) >= 0;
    }

    /** Whitespace and spaces of every kind (NBSP, thin, ideographic), and the zero-width ones a spreadsheet ignores too. */
    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c)
                || c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF';
    }
}
