package dev.payrail.refund;

import dev.payrail.acquirer.RefundRequest.SimulatedOutcome;
import dev.payrail.payment.RefundedAmounts;
import dev.payrail.platform.SqlFilter;
import dev.payrail.platform.WireName;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import lombok.RequiredArgsConstructor;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code refunds} table: reads, the insert, the compare-and-set that settles a refund, the settler's claim. */
@Repository
@RequiredArgsConstructor
public class Refunds implements RefundedAmounts {

    private static final String COLUMNS = """
            refund_id, payment_id, merchant_id, amount, currency, status, reason, acquirer, authorization_reference,
            acquirer_reference, failure_code, idempotency_key, simulated_outcome, created_at, updated_at, settled_at""";

    private final JdbcClient jdbc;

    /** The admin list's filters; null means "any". {@code createdFrom} and {@code createdTo} are inclusive. */
    public record Filter(@Nullable UUID paymentId, @Nullable RefundStatus status, @Nullable Instant createdFrom,
                         @Nullable Instant createdTo, int limit, long offset, boolean ascending) {}

    /** One page of a filtered list and how many rows match in all. */
    public record Page(List<Refund> items, long total) {}

    public Optional<Refund> find(UUID refundId) {
        return jdbc.sql("select " + COLUMNS + " from refunds where refund_id = ?")
                .param(refundId).query(ROWS).optional();
    }

    /** A payment's refunds, oldest first. */
    public List<Refund> ofPayment(UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from refunds where payment_id = ? order by created_at, refund_id")
                .param(paymentId).query(ROWS).list();
    }

    /**
     * What still counts against the payment's amount: succeeded plus requested refunds. Exact only while the
     * caller holds the payment's row lock ({@code Payments.lock}), which every insert takes first.
     */
    long committedAmount(UUID paymentId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from refunds"
                        + " where payment_id = ? and status in ('requested', 'succeeded')")
                .param(paymentId).query(Long.class).single();
    }

    /** The sum of the payment's succeeded refunds (what {@code GET /v1/payments/{id}} shows). */
    @Override
    public long refundedAmount(UUID paymentId) {
        return jdbc.sql("select coalesce(sum(amount), 0) from refunds where payment_id = ? and status = 'succeeded'")
                .param(paymentId).query(Long.class).single();
    }

    void insert(Refund r) {
        jdbc.sql("insert into refunds (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(r.refundId(), r.paymentId(), r.merchantId(), r.amount(), r.currency(), r.status().wireName(),
                        r.reason(), r.acquirer(), r.authorizationReference(), r.acquirerReference(), r.failureCode(),
                        r.idempotencyKey(), r.simulatedOutcome() == null ? null : r.simulatedOutcome().wireName(),
                        Timestamp.from(r.createdAt()), Timestamp.from(r.updatedAt()),
                        r.settledAt() == null ? null : Timestamp.from(r.settledAt()))
                .update();
    }

    /**
     * requested → {@code to}, a compare-and-set on the status: empty when the refund was settled already (by the
     * request that created it, or by the settler on another node), else the refund as it is now.
     */
    Optional<Refund> settle(UUID refundId, RefundStatus to, @Nullable String acquirerReference,
                            @Nullable String failureCode, Instant now) {
        if (!RefundStatus.REQUESTED.canMoveTo(to)) {
            throw new IllegalStateException("illegal refund transition requested -> " + to.wireName());
        }
        return jdbc.sql("update refunds set status = ?, acquirer_reference = ?, failure_code = ?, updated_at = ?,"
                        + " settled_at = ? where refund_id = ? and status = 'requested' returning " + COLUMNS)
                .params(to.wireName(), acquirerReference, failureCode, Timestamp.from(now), Timestamp.from(now),
                        refundId)
                .query(ROWS).optional();
    }

    /**
     * Claims up to {@code limit} refunds left {@code requested} since before {@code staleBefore}: skips rows another
     * settler holds, and moves their {@code updated_at} on so that other nodes leave them alone for a while.
     */
    List<Refund> claimStale(Instant staleBefore, Instant now, int limit) {
        return jdbc.sql("update refunds set updated_at = ?, resends = resends + 1"
                        + " where refund_id in (select refund_id from refunds where status = 'requested' and updated_at < ?"
                        + " order by updated_at limit ? for update skip locked) returning " + COLUMNS)
                .params(Timestamp.from(now), Timestamp.from(staleBefore), limit)
                .query(ROWS).list();
    }

    /** The admin list: filtered, ordered by creation time, one page and the total. */
    public Page search(Filter filter) {
        SqlFilter where = new SqlFilter()
                .and("payment_id = :payment", "payment", filter.paymentId())
                .and("status = :status", "status", filter.status() == null ? null : filter.status().wireName())
                .and("created_at >= :from", "from", filter.createdFrom())
                // inclusive of the whole second named
                .and("created_at < :to", "to", filter.createdTo() == null ? null : filter.createdTo().plusSeconds(1));
        long total = jdbc.sql("select count(*) from refunds" + where.where()).params(where.params())
                .query(Long.class).single();
        String direction = filter.ascending() ? "asc" : "desc";
        where.bind("limit", filter.limit()).bind("offset", filter.offset());
        List<Refund> items = new ArrayList<>(jdbc.sql("select " + COLUMNS + " from refunds" + where.where()
                        + " order by created_at " + direction + ", refund_id " + direction
                        + " limit :limit offset :offset")
                .params(where.params()).query(ROWS).list());
        return new Page(items, total);
    }

    /**
     * A row as a {@link Refund}, column by component ({@code refund_id} is {@code refundId}): Spring's
     * {@link DataClassRowMapper}, told how the wire spellings of the status and the simulated outcome are read.
     */
    private static final DataClassRowMapper<Refund> ROWS = rows();

    private static DataClassRowMapper<Refund> rows() {
        DefaultConversionService conversions = new DefaultConversionService();
        conversions.addConverter(String.class, RefundStatus.class, RefundStatus::fromWire);
        conversions.addConverter(String.class, SimulatedOutcome.class,
                wire -> WireName.fromWire(SimulatedOutcome.class, wire));
        conversions.addConverter(Timestamp.class, Instant.class, Timestamp::toInstant);
        DataClassRowMapper<Refund> rows = new DataClassRowMapper<>(Refund.class);
        rows.setConversionService(conversions);
        return rows;
    }
}
