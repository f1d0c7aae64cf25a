package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A part of {@code results.md} that one benchmark phase writes, and prints as it writes it. */
final class Section {

    private final StringBuilder text = new StringBuilder();

    Section line(String format, Object... args) {
        text.append(args.length == 0 ? format : String.format(format, args)).append('\n');
        return this;
    }

    Section blank() {
        text.append('\n');
        return this;
    }

    Section table(MarkdownTable table) {
        text.append(table);
        return this;
    }

    void writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        System.out.println();
        System.out.print(text);
    }
}
