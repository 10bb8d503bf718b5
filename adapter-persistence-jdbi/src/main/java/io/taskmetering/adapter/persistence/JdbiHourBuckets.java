package io.taskmetering.adapter.persistence;

import io.taskmetering.application.port.out.HourBucketPort;
import io.taskmetering.domain.billing.BillingHour;
import io.taskmetering.domain.billing.BucketKey;
import io.taskmetering.domain.billing.HourBucket;
import io.taskmetering.domain.common.Dimension;
import io.taskmetering.domain.common.PlanId;
import io.taskmetering.domain.common.SubscriptionRef;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Hour buckets: one row per (subscription, dimension, hour) with its running quantity. Locking inserts missing rows
 * (ON CONFLICT DO NOTHING) and then takes row locks with {@code SELECT … FOR UPDATE} in key order, so a close and an
 * insert on the same bucket serialize.
 */
final class JdbiHourBuckets implements HourBucketPort {
    private static final String INSERT_MISSING = "INSERT INTO hour_buckets (subscription_ref, dimension, hour_us, plan_id, "
            + "quantity, closed, created_at_us) VALUES (?, ?, ?, ?, 0, FALSE, ?) ON CONFLICT DO NOTHING";
    private static final String SAVE = "UPDATE hour_buckets SET quantity = ?, closed = ?, "
            + "closed_at_us = CASE WHEN ? AND closed_at_us IS NULL THEN ? ELSE closed_at_us END "
            + "WHERE subscription_ref = ? AND dimension = ? AND hour_us = ?";

    /** Static SQL of this store. */
    public interface Dao {
        @SqlQuery("SELECT subscription_ref, dimension, hour_us FROM hour_buckets WHERE closed = FALSE AND hour_us <= :hour "
                + "ORDER BY hour_us, subscription_ref, dimension LIMIT :limit")
        @RegisterRowMapper(KeyMapper.class)
        List<BucketKey> openUpTo(@Bind("hour") long hour, @Bind("limit") int limit);
    }

    /** Maps (subscription_ref, dimension, hour_us) to a bucket key. */
    public static final class KeyMapper implements RowMapper<BucketKey> {
        @Override
        public BucketKey map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new BucketKey(new SubscriptionRef(rs.getString("subscription_ref")), new Dimension(rs.getString("dimension")),
                    new BillingHour(Micros.toInstant(rs.getLong("hour_us"))));
        }
    }

    private final Db db;
    private final Clock clock;

    JdbiHourBuckets(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Map<BucketKey, LockedBucket> lockBuckets(SortedMap<BucketKey, PlanId> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        long now = Micros.of(clock.instant());
        return db.call("lock hour buckets", h -> {
            List<Map.Entry<BucketKey, PlanId>> entries = new ArrayList<>(keys.entrySet());
            Batches.execute(h, INSERT_MISSING, entries, null, (b, e) -> b
                    .bind(0, e.getKey().subscription().value())
                    .bind(1, e.getKey().dimension().value())
                    .bind(2, Micros.of(e.getKey().hour().start()))
                    .bind(3, e.getValue().value())
                    .bind(4, now));
            Map<BucketKey, LockedBucket> out = new HashMap<>();
            for (List<BucketKey> chunk : Batches.chunks(new ArrayList<>(keys.keySet()), Batches.IN_CHUNK)) {
                selectForUpdate(h, chunk).forEach(locked -> out.put(locked.bucket().key(), locked));
            }
            if (out.size() != keys.size()) {
                throw new IllegalStateException("locked " + out.size() + " of " + keys.size() + " hour buckets");
            }
            return out;
        });
    }

    private static List<LockedBucket> selectForUpdate(Handle h, List<BucketKey> keys) {
        StringBuilder sql = new StringBuilder("SELECT subscription_ref, dimension, hour_us, plan_id, quantity, closed "
                + "FROM hour_buckets WHERE (subscription_ref, dimension, hour_us) IN (");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?)");
        }
        sql.append(") ORDER BY subscription_ref, dimension, hour_us FOR UPDATE");
        Query query = h.createQuery(sql.toString());
        int p = 0;
        for (BucketKey key : keys) {
            query.bind(p++, key.subscription().value()).bind(p++, key.dimension().value())
                    .bind(p++, Micros.of(key.hour().start()));
        }
        return query.map((rs, ctx) -> new LockedBucket(new HourBucket(
                        new BucketKey(new SubscriptionRef(rs.getString(1)), new Dimension(rs.getString(2)),
                                new BillingHour(Micros.toInstant(rs.getLong(3)))), rs.getLong(5), rs.getBoolean(6)),
                        new PlanId(rs.getString(4))))
                .list();
    }

    @Override
    public void saveBuckets(Collection<HourBucket> buckets) {
        if (buckets.isEmpty()) {
            return;
        }
        long now = Micros.of(clock.instant());
        db.run("save hour buckets", h -> {
            List<HourBucket> list = new ArrayList<>(buckets);
            int[] counts = Batches.execute(h, SAVE, list, Comparator.comparing(HourBucket::key), (b, bucket) -> b
                    .bind(0, bucket.quantity())
                    .bind(1, bucket.closed())
                    .bind(2, bucket.closed())
                    .bind(3, now)
                    .bind(4, bucket.key().subscription().value())
                    .bind(5, bucket.key().dimension().value())
                    .bind(6, Micros.of(bucket.key().hour().start())));
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    throw new IllegalStateException("hour bucket " + list.get(i).key() + " was not locked in this transaction");
                }
            }
        });
    }

    @Override
    public List<BucketKey> findOpenBucketsUpTo(BillingHour newestClosedHour, int limit) {
        return db.call("find open hour buckets", h -> h.attach(Dao.class).openUpTo(Micros.of(newestClosedHour.start()), limit));
    }

    @Override
    public Optional<BillingHour> findLastClosedHour(SubscriptionRef subscription) {
        String sql = "SELECT MAX(hour_us) FROM hour_buckets WHERE closed = TRUE"
                + (subscription == null ? "" : " AND subscription_ref = :subscription");
        Long hour = db.call("find last closed hour", h -> {
            Query q = h.createQuery(sql);
            if (subscription != null) {
                q.bind("subscription", subscription.value());
            }
            return q.mapTo(Long.class).one();
        });
        return Optional.ofNullable(hour).map(micros -> new BillingHour(Micros.toInstant(micros)));
    }
}
