package io.parley.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TranscriptCsvTest {

    @Test
    void cellsASpreadsheetWouldEvaluateAreShownAsText() {
        assertEquals("'=1+2", TranscriptCsv.cell("=1+2"));
        assertEquals("'+SUM(A1)", TranscriptCsv.cell("+SUM(A1)"));
        assertEquals("'-2+3", TranscriptCsv.cell("-2+3"));
        assertEquals("'@cmd", TranscriptCsv.cell("@cmd"));
        assertEquals("'\tx", TranscriptCsv.cell("\tx"));
        assertEquals("\"'\rx\"", TranscriptCsv.cell("\rx"));
        assertEquals("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", TranscriptCsv.cell("=HYPERLINK(\"http://x\",\"y\")"));
    }

    @Test
    void ordinaryCellsAreQuotedOnlyWhenTheyMustBe() {
        assertEquals("hello", TranscriptCsv.cell("hello"));
        assertEquals("a = b", TranscriptCsv.cell("a = b"));
        assertEquals("\"a, b\"", TranscriptCsv.cell("a, b"));
        assertEquals("\"say \"\"hi\"\"\"", TranscriptCsv.cell("say \"hi\""));
        assertEquals("\"two\nlines\"", TranscriptCsv.cell("two\nlines"));
        assertEquals("", TranscriptCsv.cell(null));
    }
}
