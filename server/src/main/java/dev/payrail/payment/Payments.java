package dev.payrail.payment;

import dev.payrail.platform.CustomPlans;
import dev.payrail.platform.SqlFilter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import lombok.RequiredArgsConstructor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Reads of payments. Writes go through {@link PaymentWriter}, which batches them. */
@Repository
@RequiredArgsConstructor
public class Payments {

    private static final String COLUMNS = """
            payment_id, merchant_id, amount, currency, status, order_id, description, idempotency_key,
            customer_email, customer_ip, customer_country, card_bin, card_last4, card_fingerprint,
            card_exp_month, card_exp_year, card_token, created_at, updated_at, acquirer, decline_code""";

    /**
     * What {@code q} searches: kept in {@code payment_search} (V16, same expression) by {@link PaymentSearchIndexer},
     * whose trigram index finds a piece of it among a million payments.
     */
    static final String SEARCH_TEXT = "p.payment_id::text || ' ' || coalesce(p.idempotency_key, '') || ' ' "
            + "|| p.currency::text || ' ' || p.order_id";
    /** The top node's row estimate in EXPLAIN's JSON: the first "Plan Rows". */
    private static final java.util.regex.Pattern PLAN_ROWS = java.util.regex.Pattern.compile("\"Plan Rows\":\\s*([0-9]+)");

    private final JdbcClient jdbc;

    /** The payment, whoever it belongs to (for the roles that work on payments, not for merchant answers). */
    public Optional<Payment> find(UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = ?")
                .param(paymentId)
                .query(Payments::map)
                .optional();
    }

    /** The payments among these ids that exist, by id, whoever they belong to (one query for many). */
    public Map<UUID, Payment> findAll(Collection<UUID> paymentIds) {
        if (paymentIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = any (?)")
                .param(paymentIds.toArray(UUID[]::new))
                .query(Payments::map)
                .list().stream()
                .collect(Collectors.toMap(Payment::paymentId, p -> p));
    }

    /** The payment if it exists and belongs to this merchant; another merchant's payment is not found. */
    public Optional<Payment> find(UUID merchantId, UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = ? and merchant_id = ?")
                .params(paymentId, merchantId)
                .query(Payments::map)
                .optional();
    }

    /**
     * The payment with its row locked ({@code for update}) until the caller's transaction ends: refunds of one
     * payment are serialised on this lock, so the sum they check cannot change under them.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Payment> lock(UUID paymentId) {
        return jdbc.sql("select " + COLUMNS + " from payments where payment_id = ? for update")
                .param(paymentId)
                .query(Payments::map)
                .optional();
    }

    /** One page, newest first. Ids are UUIDv7 (time-ordered), so the cursor is simply the last id seen. */
    public List<Payment> page(UUID merchantId, UUID startingAfter, String idempotencyKey, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from payments where merchant_id = :merchant");
        var spec = new HashMap<String, Object>();
        spec.put("merchant", merchantId);
        if (startingAfter != null) {
            sql.append(" and payment_id < :after");
            spec.put("after", startingAfter);
        }
        if (idempotencyKey != null) {
            sql.append(" and idempotency_key = :key");
            spec.put("key", idempotencyKey);
        }
        sql.append(" order by payment_id desc limit :limit");
        spec.put("limit", limit);
        return jdbc.sql(sql.toString()).params(spec).query(Payments::map).list();
    }

    /**
     * The operators' list, filtered, sorted and paged by offset. Sorting by creation time uses the primary key:
     * ids are UUIDv7, so their order is the order of creation (ties within a millisecond in id order).
     *
     * <p>At a million payments two things were slow: counting every match (a full count reads them all), and
     * filters that keep few payments (a rare status, a piece of an id). Matches are counted only up to
     * {@link PaymentSearch#EXACT_TOTAL_MAX}; above it the total is the planner's estimate, and the page says so.
     * The indexes of V11 serve the filters; the plans are made for the values asked (a generic plan would treat
     * {@code status=new} like {@code status=approved}).
     */
    @Transactional(readOnly = true)
    public PaymentSearch.Page search(PaymentSearch search) {
        SqlFilter where = new SqlFilter()
                .and("p.merchant_id = :merchant", "merchant", search.merchantId())
                .and("p.status = :status", "status", search.status() == null ? null : search.status().wireName())
                .and("p.currency = :currency", "currency", search.currency())
                .and("p.amount >= :amountMin", "amountMin", search.amountMin())
                .and("p.amount <= :amountMax", "amountMax", search.amountMax())
                .and("p.created_at >= :from", "from", search.createdFrom())
                .and("p.created_at <= :to", "to", search.createdTo())
                .bind("limit", search.limit())
                .bind("offset", search.offset())
                .bind("countMax", PaymentSearch.EXACT_TOTAL_MAX + 1);
        // Candidates of a text search from the search table (a payment is there about a second after its creation;
        // by its full id it is found at once), then each field checked on the payment itself: a piece of one field is
        // a piece of the four joined, so the candidates hold every match and the check keeps only matches.
        String candidates = "";
        if (search.text() != null) {
            UUID exactId = uuidOrNull(search.text());
            // (union, not union all: a payment found both ways is one candidate, looked up once)
            candidates = "select s.payment_id from payment_search s where s.search_text ilike :text"
                    + (exactId == null ? "" : " union select cast(:exactId as uuid)");
            where.and("p.payment_id in (" + CANDIDATES + ")"
                    + " and (p.payment_id::text ilike :text or p.idempotency_key ilike :text or p.currency ilike :text"
                    + " or p.order_id ilike :text)");
            where.bind("text", "%" + search.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            if (exactId != null) {
                where.bind("exactId", exactId);
            }
        }
        CustomPlans.forThisTransaction(jdbc);
        String direction = search.ascending() ? " asc" : " desc";
        String order = switch (search.sort()) {
            // With a creation range, by creation time itself: then the created_at index gives both the range and
            // the order (the ids' order is the same in practice, but the planner cannot know it and would read a
            // whole day-range's worth of newer payments to reach an older day).
            case CREATED_AT -> search.createdFrom() != null || search.createdTo() != null
                    ? " order by p.created_at" + direction + ", p.payment_id" + direction
                    : " order by p.payment_id" + direction;
            case AMOUNT -> " order by p.amount" + direction + ", p.payment_id" + direction;
        };
        // sorted by id alone: a page of the matches is known from their ids, before any payment is read
        boolean byId = order.equals(" order by p.payment_id" + direction);
        String select = "select " + COLUMNS.replaceAll("(\\w+)", "p.$1") + ", m.webhook_url as merchant_webhook_url";
        // One statement: the matches, up to EXACT_TOTAL_MAX + 1, found through the filters' indexes; their count;
        // and, when that is all of them, the page sorted from those few (an ordered index scan could read far more
        // payments than match before it found a page of them).
        // A text search takes at most EXACT_TOTAL_MAX + 1 candidates here and looks each up by its id (the lateral
        // subquery with "offset 0" is not merged into a join): for a common piece ("jpy": 40,000 candidates at a
        // million payments) the planner otherwise hashed them against a scan of every payment, 340 ms; now 77.
        // More candidates than that are "many", as more matches are.
        String matching = candidates.isEmpty()
                ? "select p.payment_id from payments p" + where.where()
                : "select p.payment_id from capped c cross join lateral (select p.payment_id from payments p"
                        + where.where().replace(CANDIDATES, "select c.payment_id") + " offset 0) p";
        var matched = new ArrayList<PaymentSearch.Listed>();
        long[] counted = {0, 0};
        jdbc.sql("with " + (candidates.isEmpty() ? "" : "capped as materialized (" + candidates + " limit :countMax), ")
                        + "matched as materialized (" + matching + " limit :countMax),"
                        + " counted as (select count(*) as n"
                        + (candidates.isEmpty() ? ", 0 as candidates" : ", (select count(*) from capped) as candidates")
                        + " from matched)"
                        + " select counted.n as matched_count, counted.candidates, page.* from counted"
                        + " left join lateral (" + select
                        + " from " + (candidates.isEmpty() ? "matched join payments p using (payment_id)"
                                // each match looked up by its id: the planner takes the capped count for the
                                // matches and would merge them with a backward scan of every payment (255 ms)
                                : (byId ? "(select payment_id from matched order by payment_id" + direction
                                        + " limit :limit + :offset) x" : "matched x")
                                        + " cross join lateral (select * from payments p"
                                        + " where p.payment_id = x.payment_id offset 0) p")
                        + " join merchants m using (merchant_id)"
                        + " where counted.n <= " + PaymentSearch.EXACT_TOTAL_MAX + order
                        + " limit :limit offset :offset) page on true" + order.replace("p.", "page."))
                .params(where.params())
                .query(rs -> {
                    counted[0] = rs.getLong("matched_count");
                    counted[1] = rs.getLong("candidates");
                    if (rs.getObject("payment_id") != null) {
                        matched.add(new PaymentSearch.Listed(map(rs, 0), rs.getString("merchant_webhook_url")));
                    }
                });
        if (counted[0] <= PaymentSearch.EXACT_TOTAL_MAX && counted[1] <= PaymentSearch.EXACT_TOTAL_MAX) {
            return new PaymentSearch.Page(matched, counted[0], false);
        }
        // Many matches: a page is near in the sort order's index, and the total is the planner's estimate; for a
        // text search with more candidates than were looked up, the share of them that matched, times the planner's
        // estimate of all candidates (its trigram estimate of those is close; of the whole filter, far off).
        String all = where.where().replace(CANDIDATES, candidates);
        long total = counted[1] > PaymentSearch.EXACT_TOTAL_MAX
                ? estimate(candidates, where.params()) * counted[0] / counted[1]
                : estimate("select 1 from payments p" + all, where.params());
        total = Math.max(counted[0], total);
        List<PaymentSearch.Listed> items = jdbc.sql(select + " from payments p join merchants m using (merchant_id)"
                        + all + order + " limit :limit offset :offset")
                .params(where.params())
                .query((rs, row) -> new PaymentSearch.Listed(map(rs, row), rs.getString("merchant_webhook_url")))
                .list();
        return new PaymentSearch.Page(items, total, true);
    }

    /** Where a text search's candidates go in the filter: capped in the count, all of them for a page of many. */
    private static final String CANDIDATES = "@candidates@";

    private static UUID uuidOrNull(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The planner's estimate of the rows a query returns (EXPLAIN, which runs nothing). */
    private long estimate(String query, Map<String, Object> params) {
        String plan = jdbc.sql("explain (format json) " + query).params(params).query(String.class).single();
        java.util.regex.Matcher rows = PLAN_ROWS.matcher(plan);
        return rows.find() ? Long.parseLong(rows.group(1)) : 0;   // PostgreSQL prints it as a whole number
    }

    /** How many payments there are in each status (every status, 0 included), and whether some counts are estimates. */
    public record StatusCounts(Map<PaymentStatus, Long> counts, boolean estimated) {}

    /**
     * How many payments there are in each status: exact up to {@link PaymentSearch#EXACT_TOTAL_MAX} (one bounded
     * range of {@code payments_status_newest} per status, read from the index alone), above it the planner's
     * estimate, never below {@code EXACT_TOTAL_MAX + 1}, as the list's total. An exact count by status reads every
     * payment: 0.16-0.5 s at a million (docs/benchmarks.md), on every call of a dashboard that polls it. The
     * statuses an operator watches for trouble ({@code new}, {@code processing}) are small, so exact.
     */
    @Transactional(readOnly = true)
    public StatusCounts countByStatus() {
        CustomPlans.forThisTransaction(jdbc);  // estimates for the status asked
        var counts = new java.util.EnumMap<PaymentStatus, Long>(PaymentStatus.class);
        // Every status's bounded count in one statement (one round trip, not one per status).
        jdbc.sql("select s.status, (select count(*) from (select 1 from payments p where p.status = s.status"
                        + " limit :countMax) c) from unnest(cast(:statuses as text[])) as s(status)")
                .param("statuses", Arrays.stream(PaymentStatus.values()).map(PaymentStatus::wireName).toArray(String[]::new))
                .param("countMax", PaymentSearch.EXACT_TOTAL_MAX + 1)
                .query(rs -> {   // a block: a row callback, called for each row
                    counts.put(PaymentStatus.fromWire(rs.getString(1)), rs.getLong(2));
                });
        boolean estimated = false;
        for (var count : counts.entrySet()) {
            if (count.getValue() > PaymentSearch.EXACT_TOTAL_MAX) {
                count.setValue(Math.max(count.getValue(), estimate("select 1 from payments where status = :status",
                        Map.of("status", count.getKey().wireName()))));
                estimated = true;
            }
        }
        return new StatusCounts(counts, estimated);
    }

    private static Payment map(ResultSet rs, int row) throws SQLException {
        String email = rs.getString("customer_email");
        String ip = rs.getString("customer_ip");
        String country = rs.getString("customer_country");
        PaymentRequest.Customer customer = email == null && ip == null && country == null
                ? null : new PaymentRequest.Customer(email, ip, country);
        String last4 = rs.getString("card_last4");
        Payment.CardSummary card = last4 == null ? null : new Payment.CardSummary(rs.getString("card_bin"), last4,
                rs.getString("card_fingerprint"), rs.getInt("card_exp_month"), rs.getInt("card_exp_year"),
                rs.getObject("card_token", UUID.class));
        return new Payment(
                rs.getObject("payment_id", UUID.class),
                rs.getObject("merchant_id", UUID.class),
                rs.getLong("amount"),
                rs.getString("currency"),
                PaymentStatus.fromWire(rs.getString("status")),
                rs.getString("order_id"),
                rs.getString("description"),
                rs.getString("idempotency_key"),
                customer,
                card,
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getString("acquirer"),
                rs.getString("decline_code"));
    }
}
