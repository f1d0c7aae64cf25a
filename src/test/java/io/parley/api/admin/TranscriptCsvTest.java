package io.parley.api.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TranscriptCsvTest {

    static Stream<Arguments> formulas() {
        return Stream.of(
                Arguments.of("=1+2", "'=1+2"),
                Arguments.of("+SUM(A1)", "'+SUM(A1)"),
                Arguments.of("-2+3", "'-2+3"),
                Arguments.of("@cmd", "'@cmd"),
                Arguments.of("\tx", "'\tx"),
                Arguments.of("\rx", "\"'\rx\""),
                Arguments.of("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
                // Leading whitespace that a spreadsheet skips before it reads a formula.
                Arguments.of(" =1+1", "' =1+1"),
                Arguments.of("   +1", "'   +1"),
                Arguments.of("\n=1+1", "\"'\n=1+1\""),
                Arguments.of("\r\n@x", "\"'\r\n@x\""),
                Arguments.of("\u00A0=1+1", "'\u00A0=1+1"),
                Arguments.of("\u2003-1", "'\u2003-1"),
                Arguments.of("\u3000=1", "'\u3000=1"),
                Arguments.of("\u200B=1", "'\u200B=1"),
                Arguments.of("\uFEFF@x", "'\uFEFF@x"),
                Arguments.of(" \t =1", "' \t =1"),
                // The fullwidth forms, alone and after whitespace.
                Arguments.of("\uFF1D1+1", "'\uFF1D1+1"),
                Arguments.of("\uFF0B1", "'\uFF0B1"),
                Arguments.of("\uFF0D1", "'\uFF0D1"),
                Arguments.of("\uFF20cmd", "'\uFF20cmd"),
                Arguments.of(" \uFF1D1+1", "' \uFF1D1+1"));
    }

    @ParameterizedTest
    @MethodSource("formulas")
    void cellsASpreadsheetWouldEvaluateAreShownAsText(String cell, String written) {
        assertEquals(written, TranscriptCsv.cell(cell));
    }

    static Stream<Arguments> ordinary() {
        return Stream.of(
                Arguments.of("hello", "hello"),
                Arguments.of("a = b", "a = b"),
                Arguments.of(" hello", " hello"),
                Arguments.of("   ", "   "),
                Arguments.of("\u00A0x", "\u00A0x"),
                Arguments.of("x\uFF1D1", "x\uFF1D1"),
                Arguments.of("'=already", "'=already"),
                Arguments.of("a, b", "\"a, b\""),
                Arguments.of("say \"hi\"", "\"say \"\"hi\"\"\""),
                Arguments.of("two\nlines", "\"two\nlines\""),
                Arguments.of("", ""));
    }

    @ParameterizedTest
    @MethodSource("ordinary")
    void ordinaryCellsAreQuotedOnlyWhenTheyMustBe(String cell, String written) {
        assertEquals(written, TranscriptCsv.cell(cell));
    }

    @Test
    void aMissingCellIsEmpty() {
        assertEquals("", TranscriptCsv.cell(null));
    }
}
