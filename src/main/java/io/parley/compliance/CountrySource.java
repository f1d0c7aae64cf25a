package io.parley.compliance;

import io.parley.config.ConfigException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The country database that {@code compliance.countryDatabase} names (files, and directories of
 * {@code *.csv} and {@code *.mmdb} files), kept current: {@link #check()} notices when the files
 * change on disk and reads them again into a new database, which replaces the old one in a single
 * step. A change is read once it has held still for one check, so that a file still being written
 * is not read half-way; a file that cannot be read leaves the previous database in place.
 *
 * <p>{@link #check()} is called from one thread at a time; {@link #countryOf} from any.
 */
final class CountrySource implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CountrySource.class.getName());

    private final List<Path> configured;
    private volatile CountryDatabase current;
    /** The database replaced by the last swap; closed one check later, when no lookup can still be in it. */
    private CountryDatabase retired;
    private Snapshot loaded;
    private Snapshot seen;
    private Snapshot failed;

    private CountrySource(List<Path> configured, CountryDatabase initial, Snapshot loaded) {
        this.configured = List.copyOf(configured);
        this.current = initial;
        this.loaded = loaded;
        this.seen = loaded;
    }

    /**
     * Reads the configured files and directories.
     *
     * @throws ConfigException when a file cannot be read or is malformed
     */
    static CountrySource open(List<Path> configured) {
        Snapshot snapshot = Snapshot.of(configured);
        return new CountrySource(configured, CountryDatabase.load(snapshot.files()), snapshot);
    }

    /** A source that is {@code db} for good: nothing on disk to watch. */
    static CountrySource fixed(CountryDatabase db) {
        return new CountrySource(List.of(), db, Snapshot.of(List.of()));
    }

    /** Whether there are files to watch. */
    boolean watches() {
        return !configured.isEmpty();
    }

    /** Whether the database in use knows no address at all. */
    boolean isEmpty() {
        return current.isEmpty();
    }

    /** See {@link CountryDatabase#countryOf}. */
    String countryOf(IpAddress ip) {
        return current.countryOf(ip);
    }

    /**
     * Looks at the files once: when they have changed and then held still since the last check,
     * reads them and swaps the new database in. Never throws, so a scheduled check keeps running.
     */
    void check() {
        try {
            if (retired != null) {
                retired.close();
                retired = null;
            }
            Snapshot now = Snapshot.of(configured);
            if (now.equals(loaded)) {
                seen = now;
                return;
            }
            if (!now.equals(seen)) {
                seen = now;
                LOG.log(System.Logger.Level.DEBUG, "Country files changed; they are read once they hold still: {0}",
                        configured);
                return;
            }
            if (now.equals(failed)) {
                return;
            }
            CountryDatabase next;
            try {
                next = CountryDatabase.load(now.files());
            } catch (ConfigException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // stopped while reading: Parley is shutting down
                }
                failed = now;
                LOG.log(System.Logger.Level.WARNING, "Country files changed but cannot be read; the previous country"
                        + " database stays in use until they change again. {0}", e.getMessage());
                return;
            }
            retired = current;
            current = next;
            loaded = now;
            LOG.log(System.Logger.Level.INFO, "Country database: read again after a change in {0}{1}", configured,
                    next.isEmpty() ? "; it holds no address now, so every caller's country is unknown" : "");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Country files could not be checked for changes: {0}", e.toString());
        }
    }

    /** Closes the MaxMind DB files of the database in use and of the one it replaced. */
    @Override
    public void close() {
        if (retired != null) {
            retired.close();
        }
        current.close();
    }

    /**
     * What the configured paths hold at one moment: the files to read, and the size and times of
     * every file that can matter (a missing one too), to tell a change.
     */
    record Snapshot(List<Path> files, List<FileState> states) {

        static Snapshot of(List<Path> configured) {
            List<Path> files = new ArrayList<>();
            List<FileState> states = new ArrayList<>();
            try {
                for (Path p : configured) {
                    if (Files.isDirectory(p)) {
                        List<Path> candidates = candidates(p);
                        files.addAll(countryFiles(candidates));
                        for (Path c : candidates) {
                            states.add(FileState.of(c));
                        }
                    } else {
                        files.add(p);
                        states.add(FileState.of(p));
                    }
                }
            } catch (IOException e) {
                throw new ConfigException("Setting 'compliance.countryDatabase': cannot read " + configured
                        + ": " + e, e);
            }
            return new Snapshot(List.copyOf(files), List.copyOf(states));
        }

        /** The {@code *.csv} and {@code *.mmdb} files of a directory, hidden ones left out, by name. */
        private static List<Path> candidates(Path dir) throws IOException {
            List<Path> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (!name.startsWith(".") && (lower.endsWith(".csv") || lower.endsWith(".mmdb"))
                            && Files.isRegularFile(p)) {
                        out.add(p);
                    }
                }
            }
            out.sort(null);
            return out;
        }

        /**
         * The files of a directory to read: not GeoLite2 Locations files (read through their Blocks
         * files), and not a {@code -num.csv} file whose twin with addresses lies beside it.
         */
        private static List<Path> countryFiles(List<Path> candidates) {
            Set<String> names = new TreeSet<>();
            candidates.forEach(p -> names.add(p.getFileName().toString()));
            List<Path> out = new ArrayList<>();
            for (Path p : candidates) {
                String name = p.getFileName().toString();
                boolean locations = name.contains("-Locations-");
                boolean twin = name.endsWith("-num.csv") && names.contains(name.replaceFirst("-num\\.csv$", ".csv"));
                if (!locations && !twin) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    /**
     * A file's size and times; {@code size} -1 when it is missing. The change time (where the
     * platform has one) catches a file replaced by one of the same size and modification time, as
     * {@code tar} leaves it when it restores the archive's times.
     */
    record FileState(Path path, long size, FileTime modified, Object changed) {

        static FileState of(Path p) throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new FileState(p, a.size(), a.lastModifiedTime(), changeTime(p));
            } catch (NoSuchFileException e) {
                return new FileState(p, -1, null, null);
            }
        }

        private static Object changeTime(Path p) throws IOException {
            try {
                return Files.getAttribute(p, "unix:ctime");
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                return null;
            }
        }
    }
}
