package io.parley.throttle;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** Where the throttle's token buckets live: this node's memory, or PostgreSQL for the whole cluster. */
public final class Buckets {

    /** Buckets that have been full again this long are forgotten: a missing bucket is a full one. */
    private static final ExpirationAfterWriteStrategy FORGET_WHEN_FULL =
            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));

    private static final int MAX_IN_MEMORY = 200_000;

    private Buckets() {
    }

    /** Buckets in this node's memory, at most {@value #MAX_IN_MEMORY} (the least recently used go first). */
    public static ProxyManager<String> inMemory(Clock clock) {
        return Bucket4jCaffeine.<String>builderFor(Caffeine.newBuilder().maximumSize(MAX_IN_MEMORY))
                .expirationAfterWrite(FORGET_WHEN_FULL)
                .clientClock(new ClockTime(clock))
                .build();
    }

    /**
     * Buckets in PostgreSQL's {@code throttle_bucket} table, shared by every node: each operation
     * locks the bucket's row ({@code SELECT ... FOR UPDATE}) for the moment it takes.
     */
    public static ProxyManager<String> inPostgres(DataSource dataSource, Clock clock) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("throttle_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(FORGET_WHEN_FULL)
                .clientClock(new ClockTime(clock))
                .build();
    }
}
